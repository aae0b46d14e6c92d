package dev.eventual.testkit;

import java.util.ArrayList;
import java.util.List;

/**
 * What is left on a {@link TestLoop}: what it is waiting for, or what a test left behind.
 *
 * @param timers pending timers that keep the loop alive
 * @param unrefTimers pending timers that do not (unref'd, such as {@code AbortSignal.timeout}'s)
 * @param nextTimerAt the loop-clock time (ms) of the next timer, or -1 when there is none
 * @param queuedTasks whether tasks are queued (posted from other threads, not yet run)
 * @param asyncBodies async bodies that have not ended (suspended in await)
 * @param outsideWork held KeepAlives: I/O or other outside work in flight
 */
public record PendingWork(int timers, int unrefTimers, long nextTimerAt, boolean queuedTasks, int asyncBodies,
                          int outsideWork) {

    /**
     * Whether nothing is left that a test would have to finish or cancel (unref'd timers aside).
     *
     * @return true when no timer, task, async body or outside work is left
     */
    public boolean isEmpty() {
        return timers == 0 && !queuedTasks && asyncBodies == 0 && outsideWork == 0;
    }

    /** One line: "2 timers (next at 1500 ms), 1 async body suspended in await", or "nothing". */
    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        if (timers > 0) {
            parts.add(timers + (timers == 1 ? " timer" : " timers") + " (next at " + nextTimerAt + " ms)");
        }
        if (unrefTimers > 0) {
            parts.add(unrefTimers + " unref'd " + (unrefTimers == 1 ? "timer" : "timers")
                    + (timers == 0 ? " (next at " + nextTimerAt + " ms)" : ""));
        }
        if (queuedTasks) {
            parts.add("queued tasks");
        }
        if (asyncBodies > 0) {
            parts.add(asyncBodies + (asyncBodies == 1 ? " async body" : " async bodies") + " suspended in await");
        }
        if (outsideWork > 0) {
            parts.add(outsideWork + " outside operation(s) in flight (held KeepAlive: I/O, a followed CompletionStage)");
        }
        return parts.isEmpty() ? "nothing" : String.join(", ", parts);
    }
}
