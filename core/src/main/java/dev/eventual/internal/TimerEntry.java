package dev.eventual.internal;

/**
 * What a {@link TimerQueue} holds: a {@link TimerTask} (setTimeout, setInterval, and the timers
 * of timeouts and retries) or a {@link Delay}, the promise of {@code Promise.delay}, which is its
 * own timer so that a pending delay is one object, not a promise and a task.
 *
 * <p>The queue reads and writes an entry's slot and reads whether it keeps the loop alive; what
 * firing means is the loop's ({@code EventLoopImpl.runDueTimers}). Loop thread only.
 */
interface TimerEntry {
    /** This entry's slot in its queue, -1 when in none. */
    int timerSlot();

    /** The queue moved this entry to slot {@code i} (-1: it left the queue). */
    void timerSlot(int i);

    /** Whether this entry keeps its loop alive while queued. */
    boolean timerReferenced();
}
