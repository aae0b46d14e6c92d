package dev.eventual.bench;

import java.util.concurrent.locks.LockSupport;

/**
 * How a benchmark thread waits for work it handed to a loop: the loop's last handler calls
 * {@link #signal()}, the benchmark thread polls in {@link #await()}. No park there: a wake-up of a
 * parked thread costs more than most operations measured here ({@link #awaitParked} is for the
 * ones that take milliseconds). It yields instead of spinning: with 2
 * cores, a spinning waiter that shares a core with the loop thread would take the loop's time
 * and make every result depend on where the scheduler put the two threads.
 *
 * <p>A peer that breaks (Reactor's {@code Mono.map} chain of 100,000 overflows the stack, for
 * one) reports it with {@link #fail}; {@link #await} then throws it, so JMH records that
 * benchmark as failed, with the error, and goes on with the next one instead of waiting forever.
 * Volatile reads and writes only: {@code failure} is written before {@code done}, and read after.
 */
final class Done {
    private volatile boolean done;
    private volatile Throwable failure;
    /** The thread in {@link #awaitParked}, or null: written before it reads done, read after done is written. */
    private volatile Thread parked;

    void signal() {
        done = true;
        unparkWaiter();
    }

    void fail(Throwable t) {
        failure = t;
        done = true;
        unparkWaiter();
    }

    private void unparkWaiter() {
        Thread waiter = parked;
        if (waiter != null) {
            LockSupport.unpark(waiter);
        }
    }

    /** Runs {@code work}, and reports what it throws through {@link #fail}. */
    Runnable guard(Runnable work) {
        return () -> {
            try {
                work.run();
            } catch (Throwable t) {
                fail(t);
            }
        };
    }

    void await() {
        while (!done) {
            Thread.yield();
        }
        finish();
    }

    /**
     * Waits parked, for operations of milliseconds (a wake-up is then noise), where a yielding
     * waiter would take a tenth of the CPU time from the work measured on 2 cores. No lost
     * wake-up: the waiter writes {@code parked} before it reads {@code done}, the signaller writes
     * {@code done} before it reads {@code parked} (all volatile).
     */
    void awaitParked() {
        parked = Thread.currentThread();
        while (!done) {
            LockSupport.park(this);
        }
        parked = null;
        finish();
    }

    private void finish() {
        done = false;
        Throwable t = failure;
        if (t != null) {
            failure = null;
            throw new IllegalStateException("the implementation under test failed: " + t, t);
        }
    }
}
