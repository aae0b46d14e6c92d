package dev.eventual.testkit;

import dev.eventual.EventLoop;
import dev.eventual.Promise;
import dev.eventual.Settled;
import dev.eventual.UnhandledRejectionHandler;
import dev.eventual.UnhandledRejectionPolicy;
import dev.eventual.internal.LoopConfig;
import dev.eventual.internal.LoopDriver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.function.BooleanSupplier;

/**
 * An event loop that the test drives from its own thread, on virtual or real time: the loop a
 * test runs its code on, and the one {@link EventualTest} gives each test.
 *
 * <p>The thread that makes a {@code TestLoop} becomes that loop's thread, as
 * {@code EventLoop.run} makes its caller one, except that the loop runs only when the test says
 * so: the test's own code is the loop's top-level code (it may call {@code setTimeout},
 * {@code Promise.delay}, {@code async(...)}, ... directly), and {@link #runCurrent},
 * {@link #runUntilIdle}, {@link #await} and the {@link VirtualClock}'s methods run the loop's
 * callbacks on that thread, in the order a real loop runs them: first the microtasks the test's
 * code queued, then every due timer in deadline order and every queued task, each followed by
 * its microtask checkpoint.
 *
 * <p><b>Virtual time</b> ({@link #virtualTime()}): the loop clock starts at 0 and moves only
 * through {@link #clock()} (advanceBy, advanceToNextTimer, runUntilIdle) or {@link #await},
 * which moves it to each next timer until the promise settles. Everything built on the loop's
 * clock follows it: {@code setTimeout}, {@code setInterval}, {@code Promise.delay},
 * {@code timeout}, {@code retry}'s backoff and budget, {@code AbortSignal.timeout}, and async
 * bodies that await any of them. The same program gives the same order of callbacks and the same
 * virtual times on every run and every machine (give a {@code RetryPolicy} a seeded random for
 * the same backoff waits). A day of timers (86,400 one-second interval runs, a retry with
 * exponential backoff over 24 hours and 10,000 random timeouts) runs in a fraction of a second
 * of wall time, with the same log on every run (figures and the command that measures them: the
 * README's "Testing your code").
 *
 * <p>The JVM's own clocks are not virtual: code under test that reads
 * {@code System.currentTimeMillis()}, {@code System.nanoTime()} or {@code Instant.now()} sees
 * the real time (sinon and Node's mock timers fake {@code Date}; Java has no such hook). Give such
 * code a {@code java.time.Clock} or a time source as a parameter, and in the test one that reads
 * {@link VirtualClock#nowMillis()}.
 *
 * <p><b>Outside work</b> (I/O, a {@code CompletionStage} the loop follows, anything that holds a
 * {@code KeepAlive} or posts tasks from another thread) is not virtual. The virtual clock never
 * moves while such work is in flight: before it moves, the loop waits for that work in real time,
 * up to {@link #realTimeLimit()} (10 s unless set), and then fails with an
 * {@link IllegalStateException} that says what it was waiting for, so a virtual-time test that
 * waits on a request that never answers fails instead of hanging. In virtual time, outside work
 * therefore always completes before the next timer: to test a timeout of a request that hangs,
 * answer it with a fake that returns a pending promise, or use real time.
 *
 * <p><b>Real time</b> ({@link #realTime()}): the same driving methods, on the real clock;
 * {@link #await} and {@link #runUntilIdle} wait until timers fall due, and give up after
 * {@link #realTimeLimit()} with an {@link IllegalStateException} that reports what the loop was
 * waiting for (its timers, outside work and suspended async bodies).
 *
 * <p><b>Failures</b>: unhandled rejections and exceptions thrown by callbacks do not stop the
 * loop; they are collected ({@link #unhandledRejections()}, {@link #callbackErrors()}) for the
 * test to check ({@link EventualTest} fails the test on them). Every driving method throws
 * {@link IllegalStateException} when called off the loop's thread, from inside one of its
 * callbacks or async bodies, or after {@link #close}. A callback that closes the loop
 * ({@code loop.close()}) closes it at the end of that callback, as on a real loop: the driving
 * method returns, the loop's pending promises read as rejected, and later driving calls throw.
 *
 * <p>Not thread-safe: one thread makes, drives and closes it.
 */
public final class TestLoop implements AutoCloseable {
    private static final ThreadLocal<TestLoop> CURRENT = new ThreadLocal<>();
    private static final Duration DEFAULT_REAL_TIME_LIMIT = Duration.ofSeconds(10);

    private final LoopDriver driver;
    private final VirtualClock clock;
    private final List<Throwable> rejections = Collections.synchronizedList(new ArrayList<>());
    private final List<Throwable> callbackErrors = Collections.synchronizedList(new ArrayList<>());
    private Duration realTimeLimit = DEFAULT_REAL_TIME_LIMIT;
    /** Called with each report after it is collected; loop thread only, as the reports are. */
    private UnhandledRejectionHandler rejectionListener;

    private TestLoop(String name, boolean virtual) {
        LoopConfig config = new LoopConfig();
        config.name = name;
        config.policy = UnhandledRejectionPolicy.IGNORE; // collected below; the test decides
        config.rejectionHandler = new UnhandledRejectionHandler() {
            @Override
            public void unhandled(Promise<?> promise, Throwable reason) {
                rejections.add(reason);
                if (rejectionListener != null) {
                    rejectionListener.unhandled(promise, reason);
                }
            }

            @Override
            public void handledLater(Promise<?> promise, Throwable reason) {
                rejections.remove(reason); // a handler came after the report: no longer unhandled
                if (rejectionListener != null) {
                    rejectionListener.handledLater(promise, reason);
                }
            }
        };
        config.taskErrorHandler = callbackErrors::add;
        if (virtual) {
            clock = new VirtualClock(this);
            config.clock = clock::nowMillis;
        } else {
            clock = null;
        }
        driver = new LoopDriver(config);
        CURRENT.set(this);
    }

    /**
     * Makes a loop on virtual time, named "test", whose thread is the calling thread.
     *
     * @return the loop; close it when done
     * @throws IllegalStateException if the calling thread already runs an event loop
     */
    public static TestLoop virtualTime() {
        return new TestLoop("test", true);
    }

    /**
     * Makes a loop on the real clock, named "test", whose thread is the calling thread.
     *
     * @return the loop; close it when done
     * @throws IllegalStateException if the calling thread already runs an event loop
     */
    public static TestLoop realTime() {
        return new TestLoop("test", false);
    }

    /**
     * The test loop the calling thread drives, if any.
     *
     * @return that loop, or empty
     */
    public static Optional<TestLoop> current() {
        return Optional.ofNullable(CURRENT.get());
    }

    /**
     * Sets how long (real time) the driving methods wait for outside work, or, in real time, for
     * a promise or for the loop to become idle, before they fail. Default 10 s.
     *
     * @param limit a positive duration
     * @return this
     */
    public TestLoop realTimeLimit(Duration limit) {
        if (limit.isNegative() || limit.isZero()) {
            throw new IllegalArgumentException("realTimeLimit must be positive: " + limit);
        }
        this.realTimeLimit = limit;
        return this;
    }

    /**
     * Also calls {@code handler} for each rejection this loop reports unhandled and each one
     * handled after it was reported, at the moment the loop reports it: on the loop's thread,
     * after the microtask checkpoint that left it unhandled (Node's {@code unhandledRejection}
     * and {@code rejectionHandled} events), so that a test can see where in the order of its
     * callbacks each report came. The reports are still collected
     * ({@link #unhandledRejections()}). An exception thrown by the handler is collected as a
     * callback error ({@link #callbackErrors()}). A later call replaces the handler.
     *
     * @param handler what to call; {@code null} for nothing
     * @return this
     */
    public TestLoop onUnhandledRejection(UnhandledRejectionHandler handler) {
        this.rejectionListener = handler;
        return this;
    }

    /**
     * How long the driving methods wait in real time before they fail.
     *
     * @return the limit
     */
    public Duration realTimeLimit() {
        return realTimeLimit;
    }

    /**
     * The event loop, to pass to the code under test.
     *
     * @return the loop
     */
    public EventLoop eventLoop() {
        return driver.loop();
    }

    /**
     * Whether this loop runs on virtual time.
     *
     * @return true for virtual time
     */
    public boolean isVirtualTime() {
        return clock != null;
    }

    /**
     * The virtual clock.
     *
     * @return the clock
     * @throws IllegalStateException on a real-time loop, which has none
     */
    public VirtualClock clock() {
        if (clock == null) {
            throw new IllegalStateException("test loop '" + eventLoop().name() + "' runs on real time and has no"
                    + " virtual clock; make it with TestLoop.virtualTime() (or @EventualTest without realTime)");
        }
        return clock;
    }

    /**
     * The loop clock: time since the loop was made (virtual or real).
     *
     * @return the time
     */
    public Duration now() {
        return Duration.ofMillis(driver.clock());
    }

    /** Runs what is due now, without moving the clock or waiting (see the class javadoc). */
    public void runCurrent() {
        driver.runDue();
    }

    /**
     * Runs the loop until nothing is left that keeps a loop alive: no referenced timer, no task,
     * no outside work (timers that were unref'd, such as {@code AbortSignal.timeout}'s, do not
     * count, as they do not keep a real loop alive). In virtual time the clock jumps from timer
     * to timer; an endless {@code setInterval} makes this fail after the real-time limit.
     *
     * @throws IllegalStateException past the real-time limit, with what the loop was waiting for
     */
    public void runUntilIdle() {
        drive("runUntilIdle", () -> false, Long.MAX_VALUE, true);
    }

    /**
     * Runs the loop until {@code promise} settles, and returns its value: in virtual time the
     * clock moves from timer to timer as far as needed. It is how a test waits for a promise
     * (JUnit test methods return void, so a test cannot return it).
     *
     * @param promise a promise of this loop, or of another loop (then waited for in real time, up
     *     to the real-time limit, as outside work: this loop runs what it is given meanwhile)
     * @param <T> the value's type
     * @return the value
     * @throws RuntimeException the rejection reason if unchecked, else a
     *     {@link CompletionException} with it as the cause
     * @throws IllegalStateException if the promise can never settle (nothing left on the loop
     *     that could settle it), or the real-time limit passes; the message says what was pending
     */
    public <T> T await(Promise<T> promise) {
        Objects.requireNonNull(promise, "promise");
        if (promise.loop() != eventLoop()) {
            if (!awaitForeign("await", promise, realTimeLimit)) {
                throw new IllegalStateException("await: the promise of event loop '" + promise.loop().name()
                        + "' did not settle within the real-time limit of " + realTimeLimit.toMillis()
                        + " ms (a promise of another loop is outside work: this loop ran meanwhile, its clock"
                        + " stood still)");
            }
        } else {
            drive("await", () -> !promise.isPending(), Long.MAX_VALUE, false);
        }
        if (promise.isPending()) {
            throw new IllegalStateException("await: the promise can never settle: nothing is left on event loop '"
                    + eventLoop().name() + "' that could settle it (at " + driver.clock() + " ms: " + pendingWork()
                    + "); a Deferred nobody resolves, or a promise of another loop?");
        }
        Settled<T> outcome = promise.peek().orElseThrow();
        if (outcome instanceof Settled.Fulfilled<T> f) {
            return f.value();
        }
        Throwable reason = ((Settled.Rejected<T>) outcome).reason();
        if (reason instanceof RuntimeException r) {
            throw r;
        }
        if (reason instanceof Error e) {
            throw e;
        }
        throw new CompletionException("promise rejected with a checked exception: " + reason, reason);
    }

    /**
     * Runs the loop until {@code promise} settles or the loop clock has moved {@code within}
     * (virtual or real, as this loop's time), whichever comes first.
     *
     * @return whether the promise settled
     */
    boolean runUntilSettled(Promise<?> promise, Duration within) {
        if (promise.loop() != eventLoop()) {
            return awaitForeign("settlesWithin", promise, within);
        }
        long until = saturatedAdd(driver.clock(), within.toMillis());
        drive("settlesWithin", () -> !promise.isPending(), until, false);
        if (clock != null && promise.isPending() && !eventLoop().isClosed()) {
            clock.moveTo(until);
            driver.runDue();
        }
        return !promise.isPending();
    }

    /**
     * Waits, in real time up to {@code limit}, for a promise of another loop, running what this
     * loop is given meanwhile (its own clock does not move: the other loop's work is outside work).
     */
    private boolean awaitForeign(String what, Promise<?> promise, Duration limit) {
        driver.checkDriver(what);
        long deadline = System.nanoTime() + limit.toNanos();
        for (;;) {
            driver.runDue();
            throwIfFatal();
            if (!promise.isPending()) {
                return true;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            driver.awaitOutsideWork(Math.min(left, 1_000_000L)); // it settles on its own thread: look each ms
        }
    }

    /** VirtualClock.advanceBy and advanceToNextTimer: runs every timer due up to {@code until}. */
    void advanceTo(long until) {
        drive("advanceBy", () -> false, until, false);
        if (!eventLoop().isClosed()) {
            clock.moveTo(Math.max(until, clock.nowMillis()));
            driver.runDue();
        }
    }

    /** The next timer's deadline, after running what is due now; Long.MAX_VALUE for none. */
    long nextDeadline() {
        driver.runDue();
        return driver.nextDeadline();
    }

    static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return sum < a ? Long.MAX_VALUE : sum;
    }

    /**
     * The driving loop. Runs what is due; returns when {@code done}, when the clock would pass
     * {@code until}, or when idle: no task, no outside work and no timer ({@code referencedOnly}:
     * no referenced timer). Outside work in flight is waited for (real time) before the virtual
     * clock moves. Fails past the real-time limit.
     */
    private void drive(String what, BooleanSupplier done, long until, boolean referencedOnly) {
        driver.checkDriver(what);
        long startNanos = System.nanoTime();
        long limitNanos = realTimeLimit.toNanos();
        for (;;) {
            driver.runDue();
            throwIfFatal();
            if (done.getAsBoolean() || eventLoop().isClosed()) {
                return; // closed by one of its callbacks: its pending promises now read as rejected
            }
            boolean outside = driver.hasTasks() || driver.keepAlives() > 0;
            long next = driver.nextDeadline();
            boolean timersLeft = referencedOnly ? driver.referencedTimers() > 0 : next != Long.MAX_VALUE;
            if (!outside && !timersLeft) {
                return;
            }
            long waitedNanos = System.nanoTime() - startNanos;
            if (waitedNanos > limitNanos) {
                throw stuck(what, outside);
            }
            if (clock != null) {
                if (outside) {
                    driver.awaitOutsideWork(Math.min(limitNanos - waitedNanos, 10_000_000L));
                } else if (next > until) {
                    return;
                } else {
                    clock.moveTo(next);
                }
            } else {
                long now = driver.clock();
                if (now >= until) {
                    return;
                }
                long wakeAt = Math.min(Math.min(next, until), now + 10); // re-checks keep-alives every 10 ms
                driver.awaitOutsideWork(Math.min(limitNanos - waitedNanos, Math.max(1, wakeAt - now) * 1_000_000L));
            }
        }
    }

    private IllegalStateException stuck(String what, boolean outside) {
        String mode = clock != null ? "virtual" : "real";
        String why = clock != null && outside
                ? "outside work is in flight (I/O, a followed CompletionStage, a held KeepAlive) and virtual time"
                        + " does not move until it completes"
                : "the loop still had work";
        return new IllegalStateException(what + " on test loop '" + eventLoop().name() + "' gave up after "
                + realTimeLimit.toMillis() + " ms of real time: " + why + "; at " + driver.clock() + " ms " + mode
                + " time it was waiting for: " + pendingWork());
    }

    private void throwIfFatal() {
        Throwable fatal = driver.fatal();
        if (fatal != null) {
            throw new IllegalStateException("event loop '" + eventLoop().name() + "' failed: " + fatal, fatal);
        }
    }

    /**
     * What is left on the loop now: what it would wait for, or what a test left behind.
     *
     * @return the pending work
     */
    public PendingWork pendingWork() {
        driver.checkDriver("pendingWork");
        long next = driver.nextDeadline();
        return new PendingWork(driver.referencedTimers(), driver.timers() - driver.referencedTimers(),
                next == Long.MAX_VALUE ? -1 : next, driver.hasTasks(), driver.asyncBodies(), driver.keepAlives());
    }

    /**
     * The reasons of the rejections reported unhandled so far (and not handled later), oldest first.
     *
     * @return a copy of the list
     */
    public List<Throwable> unhandledRejections() {
        synchronized (rejections) {
            return List.copyOf(rejections);
        }
    }

    /**
     * The exceptions thrown by callbacks (timers, tasks, handlers) so far, oldest first.
     *
     * @return a copy of the list
     */
    public List<Throwable> callbackErrors() {
        synchronized (callbackErrors) {
            return List.copyOf(callbackErrors);
        }
    }

    /**
     * Closes the loop: pending timers are dropped, suspended async bodies end (their await
     * throws {@code EventLoopClosedException}), pending promises of the loop read as rejected,
     * and the thread runs no loop any more. Idempotent.
     *
     * @throws IllegalStateException on another thread than the one that made it
     */
    @Override
    public void close() {
        try {
            driver.close();
        } finally {
            if (CURRENT.get() == this) {
                CURRENT.remove();
            }
        }
    }

    @Override
    public String toString() {
        return "TestLoop['" + eventLoop().name() + "', " + (clock != null ? "virtual" : "real") + " time, at "
                + driver.clock() + " ms]";
    }
}
