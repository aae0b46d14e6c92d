package dev.eventual.internal;

import dev.eventual.AbortSignal;
import dev.eventual.EventLoop;
import dev.eventual.Limiter;
import dev.eventual.Promise;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The one implementation of {@link Limiter}.
 *
 * <pre>
 * Overview
 *
 * State, all confined to the loop thread (plain fields, no locks, no atomics):
 *   head/tail  the queue, a doubly linked list of {@link LimitedTask}s in run() order, so that a
 *              cancelled task leaves it in O(1)
 *   pending    the queue's length
 *   active     tasks out of the queue whose promise has not settled (a task whose start
 *              microtask is still to run counts: p-limit counts it from the dequeue too)
 *   settled    tasks finished: settled, cancelled, cleared or aborted
 * Invariant, after every method on the loop returns: active {@literal <=} concurrency, and
 * pending {@literal >} 0 implies active == concurrency (pump() restores it after every change).
 *
 * Why loop confinement is enough: every path that changes the state runs on the loop thread.
 * run() and clearQueue() off the loop post themselves as tasks (EventLoopImpl.post: the task queue's
 * release/acquire handoff publishes the LimitedTask, whose fields are written before it). A task's
 * promise settling reaches LimitedTask.react on that promise's loop, which hands it to this loop
 * when it is another. Cancelling a task's promise may happen on any thread, but its
 * producerCancelled runs on the loop (PromiseImpl.cancel's runOnLoop). The signal's abort
 * algorithm may run on any thread (the aborting one once its loop has closed), so it only posts
 * aborted() to this loop. The counts' getters assert the loop thread rather than read racy ints.
 *
 * A task starts as a microtask (LimitedTask.start), never inside run(), as p-limit's function is
 * called after a microtask turn; the slot is taken at dequeue time, so a cancel between the
 * dequeue and the start gives it back and the start does nothing.
 * </pre>
 */
public final class Limit implements Limiter {
    final EventLoopImpl loop;
    private final int concurrency;
    private final Signal signal;
    /** Queue ends; loop thread only. */
    private LimitedTask<?> head;
    private LimitedTask<?> tail;
    private int pending;
    private int active;
    private int settled;
    /** onChange listeners and whether their notification microtask is queued; loop thread only. */
    private final List<Runnable> listeners = new ArrayList<>(1);
    private boolean notifying;

    private Limit(EventLoopImpl loop, int concurrency, Signal signal) {
        this.loop = loop;
        this.concurrency = concurrency;
        this.signal = signal;
    }

    public static Limit create(EventLoopImpl loop, int concurrency, AbortSignal abortSignal) {
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be >= 1: " + concurrency);
        }
        Limit limit = new Limit(loop, concurrency, abortSignal == null ? null : Signal.of(abortSignal));
        if (limit.signal != null) {
            // An algorithm, not a listener: it runs before the user's abort listeners, as fetch's own
            // abort does, and posts itself because it may run off this loop (see overview).
            limit.signal.subscribe(() -> loop.runOnLoop(limit::aborted), Signal.ALGORITHM);
        }
        return limit;
    }

    @Override
    public <T> Promise<T> run(Supplier<? extends Promise<? extends T>> task) {
        Objects.requireNonNull(task, "task");
        LimitedTask<T> t = new LimitedTask<>(this, task);
        if (loop.inEventLoop()) {
            enqueue(t);
        } else {
            loop.post((Runnable) () -> enqueue(t)); // closed: t reads as rejected with EventLoopClosedException
        }
        return t;
    }

    /** Loop thread: queues {@code t}, or rejects it at once when the signal has aborted. */
    private void enqueue(LimitedTask<?> t) {
        assert loop.inEventLoop() : "Limit.enqueue off the loop thread";
        if (t.isSettled()) {
            return; // cancelled on another thread before this task reached the loop
        }
        Throwable reason = signal == null ? null : signal.reason();
        if (reason != null) {
            t.drop(reason);
            settled++;
            changed();
            return;
        }
        t.phase = LimitedTask.QUEUED;
        t.prev = tail;
        if (tail == null) {
            head = t;
        } else {
            tail.next = t;
        }
        tail = t;
        pending++;
        pump();
        changed();
    }

    /** Loop thread: starts queued tasks while slots are free (restores the overview's invariant). */
    private void pump() {
        while (active < concurrency && head != null) {
            LimitedTask<?> t = head;
            unlink(t);
            active++;
            t.phase = LimitedTask.STARTING;
            loop.microtasks.add(t.starter, null);
        }
    }

    private void unlink(LimitedTask<?> t) {
        if (t.prev == null) {
            head = t.next;
        } else {
            t.prev.next = t.next;
        }
        if (t.next == null) {
            tail = t.prev;
        } else {
            t.next.prev = t.prev;
        }
        t.prev = null;
        t.next = null;
        pending--;
    }

    /** Loop thread: an active task finished (settled, failed to start, or was cancelled). */
    void finished() {
        assert loop.inEventLoop() : "Limit.finished off the loop thread";
        active--;
        settled++;
        pump();
        changed();
    }

    /** Loop thread: a queued task was cancelled; it leaves the queue. */
    void dequeued(LimitedTask<?> t) {
        unlink(t);
        settled++;
        changed();
    }

    @Override
    public void clearQueue() {
        if (loop.inEventLoop()) {
            dropQueued(null);
        } else {
            loop.post((Runnable) () -> dropQueued(null));
        }
    }

    /** The signal aborted (posted to the loop): the queue is emptied with its reason. */
    private void aborted() {
        dropQueued(signal.reason());
    }

    /** Loop thread: rejects every queued task, in queue order, with {@code reason} (null: a cancel). */
    private void dropQueued(Throwable reason) {
        int n = 0;
        for (LimitedTask<?> t = head; t != null; ) {
            LimitedTask<?> next = t.next;
            t.prev = null;
            t.next = null;
            t.drop(reason);
            t = next;
            n++;
        }
        head = null;
        tail = null;
        pending = 0;
        settled += n;
        if (n > 0) {
            changed();
        }
    }

    /** Loop thread: queues one notification of the onChange listeners, unless one is queued. */
    private void changed() {
        if (listeners.isEmpty() || notifying) {
            return;
        }
        notifying = true;
        loop.microtasks.add((Runnable) this::notifyListeners, null);
    }

    private void notifyListeners() {
        notifying = false;
        for (Runnable listener : listeners.toArray(new Runnable[0])) {
            try {
                listener.run();
            } catch (Throwable e) {
                loop.taskError(e);
            }
        }
    }

    private void checkLoopThread(String what) {
        if (!loop.inEventLoop()) {
            throw new IllegalStateException("Limiter." + what + " reads state confined to the thread of event loop '"
                    + loop.name() + "', but was called on thread '" + Thread.currentThread().getName()
                    + "': read it in a callback of that loop, or from onChange");
        }
    }

    @Override
    public int concurrency() {
        return concurrency;
    }

    @Override
    public int active() {
        checkLoopThread("active()");
        return active;
    }

    @Override
    public int pending() {
        checkLoopThread("pending()");
        return pending;
    }

    @Override
    public int settled() {
        checkLoopThread("settled()");
        return settled;
    }

    @Override
    public void onChange(Runnable listener) {
        Objects.requireNonNull(listener, "listener");
        checkLoopThread("onChange(listener)");
        listeners.add(AsyncContext.capture(listener));
    }

    @Override
    public EventLoop loop() {
        return loop;
    }

    @Override
    public String toString() {
        String counts = loop.inEventLoop() ? active + " active, " + pending + " queued, " + settled + " settled"
                : "counts readable on its loop";
        return "Limiter[concurrency " + concurrency + ", " + counts + (signal != null && signal.aborted() ? ", aborted" : "")
                + ", loop '" + loop.name() + "']";
    }
}
