package dev.eventual.io.internal;

import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Kills a started process and what it started, on a thread of its own so that the caller (often
 * the loop thread, inside {@code promise.cancel()}) never blocks.
 *
 * <p>Order: the descendants are listed and get {@link ProcessHandle#destroy()} ({@code SIGTERM}
 * on Unix) first, because once the process dies its children are adopted by init and are no
 * longer its descendants; then the process itself; then the descendants are listed again, for
 * those forked meanwhile. Then the pipes are closed, which ends the feeding of standard input and
 * makes a survivor that still writes get {@code SIGPIPE}; then, after waiting up to the grace
 * period for all of them to exit, the survivors get {@link ProcessHandle#destroyForcibly()}
 * ({@code SIGKILL}). A child forked just as the process died, or one that left the tree (a
 * daemon that double-forked), is not reached; while it keeps the output pipes open, the reader
 * threads of the run stay blocked in their read (the run itself has settled and released its
 * loop; nothing else waits for them).
 */
public final class ProcessKiller {
    private ProcessKiller() {}

    /**
     * Starts killing {@code process} and its descendants; returns at once.
     *
     * @param process the process
     * @param grace how long they may take to exit after {@code destroy()}
     */
    public static void kill(Process process, Duration grace) {
        ProcessThreads.start(process.pid() + "-kill", () -> killNow(process, grace));
    }

    private static void killNow(Process process, Duration grace) {
        // Descendants first: a shell killed before its running child would leave that child
        // orphaned, out of reach, holding the pipes open.
        List<ProcessHandle> tree = new ArrayList<>(descendants(process));
        for (ProcessHandle h : tree) {
            h.destroy();
        }
        process.destroy();
        for (ProcessHandle late : descendants(process)) { // forked while the first were killed
            if (!tree.contains(late)) {
                late.destroy();
                tree.add(late);
            }
        }
        tree.add(0, process.toHandle());
        close(process.getOutputStream());
        close(process.getInputStream());
        close(process.getErrorStream());
        long deadline = System.nanoTime() + grace.toNanos();
        for (ProcessHandle h : tree) {
            try {
                h.onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException | ExecutionException e) {
                // still alive, or its exit cannot be awaited: forced below
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break; // force the rest at once
            }
        }
        for (ProcessHandle h : tree) {
            if (h.isAlive()) {
                h.destroyForcibly();
            }
        }
    }

    private static List<ProcessHandle> descendants(Process process) {
        try {
            return process.descendants().toList();
        } catch (RuntimeException e) {
            return List.of(); // not listable here (SecurityException, unsupported): the process alone
        }
    }

    private static void close(Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            // already closed or broken: nothing left to release
        }
    }
}
