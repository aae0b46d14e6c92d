package dev.eventual.io.process;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Starts the threads that do the blocking work of a process run (starting it, feeding its
 * standard input, reading its output, killing it) and keeps the set of those still alive, so
 * tests and diagnostics can check that a run leaves none behind.
 *
 * <p>Every thread is virtual, named {@code eventual-process-...}, and is in {@link #LIVE} from
 * just before it starts until its task has returned. A task must catch what it can throw; what
 * escapes goes to the thread's default uncaught-exception handler.
 */
final class ProcessThreads {
    /** The prefix of every thread's name. */
    static final String PREFIX = "eventual-process-";

    /** Threads started and not yet finished; a concurrent set, added to and removed from by any thread. */
    private static final Set<Thread> LIVE = ConcurrentHashMap.newKeySet();

    private ProcessThreads() {}

    /**
     * Starts {@code task} on a new virtual thread named {@code PREFIX + name}.
     *
     * @param name the rest of the thread's name, e.g. {@code "1234-stdout"}
     * @param task what it runs
     * @return the started thread
     */
    static Thread start(String name, Runnable task) {
        Thread thread = Thread.ofVirtual().name(PREFIX + name).unstarted(() -> {
            try {
                task.run();
            } finally {
                LIVE.remove(Thread.currentThread());
            }
        });
        LIVE.add(thread); // before start, so that live() never misses a running one
        thread.start();
        return thread;
    }

    /** Returns the threads started here whose task has not returned yet. */
    static List<Thread> live() {
        return List.copyOf(LIVE);
    }
}
