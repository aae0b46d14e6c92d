package dev.eventual;

import dev.eventual.internal.EventLoopImpl;
import dev.eventual.internal.LoopConfig;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * One thread that runs callbacks one at a time: tasks, timers and promise reactions, with the
 * HTML/Node ordering rules. Start one with {@link #run(Runnable)} (the calling thread becomes the
 * loop until the work is done, like a Node program) or {@link #start(String)} (a loop on its own
 * thread, for embedding in an existing program).
 *
 * <h2>Order of callbacks</h2>
 * The loop repeats: run the timers that are due, in deadline order (equal deadlines in the
 * order they were set); then the tasks handed to {@link #execute}, in order. After each of those
 * callbacks it drains the microtask queue (promise reactions and {@link #queueMicrotask}
 * callbacks, including ones queued while draining) and then reports unhandled rejections: the
 * <em>microtask checkpoint</em>. Timer delays below 1 ms are 1 ms, as in Node.
 *
 * <h2>Threading</h2>
 * Every callback runs on the loop's thread, never two at once, so state touched only by
 * callbacks of one loop needs no locks. {@link #execute}, {@link #setTimeout},
 * {@link #setInterval}, the clear methods, {@link #withResolvers} and {@link #close} may be
 * called from any thread. {@link #queueMicrotask} must be called on the loop's thread: a
 * microtask belongs to the current callback. A callback that blocks blocks the whole loop:
 * meanwhile, work handed over from other threads (settles, tasks, timers) queues up, nothing is
 * dropped, and it runs in the order it was handed over once the callback returns; a
 * {@link #close()} from another thread waits for the callback and its microtasks. A loop with
 * nothing to do watches for work for about a microsecond before its thread parks: work handed
 * over within that time starts without the wake-up of a sleeping thread (several microseconds),
 * for about a microsecond of CPU time each time the loop runs out of work.
 *
 * <h2>Failures</h2>
 * An exception thrown by a task, a timer or a microtask callback goes to the loop's task error
 * handler ({@link Builder#onTaskError}; by default a warning, see Messages below) and the loop
 * goes on with the next callback. Exceptions thrown by promise handlers reject their derived
 * promise instead. An {@link Error} (an {@code AssertionError}, a {@code StackOverflowError}, an
 * {@code OutOfMemoryError} thrown by user code) takes the same path as any exception: the loop
 * cannot tell a user-thrown one from the JVM's, and the callbacks after it still run (an interval
 * whose callback throws keeps its schedule); a program that must stop on one closes the loop from
 * its task error handler. An exception thrown by the task error handler or the
 * {@link Builder#onUnhandledRejection unhandled-rejection handler} themselves (the original one
 * rethrown included) is reported (Messages below) with the original one, and the loop goes
 * on; an exception that cannot be printed (its {@code toString} throws) is shown by its class name.
 * An error raised in the loop's own work rather than in a callback (an {@code OutOfMemoryError}
 * growing one of its queues, or printing one of its reports) ends the loop: it closes as
 * {@link #close()} does, and the first such error is what {@link #run} throws and
 * {@link #terminationFuture()} fails with; later ones, from the shutdown included, and the error
 * that was being reported are {@linkplain Throwable#getSuppressed() suppressed} on it. A failing
 * queue operation queues nothing and leaves the queue intact.
 *
 * <h2>End</h2>
 * A loop from {@link #run} ends when nothing is left that could produce a callback: no task,
 * no microtask, no referenced timer, no held {@link KeepAlive}
 * ({@linkplain dev.eventual##rule-7 rule 7}). A loop from
 * {@link #start} runs until {@link #close()}. A closed loop rejects every promise still pending
 * on it with {@link EventLoopClosedException}, drops what was still queued (and says how much
 * as a warning, see Messages below: the tasks, referenced timers and microtasks of user code that will not
 * run; a cancelled timer, an unref'd timer that never fired and the loop's own bookkeeping are
 * not counted), and refuses new tasks with {@link java.util.concurrent.RejectedExecutionException}.
 *
 * <h2>Messages</h2>
 * Every message a loop writes (unhandled rejection, rejection handled later, uncaught callback
 * exception, closed with work not run) goes to the {@link System.Logger} named
 * {@code dev.eventual} at level {@code WARNING}, with the exception as its throwable, when a
 * logging framework provides the {@link System.LoggerFinder} (SLF4J, Log4j) or the program
 * configured {@code java.util.logging} (a configuration file or class by system property, a
 * level or handler on {@code dev.eventual} or {@code dev}, or root handlers other than the
 * default console one). Otherwise the text is printed as is on {@code System.err}, the
 * exception's stack trace after it.
 *
 * <h2>Nulls</h2>
 * No parameter may be {@code null}; a {@code null} fails with a {@link NullPointerException}
 * naming the parameter.
 */
public interface EventLoop extends Executor, AutoCloseable {

    /**
     * Runs {@code main} as the first task of a new loop on the calling thread and returns when the
     * loop has no work left ({@linkplain dev.eventual##rule-7 rule 7}); the loop is then closed.
     * Uses the default settings; see {@link #builder()} for others.
     *
     * <p>A rejection that nobody handles stops the loop by default, as in Node 15+: the loop
     * closes (rejecting what is still pending) and this method throws; a {@code main} method that
     * lets it escape ends the program with exit status 1. Choose
     * {@link Builder#unhandledRejections(UnhandledRejectionPolicy) WARN} to go on instead.
     *
     * @param main the program's first task; must not be null
     * @throws UnhandledRejectionException when a rejection nobody handled stopped the loop (the
     *     default {@link UnhandledRejectionPolicy#THROW}), with the reason as its cause
     * @throws RuntimeException or {@link Error} thrown by {@code main} itself, after the loop closed
     * @throws IllegalStateException if the calling thread already runs a loop: called from a
     *     callback or an async body of a loop, it fails that way, and the callback's exception
     *     takes its usual path (a handler's rejects its derived promise)
     */
    static void run(Runnable main) {
        builder().run(main);
    }

    /**
     * Starts a loop on a new platform thread named {@code name}, running until {@link #close()}.
     * The thread is not a daemon: a program that does not close the loop does not end (use
     * {@link Builder#daemon(boolean)} for a loop that must not keep the JVM alive). A rejection
     * that nobody handles is reported as a warning (see Messages above) and the loop goes on
     * ({@link UnhandledRejectionPolicy#WARN}, the default of a started loop).
     *
     * @param name the loop's and thread's name; must not be null
     * @return the running loop
     */
    static EventLoop start(String name) {
        return builder().name(name).start();
    }

    /**
     * Returns the loop whose thread is the calling thread, or whose {@link Async async body} the
     * calling thread runs.
     *
     * @return the current loop
     * @throws IllegalStateException if the calling thread runs no loop; the message says what
     *     to call instead
     */
    static EventLoop current() {
        return EventLoopImpl.require("EventLoop.current");
    }

    /**
     * Returns the loop whose thread is the calling thread, or empty when there is none.
     *
     * @return the calling thread's loop, or an empty {@code Optional} off any loop's thread
     */
    static Optional<EventLoop> find() {
        return Optional.ofNullable(EventLoopImpl.current());
    }

    /**
     * Returns a builder for a loop with non-default settings.
     *
     * @return a new builder with the default settings
     */
    static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the loop's name, also its thread's name for started loops.
     *
     * @return the loop's name
     */
    String name();

    /**
     * Whether the calling thread is this loop's thread, or runs an {@link Async async body} of this
     * loop (which takes the loop's turn while it runs).
     *
     * @return {@code true} on this loop's thread or in one of its async bodies, else {@code false}
     */
    boolean inEventLoop();

    /**
     * Runs {@code task} as a task of this loop, after the tasks already queued. May be called from
     * any thread; wakes the loop if it sleeps.
     *
     * @param task the task; must not be null
     * @throws java.util.concurrent.RejectedExecutionException if the loop is closed
     */
    @Override
    void execute(Runnable task);

    /**
     * Returns a promise of {@code task}'s result; the task runs as a task of this loop, as with
     * {@link #execute}. If it throws, the promise rejects with that exception.
     *
     * <p>Unhandled rejections ({@linkplain dev.eventual##rule-5 rule 5}). Called on this loop's
     * thread, the returned promise follows the usual rule: a rejection with no handler by the end
     * of the microtask checkpoint in which
     * it happens is reported. Called from another thread, the caller attaches its handler from
     * that thread ({@code toCompletableFuture().join()}, {@code Async.await}, {@code caught}),
     * which may happen after the loop's checkpoint, so the rejection counts as unhandled only if
     * no handler was attached when the promise becomes unreachable (collected) or when the loop
     * closes, whichever comes first; it is then reported per the loop's policy, on the loop's
     * thread. This covers the promise returned here, not a promise derived from it on the other
     * thread ({@code submit(task).then(f)}): attach the handler that consumes the failure to the
     * returned promise itself, or build the chain inside the task.
     *
     * @param task the task; must not be null
     * @param <T> the type of the result
     * @return a promise of this loop
     * @throws java.util.concurrent.RejectedExecutionException if the loop is closed
     */
    <T> Promise<T> submit(Callable<T> task);

    /**
     * Queues {@code callback} as a microtask: it runs after the current callback, before the next
     * task or timer, after microtasks already queued. JavaScript's {@code queueMicrotask}.
     *
     * @param callback the callback; must not be null
     * @throws IllegalStateException if the calling thread is not this loop's thread
     */
    void queueMicrotask(Runnable callback);

    /**
     * Runs {@code callback} once, as a task, after {@code delayMillis} (at least 1 ms, as in
     * Node). The timer keeps the loop alive until it fires unless {@link Timeout#unref()}'d.
     * Unlike Node, which turns a delay above 2^31 - 1 ms into 1 ms, any delay is kept as given;
     * one that would end past {@code Long.MAX_VALUE} ms of the loop's clock never comes due.
     *
     * @param callback the callback; must not be null
     * @param delayMillis the delay in milliseconds; {@code 0} means 1
     * @return the timer, to cancel or unref
     * @throws IllegalArgumentException if {@code delayMillis} is negative
     * @throws java.util.concurrent.RejectedExecutionException if the loop is closed
     */
    Timeout setTimeout(Runnable callback, long delayMillis);

    /**
     * {@link #setTimeout(Runnable, long)} with a {@link Duration}, rounded down to milliseconds.
     *
     * @param callback the callback
     * @param delay the delay; not negative
     * @return the timer
     */
    default Timeout setTimeout(Runnable callback, Duration delay) {
        return setTimeout(callback, Objects.requireNonNull(delay, "delay").toMillis());
    }

    /**
     * Runs {@code callback} every {@code periodMillis} (at least 1 ms), as a task, until cancelled.
     * The next run is scheduled when the callback returns, so runs never overlap or pile up.
     *
     * @param callback the callback; must not be null
     * @param periodMillis the period in milliseconds; {@code 0} means 1
     * @return the timer, to cancel or unref
     * @throws IllegalArgumentException if {@code periodMillis} is negative
     */
    Timeout setInterval(Runnable callback, long periodMillis);

    /**
     * {@link #setInterval(Runnable, long)} with a {@link Duration}.
     *
     * @param callback the callback
     * @param period the period; not negative
     * @return the timer
     */
    default Timeout setInterval(Runnable callback, Duration period) {
        return setInterval(callback, Objects.requireNonNull(period, "period").toMillis());
    }

    /**
     * Cancels {@code timer}; {@code null} is ignored, as in JavaScript.
     *
     * @param timer the timer, or null
     */
    default void clearTimeout(Timeout timer) {
        if (timer != null) {
            timer.cancel();
        }
    }

    /**
     * Cancels {@code timer}; {@code null} is ignored, as in JavaScript.
     *
     * @param timer the timer, or null
     */
    default void clearInterval(Timeout timer) {
        clearTimeout(timer);
    }

    /**
     * Returns a new pending promise of this loop with its resolving functions.
     *
     * @param <T> the type of the value
     * @return a deferred; callable from any thread
     */
    <T> Deferred<T> withResolvers();

    /**
     * Returns a promise of this loop fulfilled with {@code value}, or following it when it is a
     * promise or a {@link CompletionStage} (a promise of this loop is returned as it is).
     *
     * @param value the value; may be null
     * @param <T> the type of the value
     * @return a promise of this loop
     */
    <T> Promise<T> resolved(T value);

    /**
     * Returns a promise of this loop rejected with {@code reason}.
     *
     * @param reason the reason; must not be null
     * @param <T> the type the promise would have had
     * @return a rejected promise of this loop
     */
    <T> Promise<T> rejected(Throwable reason);

    /**
     * {@link Promise#from(CompletionStage)} on this loop.
     *
     * @param stage the stage; must not be null
     * @param <T> the type of the value
     * @return a promise of this loop that settles as the stage completes
     */
    <T> Promise<T> from(CompletionStage<? extends T> stage);

    /**
     * Takes a reference that keeps this loop running until it is closed (see {@link KeepAlive}).
     *
     * @return a new reference
     * @throws java.util.concurrent.RejectedExecutionException if the loop is closed
     */
    KeepAlive keepAlive();

    /**
     * Takes a reference that keeps this loop running, as {@link #keepAlive()} does, labelled with
     * what holds it: {@link #describe()} lists the label while the reference is held, so that a
     * program that does not end can say what it is still waiting for ("file read /tmp/a",
     * "connection pool of my-client").
     *
     * @param label what holds the loop, in words; must not be null
     * @return a new reference
     * @throws NullPointerException if {@code label} is null
     * @throws java.util.concurrent.RejectedExecutionException if the loop is closed
     */
    KeepAlive keepAlive(String label);

    /**
     * Describes, in text, what keeps this loop alive at this moment, for a program that does not
     * end or a loop that does not close: what the loop is doing now, the tasks queued, the timers
     * pending (timeouts and intervals, with the time until each is due and whether it keeps the
     * loop alive), the {@link KeepAlive} references held (with their labels, or the operation they
     * wait for: a {@code fetch}, a file or process operation, a {@code Promise.from} stage), and
     * the async bodies suspended in {@code await} (with the line where each waits). The text is
     * for people, not parsers: its form may change.
     *
     * <p>Callable from any thread. On the loop's thread (in a callback or an async body) it reads
     * the loop's state directly. From another thread it asks the loop for the snapshot (a task of
     * the loop's own, not counted as a user task) and waits for it for at most a second; when the
     * loop does not answer in that time (a callback holds it: see the blocked-loop warning) or is
     * closing, and at once on a thread of another loop (waiting would block that loop), it
     * returns what other threads can read without the loop, counts that may be slightly out of
     * date, marked as approximate, with what holds the loop now. On a closed loop it says so. It never throws and never changes the loop's state, and the snapshot task
     * does not keep a loop alive or delay its end.
     *
     * @return a multi-line description, starting with the loop's name
     */
    String describe();

    /**
     * Registers {@code action} to run once when this loop closes, for a resource that an
     * operation holds between callbacks and that must not outlive the loop (an open file, a
     * child process, a response body being read). The action runs on the loop's thread while the
     * loop closes, after it counts as closed (its pending promises already read as rejected with
     * {@link EventLoopClosedException}) and after its queued work was dropped; hooks run in no
     * particular order. If the loop has already closed, the action runs at once on the calling
     * thread. An exception thrown by the action goes to the loop's task error handler, and the
     * other hooks still run. Remove the hook ({@link CloseHook#remove()}) when the operation
     * releases the resource itself, so that a long-lived loop keeps no finished operation
     * reachable.
     *
     * <p>A hook does not keep the loop running: hold a {@link KeepAlive} for that.
     *
     * @param action what to do when the loop closes; must not be null
     * @return the registration, to remove it
     */
    CloseHook onClose(Runnable action);

    /**
     * Whether this loop has closed.
     *
     * @return {@code true} once the loop has closed, else {@code false}
     */
    boolean isClosed();

    /**
     * Closes the loop: it finishes the current callback and its microtask checkpoint, then stops,
     * rejecting every promise still pending on it. Called from a thread that runs no loop, it
     * waits until the loop has stopped; called from a callback of this loop, it returns at once;
     * called from a callback or an async body of another loop, it also returns at once, because
     * waiting would block that loop (and two loops closing each other would deadlock): use
     * {@link #terminationFuture()} there to act once it has stopped. Idempotent.
     */
    @Override
    void close();

    /**
     * Closes the loop as {@link #close()} does, but waits at most {@code timeout} for it to stop.
     * When it has not stopped by then (a callback or an async body still holds its thread), this
     * writes a warning with the stack of the thread that holds the loop and what it is running
     * (a task, a timer callback, a microtask checkpoint, an async body's turn) through the
     * {@code dev.eventual} logger (see Messages in the class description) and returns
     * {@code false}; the loop still stops once that code returns. Called from a callback or an
     * async body of this or another loop, it does not wait (see {@link #close()}) and reports
     * nothing.
     *
     * @param timeout how long to wait for the loop to stop; zero or negative: not at all
     * @return {@code true} if the loop has stopped when this returns, {@code false} if it has not
     * @throws NullPointerException if {@code timeout} is null
     */
    boolean close(Duration timeout);

    /**
     * Starts recording what this loop does into {@code timeline} (see {@link Timeline}): its
     * tasks, timer callbacks and microtask checkpoints, its timers and async bodies, and the
     * operations of Eventual's io. Called on this loop's thread it starts at once; from another
     * thread, as a task of the loop, after the tasks already queued. A loop that already records
     * stops recording into its previous timeline. Recording ends with {@link #stopRecording()} or
     * when the loop closes.
     *
     * @param timeline where to record; must not be null
     * @throws java.util.concurrent.RejectedExecutionException if the loop is closed
     */
    void startRecording(Timeline timeline);

    /**
     * Stops recording this loop's timeline: at once on this loop's thread, else as a task of the
     * loop. Operations in flight stay open in the timeline, drawn up to the moment it is written.
     * Does nothing if the loop does not record, or has closed.
     */
    void stopRecording();

    /**
     * Returns a future that completes when the loop has closed: normally, or exceptionally with
     * the {@link UnhandledRejectionException} that stopped it.
     *
     * @return the loop's termination
     */
    CompletableFuture<Void> terminationFuture();

    /**
     * Settings for a new loop. Not thread-safe; use one builder per loop.
     */
    final class Builder {
        private final LoopConfig config = new LoopConfig();

        Builder() {}

        /**
         * Sets the loop's name (default {@code "main"} for {@link #run}, {@code "eventual-N"} for
         * {@link #start}).
         *
         * @param name the name; must not be null
         * @return this builder
         */
        public Builder name(String name) {
            config.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /**
         * Sets what happens to rejections nobody handles. The default depends on how the loop
         * runs, as a Node user would expect: {@link UnhandledRejectionPolicy#THROW} for
         * {@link #run(Runnable)} (the program's loop stops and {@code run} throws, as Node 15+
         * exits with status 1), {@link UnhandledRejectionPolicy#WARN} for {@link #start()} (a
         * loop embedded in a larger program warns and goes on).
         *
         * @param policy the policy; must not be null
         * @return this builder
         */
        public Builder unhandledRejections(UnhandledRejectionPolicy policy) {
            config.policy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * Sets a handler called on the loop's thread for each unhandled rejection and each later
         * handling, before the policy applies.
         *
         * @param handler the handler; must not be null
         * @return this builder
         */
        public Builder onUnhandledRejection(UnhandledRejectionHandler handler) {
            config.rejectionHandler = Objects.requireNonNull(handler, "handler");
            return this;
        }

        /**
         * Sets the handler of exceptions thrown by tasks, timers and microtask callbacks; it runs
         * on the loop's thread and the loop goes on. The default writes a warning (see Messages in
         * the class description).
         *
         * @param handler receives the exception; must not be null
         * @return this builder
         */
        public Builder onTaskError(Consumer<? super Throwable> handler) {
            config.taskErrorHandler = Objects.requireNonNull(handler, "handler");
            return this;
        }

        /**
         * Makes the thread of a {@link #start() started} loop a daemon thread, which does not keep
         * the JVM alive (default {@code false}: like any non-daemon thread, a started loop keeps
         * the JVM running until it is closed). Ignored by {@link #run(Runnable)}.
         *
         * @param daemon whether the loop's thread is a daemon
         * @return this builder
         */
        public Builder daemon(boolean daemon) {
            config.daemon = daemon;
            return this;
        }

        /**
         * Sets the blocked-loop threshold: a task, a timer callback, a microtask checkpoint or an
         * async body's turn that holds the loop's thread longer than this is reported once, as a
         * warning through the {@code dev.eventual} logger (see Messages in the class description),
         * with the stack of the thread that holds it at that moment, what was running and for how
         * long; a second message (level {@code INFO}) when it ends gives the total. Durations are
         * known to within a quarter of the threshold (at most 100 ms). One daemon thread,
         * {@code eventual-watchdog}, watches every loop of the JVM. The default is the system
         * property {@code eventual.blockedThresholdMillis} if set, else 1 second; zero turns the
         * watchdog off for this loop.
         *
         * @param threshold how long one unit of work may hold the loop; zero: not watched
         * @return this builder
         * @throws NullPointerException if {@code threshold} is null
         * @throws IllegalArgumentException if {@code threshold} is negative
         */
        public Builder blockedThreshold(Duration threshold) {
            if (threshold.isNegative()) {
                throw new IllegalArgumentException("blockedThreshold must not be negative: " + threshold);
            }
            long millis;
            try {
                millis = threshold.toMillis();
            } catch (ArithmeticException tooLong) {
                millis = Long.MAX_VALUE; // never reported
            }
            config.blockedThresholdMillis = Math.max(threshold.isZero() ? 0 : 1, millis);
            return this;
        }

        /**
         * Turns async stack traces on or off for this loop. On, every registration made on the loop
         * ({@code then}, {@code thenCompose}, {@code thenAccept}, {@code caught}, {@code lastly},
         * {@code asCallback}, {@code toCompletableFuture}, {@code await}, {@code async},
         * {@code setTimeout}, {@code setInterval}, {@code queueMicrotask}, {@code execute},
         * {@code submit}, {@code timeout}, {@code from}, and the io module's {@code fetch}, file
         * and process calls) remembers the first frame of the calling code outside Eventual, and a
         * rejection reason that reaches user code (a rejection handler, {@code await}, a
         * {@code CompletableFuture}, the unhandled-rejection report) carries, as a suppressed
         * {@link AsyncStackTrace}, the chain of those sites from where it was raised back to the
         * code that started the work, newest first. Off costs nothing measurable; on, a
         * registration costs a few small objects, and a stack walk the first time a lambda class
         * is registered (or every time, for a handler that is not a lambda, and for {@code await}).
         * The default is the system property {@code eventual.asyncStackTraces} ({@code true} turns
         * them on for every loop), else off.
         *
         * @param on whether this loop records async stack traces
         * @return this builder
         */
        public Builder asyncStackTraces(boolean on) {
            config.asyncStackTraces = on;
            return this;
        }

        /**
         * Makes the loop record what it does into {@code timeline} from its first task (see
         * {@link Timeline}; {@link EventLoop#startRecording} starts later, on a running loop).
         * Off by default.
         *
         * @param timeline where to record; must not be null
         * @return this builder
         */
        public Builder record(Timeline timeline) {
            config.timeline = Objects.requireNonNull(timeline, "timeline").log();
            return this;
        }

        /**
         * Runs {@code main} on a new loop on the calling thread; see {@link EventLoop#run(Runnable)}.
         *
         * @param main the first task; must not be null
         */
        public void run(Runnable main) {
            EventLoopImpl.runOnCurrentThread(config.copy(), Objects.requireNonNull(main, "main"));
        }

        /**
         * Starts the loop on a new platform thread; see {@link EventLoop#start(String)}.
         *
         * @return the running loop
         */
        public EventLoop start() {
            return EventLoopImpl.startOnNewThread(config.copy());
        }
    }
}
