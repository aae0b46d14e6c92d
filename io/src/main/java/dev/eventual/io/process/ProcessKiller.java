package dev.eventual.io.process;

import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Kills a started process and every process it started, on a thread of its own so that the
 * caller (often the loop thread, inside {@code promise.cancel()}) never blocks, and completes a
 * future with the {@link Outcome} once every one of them is gone: exited, or a zombie waiting
 * for its parent to reap it. The run holds its loop alive until then.
 *
 * <h2>Order</h2>
 * <ol>
 *   <li>{@code SIGTERM}, the tree frozen meanwhile (Unix): the process and then each descendant
 *   found get {@code SIGSTOP}, listing again until no new one appears, so that no member can fork
 *   a child that escapes the listing (a shell that forks {@code sleep} just as it is killed would
 *   otherwise leave the sleep orphaned, adopted by init, holding the pipes); then the descendants
 *   get {@code destroy()} ({@code SIGTERM}) before the process itself, because once the process
 *   dies its children are no longer its descendants; then every member gets {@code SIGCONT}, so
 *   that each can act on its {@code SIGTERM}. A freeze never outlives its step: if the
 *   {@code SIGCONT} cannot be sent, the members get {@code SIGKILL} instead.</li>
 *   <li>The descendants are listed again, for any forked meanwhile (possible only where freezing
 *   is not), and get {@code SIGTERM}; then the pipes are closed, which ends the feeding of
 *   standard input and makes a member that still writes get {@code SIGPIPE}.</li>
 *   <li>Up to the grace period for every member to be gone.</li>
 *   <li>{@code SIGKILL} for the members still alive, frozen first with their descendants (as
 *   in 1, so that none forks a child meanwhile); a stopped process dies of {@code SIGKILL}, so no
 *   {@code SIGCONT} is needed. Then up to {@link #FORCED_EXIT_LIMIT} for them to be gone.</li>
 * </ol>
 *
 * <h2>State</h2>
 * {@code members}: every process of the tree found so far, the process first; a concurrent
 * queue owned by the run and registered with {@link KillOnExit} when the kill was requested. The
 * process is added by {@link #kill} on the requesting thread, the others by the killer thread,
 * each before it is signalled; the shutdown hook reads it and kills them all if the JVM exits
 * during the kill. When the JVM is exiting already, {@link #kill} sends {@code SIGKILL} itself. Freezing happens
 * only inside {@link KillOnExit#enterFreeze()} / {@link KillOnExit#leaveFreeze()}, which refuses
 * once the JVM exits. If the kill itself fails (an unexpected exception), every member gets
 * {@code SIGKILL} before the future fails with it.
 *
 * <h2>Limits</h2>
 * A process that left the tree before the kill (a daemon that double-forked, a child whose parent
 * had already exited) is not reached; while it keeps the output pipes open, the run's reader
 * threads stay blocked in their read (the run has settled and released its loop; nothing waits
 * for them). A process that does not die of {@code SIGKILL} within the limit (one in an
 * uninterruptible wait) is counted in {@link Outcome#survivors()}.
 */
final class ProcessKiller {
    /** How long the members may take to be gone after {@code SIGKILL}. */
    static final Duration FORCED_EXIT_LIMIT = Duration.ofSeconds(5);
    /** Freezing rounds before giving up on a tree that keeps forking faster than it is listed. */
    private static final int FREEZE_ROUNDS = 100;

    /**
     * How a kill ended.
     *
     * @param processes how many processes of the tree were alive when they got {@code SIGTERM}
     *     (0: it had exited, or it never started)
     * @param forced how many were still alive after the grace period and got {@code SIGKILL}
     * @param survivors how many were still alive {@link #FORCED_EXIT_LIMIT} after that
     * @param grace the grace period
     */
    record Outcome(int processes, int forced, int survivors, Duration grace) {
        /** The kill of a run whose process never started. */
        static final Outcome NOT_STARTED = new Outcome(0, 0, 0, Duration.ZERO);

        /**
         * Says how the tree ended, for a failure message: {@code killed with SIGTERM},
         * {@code killed with SIGKILL: 3 of 3 processes still running 2000 ms after SIGTERM}.
         */
        String describe() {
            if (processes == 0) {
                return this == NOT_STARTED ? "it had not started" : "it had exited";
            }
            String how = forced == 0 ? "killed with SIGTERM"
                    : "killed with SIGKILL: " + forced + " of " + processes + " process"
                            + (processes == 1 ? "" : "es") + " still running " + grace.toMillis()
                            + " ms after SIGTERM";
            return survivors == 0 ? how
                    : how + "; " + survivors + " still running " + FORCED_EXIT_LIMIT.toMillis() + " ms after SIGKILL";
        }
    }

    private final Process process;
    private final Duration grace;
    /** See the overview: appended by the killer thread, read by the shutdown hook. */
    private final Queue<ProcessHandle> members;
    private final CompletableFuture<Outcome> done = new CompletableFuture<>();

    private ProcessKiller(Process process, Duration grace, Queue<ProcessHandle> members) {
        this.process = process;
        this.grace = grace;
        this.members = members;
    }

    /**
     * Starts killing {@code process} and its descendants; returns at once, unless the JVM is
     * exiting: then it sends them {@code SIGKILL} on the calling thread, as no grace period can
     * be waited out.
     *
     * @param process the process
     * @param grace how long they may take to exit after {@code SIGTERM} before they get {@code SIGKILL}
     * @param members an empty list, registered with {@link KillOnExit#register}, that the kill
     *     fills with the processes of the tree before it signals each
     * @param exiting whether that registration was refused because the JVM is exiting
     * @return a future of how the kill ended, completed once every member is gone (or counted in
     *     {@link Outcome#survivors()}); failed only if the kill itself failed
     */
    static CompletableFuture<Outcome> kill(Process process, Duration grace,
                                                  Queue<ProcessHandle> members, boolean exiting) {
        ProcessKiller killer = new ProcessKiller(process, grace, members);
        members.add(process.toHandle()); // before the killer thread starts: the shutdown hook may need it
        if (exiting) {
            killer.record(ProcessSignals.descendants(process.toHandle()));
            killer.forceAll();
            killer.done.complete(new Outcome(members.size(), members.size(), 0, Duration.ZERO));
        } else {
            ProcessThreads.start(process.pid() + "-kill", killer::run);
        }
        return killer.done;
    }

    /** The killer thread. */
    private void run() {
        try {
            done.complete(killTree());
        } catch (RuntimeException | Error e) {
            forceAll(); // nothing may be left stopped or running because the kill went wrong
            done.completeExceptionally(e);
        }
    }

    private Outcome killTree() {
        ProcessHandle root = members.peek();
        int processes = terminate(root);
        for (ProcessHandle late : ProcessSignals.descendants(root)) { // forked while the first were signalled
            if (!members.contains(late)) {
                members.add(late);
                late.destroy();
            }
        }
        close(process.getOutputStream());
        close(process.getInputStream());
        close(process.getErrorStream());
        awaitGone(grace);
        List<ProcessHandle> survivors = alive();
        int forced = 0;
        if (!survivors.isEmpty()) {
            forced = force(survivors);
            awaitGone(FORCED_EXIT_LIMIT);
        }
        return new Outcome(processes, forced, alive().size(), grace);
    }

    /** Step 1: {@code SIGTERM} to the tree, frozen meanwhile; returns how many were alive. */
    private int terminate(ProcessHandle root) {
        boolean window = ProcessSignals.unix() && KillOnExit.enterFreeze();
        try {
            boolean frozen = window && freeze(List.of(root));
            if (!frozen) {
                record(ProcessSignals.descendants(root));
            }
            int alive = 0;
            for (ProcessHandle h : members) {
                if (h != root) {
                    alive += h.isAlive() ? 1 : 0;
                    h.destroy();
                }
            }
            alive += process.isAlive() ? 1 : 0;
            process.destroy();
            return alive;
        } finally {
            if (window) {
                try {
                    thaw();
                } finally {
                    KillOnExit.leaveFreeze();
                }
            }
        }
    }

    /**
     * {@code SIGCONT} to every member. {@code kill} fails when one target has gone meanwhile, so
     * a failure is retried with those still alive; if that fails too, they get {@code SIGKILL}:
     * none may stay stopped.
     */
    private void thaw() {
        if (!ProcessSignals.send("CONT", members) && !ProcessSignals.send("CONT", alive())) {
            forceAll();
        }
    }

    /** Step 4: {@code SIGKILL} to the survivors and their descendants, frozen first; returns how many survivors. */
    private int force(List<ProcessHandle> survivors) {
        boolean window = ProcessSignals.unix() && KillOnExit.enterFreeze();
        try {
            if (window) {
                freeze(survivors);
            } else {
                for (ProcessHandle s : survivors) {
                    record(ProcessSignals.descendants(s));
                }
            }
        } finally {
            forceAll(); // also ends what the freeze stopped
            if (window) {
                KillOnExit.leaveFreeze();
            }
        }
        return survivors.size();
    }

    /**
     * Stops {@code roots} and then their descendants with {@code SIGSTOP}, round after round until
     * a listing finds no new one, recording each before it is stopped; returns whether the roots
     * could be stopped (else nothing is frozen and the descendants are recorded as listed once).
     */
    private boolean freeze(List<ProcessHandle> roots) {
        record(roots);
        if (!ProcessSignals.send("STOP", roots)) {
            boolean anyAlive = false;
            for (ProcessHandle r : roots) {
                anyAlive |= !ProcessSignals.gone(r);
            }
            if (anyAlive && roots.size() == 1) {
                return false; // no kill command (or it failed): signal without freezing
            }
            // with several roots, kill fails if one has exited meanwhile; the others are stopped
        }
        for (int round = 0; round < FREEZE_ROUNDS; round++) {
            List<ProcessHandle> fresh = new ArrayList<>();
            for (ProcessHandle r : roots) {
                for (ProcessHandle d : ProcessSignals.descendants(r)) {
                    if (!members.contains(d) && !fresh.contains(d)) {
                        fresh.add(d);
                    }
                }
            }
            if (fresh.isEmpty()) {
                return true;
            }
            record(fresh);
            ProcessSignals.send("STOP", fresh);
        }
        return true;
    }

    /** Adds the processes not recorded yet to {@code members}. */
    private void record(Collection<ProcessHandle> found) {
        for (ProcessHandle h : found) {
            if (!members.contains(h)) {
                members.add(h);
            }
        }
    }

    /** {@code SIGKILL} to every member still alive. */
    private void forceAll() {
        for (ProcessHandle h : members) {
            if (!ProcessSignals.gone(h)) {
                h.destroyForcibly();
            }
        }
    }

    private List<ProcessHandle> alive() {
        List<ProcessHandle> alive = new ArrayList<>();
        for (ProcessHandle h : members) {
            if (!ProcessSignals.gone(h)) {
                alive.add(h);
            }
        }
        return alive;
    }

    /**
     * Waits up to {@code limit} for every member to be gone. It polls: a process that is not a
     * child of this JVM has no exit to wait on, and a zombie never "exits" for the JDK.
     */
    private void awaitGone(Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        long pauseMillis = 1;
        while (!alive().isEmpty()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            try {
                Thread.sleep(Math.min(pauseMillis, TimeUnit.NANOSECONDS.toMillis(left) + 1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return; // force the rest at once
            }
            pauseMillis = Math.min(pauseMillis * 2, 50);
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
