package dev.eventual.io.file;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The threads that do the files' blocking work, so that a loop thread never does: opening and
 * closing channels, and the reads and writes themselves (an {@code AsynchronousFileChannel}
 * opened with {@link #executor()} runs its operations and their completion handlers there).
 *
 * <p>One virtual thread per task: a file operation blocks its thread in a system call, and
 * virtual threads make that cheap without a pool to size or shut down. They are daemon threads,
 * so they never keep the JVM running; what keeps a loop running is the {@code KeepAlive} each
 * operation holds.
 */
final class FileThreads {
    /** Never shut down: its threads only exist while a task runs. */
    private static final ExecutorService EXECUTOR =
            Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("eventual-file-", 0).factory());

    private FileThreads() {}

    /** Returns the executor; thread-safe. */
    static ExecutorService executor() {
        return EXECUTOR;
    }
}
