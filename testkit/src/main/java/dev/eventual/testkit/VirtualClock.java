package dev.eventual.testkit;

import java.time.Duration;
import java.util.Objects;

/**
 * The virtual clock of a {@link TestLoop}: the loop's time, which moves only through these
 * methods (and {@link TestLoop#await}, {@link TestLoop#runUntilIdle}). It starts at 0.
 *
 * <p>Moving it runs the loop as a real loop would run over that stretch of time: every timer that
 * falls due on the way fires at its own deadline (the clock reads that deadline inside its
 * callback), in (deadline, order set) order, each followed by its microtask checkpoint, and
 * timers set by those callbacks fire on the way too if they fall due before the end. Outside work
 * in flight (I/O) is waited for first, in real time: see "Outside work" in {@link TestLoop}.
 *
 * <p>Every method runs on the loop's thread, from the test's own code, and throws
 * {@link IllegalStateException} elsewhere (another thread, a callback, an async body), after
 * the loop is closed, or when outside work does not complete within the real-time limit.
 */
public final class VirtualClock {
    private final TestLoop loop;
    /** Written only by the driving thread; read by it, its async bodies and (in a timer set from another thread) the loop. */
    private volatile long millis;

    VirtualClock(TestLoop loop) {
        this.loop = loop;
    }

    /**
     * The virtual time since the loop was made.
     *
     * @return the time
     */
    public Duration now() {
        return Duration.ofMillis(millis);
    }

    /**
     * The virtual time since the loop was made, in ms.
     *
     * @return the time in ms
     */
    public long nowMillis() {
        return millis;
    }

    /** Runs what is due now (the test's microtasks, due timers, queued tasks) without moving the clock. */
    public void runCurrent() {
        loop.runCurrent();
    }

    /**
     * Moves the clock forward by {@code duration} (rounded down to ms), running every timer due
     * on the way at its deadline, then what is due at the end.
     *
     * @param duration how far; not negative
     * @throws IllegalArgumentException if {@code duration} is negative
     */
    public void advanceBy(Duration duration) {
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative()) {
            throw new IllegalArgumentException("the virtual clock only moves forward: advanceBy(" + duration + ")");
        }
        loop.advanceTo(TestLoop.saturatedAdd(millis, duration.toMillis()));
    }

    /**
     * Moves the clock to the next timer's deadline and runs every timer due then.
     *
     * @return false (and the clock stays) if there is no timer
     */
    public boolean advanceToNextTimer() {
        long next = loop.nextDeadline();
        if (next == Long.MAX_VALUE) {
            return false;
        }
        loop.advanceTo(next);
        return true;
    }

    /** {@link TestLoop#runUntilIdle()}: every timer that keeps the loop alive, the clock jumping between them. */
    public void runUntilIdle() {
        loop.runUntilIdle();
    }

    void moveTo(long to) {
        if (to > millis) {
            millis = to;
        }
    }

    @Override
    public String toString() {
        return "VirtualClock[" + millis + " ms]";
    }
}
