package dev.eventual.io.file;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The platform threads that do the blocking reads and writes of pipes, FIFOs and devices, which
 * may wait for a peer for as long as it likes.
 *
 * <p>Why not the virtual threads of {@link FileThreads}: closing a channel from another thread
 * interrupts a blocking read or write only on a platform thread (the JDK signals that thread);
 * a virtual thread blocked in a pipe read holds the close until the peer writes or goes away.
 * So a cancel, an abort or a loop's close ends a pipe operation at once only if its blocking
 * call runs here.
 *
 * <p>A cached pool of daemon threads: a thread per blocked call, kept a minute after its last
 * call; daemon, so they never keep the JVM running.
 */
final class PipeThreads {
    private static final AtomicInteger COUNT = new AtomicInteger();
    private static final ExecutorService EXECUTOR = new ThreadPoolExecutor(0, Integer.MAX_VALUE,
            60, TimeUnit.SECONDS, new SynchronousQueue<>(), task -> {
                Thread t = new Thread(task, "eventual-pipe-" + COUNT.getAndIncrement());
                t.setDaemon(true);
                return t;
            });

    private PipeThreads() {}

    /** Returns the executor; thread-safe. */
    static ExecutorService executor() {
        return EXECUTOR;
    }
}
