package dev.eventual;

import dev.eventual.internal.Limit;
import dev.eventual.internal.EventLoopImpl;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Runs promise-returning work at most {@link #concurrency()} at a time, the rest queued in the
 * order it came: npm's {@code p-limit}, for Java. Any asynchronous work fits (requests to several
 * hosts, files, processes, an async body), not only one host's HTTP exchanges.
 *
 * <pre>{@code
 * Limiter limit = Limiter.of(8);
 * List<Promise<String>> pages = urls.stream()
 *         .map(url -> limit.run(() -> Fetch.getText(url)))
 *         .toList();
 * Promise.all(pages).thenAccept(texts -> ...);
 * }</pre>
 *
 * <p>For "map these items, n at a time" over an iterable, {@link Promise#map Promise.map} (npm's
 * {@code p-map}) pulls the items lazily and needs no limiter.
 *
 * <h2>Semantics</h2>
 * {@link #run} queues its task and returns a promise at once. A task is started (its supplier
 * called) once fewer than {@code concurrency} tasks are active, in the order {@code run} was
 * called, never inside the {@code run} call (as {@code p-limit} does: it starts as a microtask). A
 * task is active from the moment it leaves the queue until the promise it returned settles; then
 * its slot is given back, the next queued task is started (as a microtask queued before the
 * handlers of the returned promise, so it starts before they run, as with {@code p-limit}) and
 * the returned promise settles like the task's. A task that throws, or
 * returns {@code null}, rejects its promise with that exception (a {@link NullPointerException})
 * and gives its slot back. The counts follow {@code p-limit}'s: {@link #active()} is its
 * {@code activeCount}, {@link #pending()} its {@code pendingCount}.
 *
 * <h2>Cancellation</h2>
 * {@link Promise#cancel() Cancelling} the promise {@code run} returned removes a queued task from
 * the queue (its supplier is never called); for an active task it cancels the task's promise
 * under the consumer rule (see {@link Promise}) and gives the slot back at once. With an
 * {@link AbortSignal} ({@link #of(int, AbortSignal)}), the signal aborting rejects every queued
 * task's promise with the signal's reason, in queue order, and every later {@code run} at once,
 * without calling its task; active tasks are left to finish: hand them the same signal (as
 * {@code p-limit}'s {@code clearQueue()} with {@code rejectOnClear} leaves its running functions).
 * {@link #clearQueue()} empties the queue without a signal.
 *
 * <h2>Threading</h2>
 * A limiter belongs to the {@link EventLoop} current where it was made, and all its state is
 * confined to that loop's thread (an async body holding the loop's turn counts as that thread):
 * no locks, no atomics. Tasks start there, and the promises {@code run} returns belong to that
 * loop. {@link #run} and {@link #clearQueue()} may be called from any thread: off the loop they
 * hand their work to the loop as a task (as an off-loop {@code then} may,
 * {@linkplain dev.eventual##rule-3 rule 3}), so a task
 * queued from another thread is queued in the order those tasks reach the loop. The counts and
 * {@link #onChange} are for the loop's thread; called elsewhere they throw
 * {@link IllegalStateException} (read them in a callback of the loop, or from {@code onChange}).
 * Once the loop has closed, {@code run} returns a promise rejected with
 * {@link EventLoopClosedException}.
 *
 * <h2>Nulls</h2>
 * No parameter may be {@code null} ({@link NullPointerException} naming it).
 */
public interface Limiter {

    /**
     * Returns a limiter of the current loop that runs at most {@code concurrency} tasks at a time.
     *
     * @param concurrency the most tasks active at once, at least 1 ({@link Integer#MAX_VALUE} for
     *     no limit)
     * @return a new limiter
     * @throws IllegalArgumentException if {@code concurrency < 1}
     * @throws IllegalStateException if the calling thread runs no loop
     */
    static Limiter of(int concurrency) {
        return Limit.create(EventLoopImpl.require("Limiter.of"), concurrency, null);
    }

    /**
     * Returns a limiter of the current loop like {@link #of(int)} whose queue {@code signal}
     * empties: when it aborts, the queued tasks' promises reject with its reason and later
     * {@link #run} calls reject at once (see Cancellation in the class javadoc). An already
     * aborted signal makes a limiter that rejects every task.
     *
     * @param concurrency the most tasks active at once, at least 1
     * @param signal empties the queue when it aborts
     * @return a new limiter
     * @throws IllegalArgumentException if {@code concurrency < 1}
     * @throws IllegalStateException if the calling thread runs no loop
     */
    static Limiter of(int concurrency, AbortSignal signal) {
        return Limit.create(EventLoopImpl.require("Limiter.of"), concurrency, Objects.requireNonNull(signal, "signal"));
    }

    /**
     * Queues {@code task} and returns a promise of the outcome of the promise it will return (see
     * the class javadoc). The task runs on the limiter's loop thread, as a microtask, in the
     * {@link AsyncLocal} context of this call, once a slot is free; the returned promise settles
     * with the task's promise's value or reason, as a microtask of the limiter's loop. It rejects
     * with what the task throws, with a {@link NullPointerException} if the task returns
     * {@code null}, with the signal's reason if the signal aborts while the task is queued (or
     * has aborted before this call), and with a {@link java.util.concurrent.CancellationException}
     * if it is cancelled or {@link #clearQueue() cleared} from the queue.
     *
     * @param task starts the work and returns its promise
     * @param <T> the type of the value
     * @return a promise of the task's outcome, on the limiter's loop
     */
    <T> Promise<T> run(Supplier<? extends Promise<? extends T>> task);

    /**
     * Removes every queued task: their promises reject with a
     * {@link java.util.concurrent.CancellationException} (marked handled, as a cancel is) and their
     * suppliers are never called. Active tasks go on. Any thread (off the loop, it happens as a task).
     */
    void clearQueue();

    /**
     * Returns the most tasks active at once. Any thread.
     *
     * @return the most tasks this limiter keeps active at once; at least 1
     */
    int concurrency();

    /**
     * Returns how many tasks are active: out of the queue, their promise not yet settled
     * ({@code p-limit}'s {@code activeCount}). Loop thread only.
     *
     * @return the number of tasks started whose promise has not settled
     * @throws IllegalStateException off the loop's thread
     */
    int active();

    /**
     * Returns how many tasks wait in the queue ({@code p-limit}'s {@code pendingCount}). Loop
     * thread only.
     *
     * @return the number of tasks queued and not yet started
     * @throws IllegalStateException off the loop's thread
     */
    int pending();

    /**
     * Returns how many tasks have finished: their promise settled, or they were removed from the
     * queue (cancelled, cleared, or aborted). Loop thread only.
     *
     * @return the number of tasks finished or removed from the queue so far
     * @throws IllegalStateException off the loop's thread
     */
    int settled();

    /**
     * Adds {@code listener}, called when {@link #active()}, {@link #pending()} or
     * {@link #settled()} has changed: progress without polling. It runs on the loop's thread, as
     * a microtask after the change; the changes made within one turn of the loop's callbacks are
     * reported by one call, so it sees their sum and reads the counts itself. If it throws, the
     * exception goes to the loop's task error handler and the other listeners still run.
     *
     * @param listener called after changes
     * @throws IllegalStateException off the loop's thread
     */
    void onChange(Runnable listener);

    /**
     * Returns the loop this limiter belongs to.
     *
     * @return the loop this limiter belongs to, whose thread runs its tasks
     */
    EventLoop loop();
}
