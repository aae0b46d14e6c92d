package dev.eventual.internal;

/**
 * A task the library posts to its own loop to keep its books (a timer set, cancelled or unref'd
 * from another thread; a late "handled" report): not user work. When the loop closes with such a
 * task still queued, its close report does not count it as a task not run; it counts the user
 * timer the task would have started, if any ({@link #timersNotStarted}).
 */
interface Bookkeeping extends Runnable {
    /** How many live, referenced user timers this task would have queued: 0 or 1. */
    default int timersNotStarted() {
        return 0;
    }
}
