package dev.eventual.internal;

import dev.eventual.EventLoop;

/**
 * An event loop driven step by step by the thread that made it, for the testkit (exported to
 * module dev.eventual.testkit only).
 *
 * <pre>
 * Overview
 *
 * The thread that calls the constructor becomes the loop's thread, as EventLoop.run makes its
 * caller one, but the loop does not run by itself: the code on that thread (a test) is the
 * loop's top-level code, and every {@link #runDue} is one stretch of the loop: a checkpoint for
 * the microtasks that code queued (its task ended), then, at the loop clock's current reading,
 * every due timer in (deadline, seq) order and every queued task, each followed by its microtask
 * checkpoint, exactly as {@link EventLoopImpl#loop} runs them, until nothing is due. Whoever drives it
 * decides when the clock moves (a virtual {@link LoopClock}) and when to wait for outside work.
 *
 * Invariants: runDue runs only on the driving thread and never inside itself (a callback or an
 * async body that tried would run the loop's callbacks on a thread that does not have the turn,
 * or nested in one); every inspection method reads loop-confined state and so is for the
 * driving thread too, between steps.
 * </pre>
 */
public final class LoopDriver {
    private final EventLoopImpl loop;
    private boolean running;

    /**
     * Makes a loop whose thread is the calling thread.
     *
     * @throws IllegalStateException if the calling thread already runs a loop
     */
    public LoopDriver(LoopConfig config) {
        EventLoopImpl existing = EventLoopImpl.current();
        if (existing != null) {
            throw new IllegalStateException("thread '" + Thread.currentThread().getName()
                    + "' already runs event loop '" + existing.name() + "'; a thread drives one loop at a time");
        }
        LoopConfig c = config.copy();
        if (c.name == null) {
            c.name = "test";
        }
        loop = new EventLoopImpl(c, true);
        loop.thread = Thread.currentThread();
        EventLoopImpl.CURRENT.set(loop);
    }

    /** The loop. */
    public EventLoop loop() {
        return loop;
    }

    /** The loop clock, in ms. */
    public long clock() {
        return loop.clock();
    }

    /**
     * Runs everything due now (see the overview). If a callback closed the loop, the loop closes
     * at the end of the callback, as a running loop does.
     *
     * @throws IllegalStateException off the driving thread, inside a callback or an async body
     */
    public void runDue() {
        checkDriver("running the loop");
        running = true;
        try {
            loop.now = loop.clock();
            loop.checkpoint();
            loop.trimQueuesIfDue(); // as between the loop's iterations: the microtasks are drained
            while (!loop.closeRequested) {
                loop.runDueTimers();
                if (loop.closeRequested) {
                    break;
                }
                loop.runTasks();
                if (loop.closeRequested || (!loop.tasks.hasReadable() && !timerDue())) {
                    break;
                }
            }
        } finally {
            running = false;
        }
        if (loop.closeRequested && loop.fatal == null) {
            close(); // a callback closed the loop: it closes now, as a running loop would after this callback
        }
    }

    private boolean timerDue() {
        return loop.timers.size() > 0 && loop.timers.nextDeadline() <= loop.now;
    }

    /** Parks the driving thread for at most {@code nanos}, or until outside work arrives. */
    public void awaitOutsideWork(long nanos) {
        checkDriver("waiting for outside work");
        if (nanos > 0) {
            loop.parkForWork(nanos);
        }
    }

    /**
     * Throws unless the calling thread drives this loop and is not inside one of its callbacks.
     *
     * @param what what the caller was about to do, for the message
     */
    public void checkDriver(String what) {
        Thread t = Thread.currentThread();
        if (loop.isClosed()) {
            throw new IllegalStateException(what + ": event loop '" + loop.name() + "' is closed");
        }
        if (t != loop.thread || loop.turn != null || running) {
            throw new IllegalStateException(what + " is for the test's own code on thread '" + loop.thread.getName()
                    + "', which drives event loop '" + loop.name() + "'; it was called "
                    + (t != loop.thread ? "on thread '" + t.getName() + "'"
                            : loop.turn != null ? "inside an async body" : "inside a callback of the loop")
                    + ". Drive the loop from the test method, between steps");
        }
    }

    /** Whether a task is queued or being queued (posted from another thread, or by a callback). */
    public boolean hasTasks() {
        return !loop.tasks.isEmpty();
    }

    /** Pending timers, referenced or not. */
    public int timers() {
        return loop.timers.size();
    }

    /** Pending timers that keep a loop alive (not unref'd). */
    public int referencedTimers() {
        return loop.timers.referencedCount();
    }

    /** The deadline of the next timer (loop clock, ms), or Long.MAX_VALUE when there is none. */
    public long nextDeadline() {
        return loop.timers.size() == 0 ? Long.MAX_VALUE : loop.timers.nextDeadline();
    }

    /** Held KeepAlives: outside work in flight (I/O, a CompletionStage the loop follows). */
    public int keepAlives() {
        return loop.keepAliveCount();
    }

    /** Async bodies that have not ended (suspended in await). */
    public int asyncBodies() {
        return loop.bodies == null ? 0 : loop.bodies.count();
    }

    /** The failure that asked the loop to stop (a THROW policy), or null. */
    public Throwable fatal() {
        return loop.fatal;
    }

    /** Closes the loop on the driving thread (pending promises reject, bodies end) and frees the thread. */
    public void close() {
        if (loop.isClosed()) {
            return;
        }
        if (Thread.currentThread() != loop.thread) {
            throw new IllegalStateException("close the test loop '" + loop.name() + "' on thread '"
                    + loop.thread.getName() + "', which drives it, not on '" + Thread.currentThread().getName() + "'");
        }
        try {
            loop.shutdown();
        } finally {
            EventLoopImpl.CURRENT.remove();
        }
    }
}
