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
 * <p>Order: on Unix the tree is frozen first: the process and then each descendant found get
 * {@code SIGSTOP} (through {@code kill -STOP}), listing again until no new one appears, so that no
 * member can fork a child that escapes the listing (a shell that forks {@code sleep} just as it is
 * killed would otherwise leave the sleep orphaned, adopted by init, holding the pipes). Then the
 * descendants get {@link ProcessHandle#destroy()} ({@code SIGTERM}) before the process itself,
 * because once the process dies its children are no longer its descendants; then the tree gets
 * {@code SIGCONT}, so that each can act on its {@code SIGTERM}; then the descendants are listed
 * again, for any forked meanwhile (possible only where freezing is not). Then the pipes are closed, which ends the feeding of standard input and
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
        List<ProcessHandle> tree = new ArrayList<>();
        boolean frozen = freeze(process, tree);
        for (ProcessHandle h : tree) {
            h.destroy();
        }
        process.destroy();
        if (frozen) {
            List<ProcessHandle> all = new ArrayList<>(tree);
            all.add(process.toHandle());
            signal("-CONT", all);
        }
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

    /**
     * Stops the process and every descendant with {@code SIGSTOP}, round after round until a
     * listing finds no new one, adding the descendants to {@code tree}; returns whether the tree
     * is frozen. Where {@code kill} cannot be run (not Unix), lists the descendants once.
     */
    private static boolean freeze(Process process, List<ProcessHandle> tree) {
        if (java.io.File.separatorChar != '/' || !signal("-STOP", List.of(process.toHandle()))) {
            tree.addAll(descendants(process));
            return false;
        }
        for (int round = 0; round < 100; round++) {
            List<ProcessHandle> fresh = new ArrayList<>();
            for (ProcessHandle d : descendants(process)) {
                if (!tree.contains(d)) {
                    fresh.add(d);
                }
            }
            if (fresh.isEmpty()) {
                return true;
            }
            signal("-STOP", fresh);
            tree.addAll(fresh);
        }
        return true;
    }

    /** Sends {@code signal} to {@code targets} with {@code kill}; returns whether it ran and succeeded. */
    private static boolean signal(String signal, List<ProcessHandle> targets) {
        List<String> command = new ArrayList<>(List.of("kill", signal));
        for (ProcessHandle h : targets) {
            command.add(Long.toString(h.pid()));
        }
        try {
            Process kill = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return kill.waitFor(5, TimeUnit.SECONDS) && kill.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
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
