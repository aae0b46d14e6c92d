package dev.eventual.io.process;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Finishes, when the JVM exits, every kill that {@link ProcessKiller} has under way: a
 * {@code SIGKILL} to each process of those trees, so that none outlives the JVM stopped (frozen
 * for the kill) or still in its grace period, whichever way the JVM exits ({@code main}
 * returning while a loop was closed during a kill, {@link System#exit}, {@code SIGINT} or
 * {@code SIGTERM} to the JVM): every path that runs shutdown hooks.
 *
 * <h2>State</h2>
 * The hook is installed when the first run starts ({@link #install()}), so that it is in place
 * before any kill can be requested. {@code KILLS} holds the member list of each kill under way,
 * from the request (the run's stop, on the stopping thread, maybe before its process has even
 * started) to its end; a killer appends each process to its list before it signals it, so the
 * hook sees every process that may be stopped. A registration happens under the read lock:
 * either the hook sees it, or it sees {@code exiting} and the caller kills the tree with
 * {@code SIGKILL} at once. A list still empty when the hook runs belongs to a run whose process
 * is being started: the hook waits for it (at most {@link #START_WAIT_MILLIS}), as the start
 * thread kills what it started once it sees the run stopped. Freezing happens only between {@link #enterFreeze()} and
 * {@link #leaveFreeze()}, holding the read lock; the hook takes the write lock, so it waits for
 * the freezes in progress (each bounded: a few {@code kill} commands of at most 5 s each), then
 * sets {@code exiting}, after which {@link #enterFreeze()} refuses (the killer then signals
 * without freezing), then kills every listed member and its descendants. Once the hook has run,
 * no {@code SIGSTOP} can be sent by a killer, and every process that got one has got a
 * {@code SIGKILL} after it, which ends a stopped process too.
 *
 * <h2>Limits</h2>
 * A JVM that ends without shutdown hooks ({@link Runtime#halt}, a crash, {@code SIGKILL}) runs
 * none of this; a freeze lasts a few milliseconds (the {@code SIGTERM}s and one {@code kill}
 * command), so only an end inside it can leave a process stopped. A child forked by a member
 * that ignores {@code SIGTERM}, in the instant between the hook's listing and its
 * {@code SIGKILL} of that member, is not reached.
 */
final class KillOnExit {
    private static final ReentrantReadWriteLock LOCK = new ReentrantReadWriteLock();
    /** How long the hook waits for the freezes in progress before it kills regardless. */
    private static final long FREEZE_WAIT_SECONDS = 10;
    /** How long the hook waits for the process of a stopped run that is being started. */
    static final long START_WAIT_MILLIS = 2_000;
    /** The registrations of the kills under way; a concurrent set, identity-keyed. */
    private static final Set<Entry> KILLS = ConcurrentHashMap.newKeySet();
    /**
     * False until the hook runs; then true for good. Written under the write lock, read under
     * the read lock by {@link #enterFreeze()}; volatile for the hook's own reads.
     */
    private static volatile boolean exiting;

    static {
        try {
            Runtime.getRuntime().addShutdownHook(new Thread(KillOnExit::killAll, ProcessThreads.PREFIX + "kill-on-exit"));
        } catch (IllegalStateException e) {
            exiting = true; // the JVM is exiting already: never freeze
        }
    }

    private KillOnExit() {}

    /** Installs the shutdown hook, if not yet done (the class's initialization does it). */
    static void install() {
        // nothing more: loading the class ran its static initializer
    }

    /** A kill's registration, closed when the kill has ended. */
    interface Registration extends AutoCloseable {
        @Override
        void close();
    }

    /** One registration; identity-keyed (Object's equals), so that two of the same list stay two. */
    private static final class Entry implements Registration {
        final Collection<ProcessHandle> members;

        Entry(Collection<ProcessHandle> members) {
            this.members = members;
        }

        @Override
        public void close() {
            KILLS.remove(this);
        }
    }

    /**
     * Registers the member list of a kill that is requested, on the requesting thread (so that a
     * JVM exiting before the killer thread runs still kills the tree); close it when the kill has
     * ended or nothing was started.
     *
     * @param members the processes of the tree, empty until the process is known, appended to
     *     before each is signalled; thread-safe
     * @return the registration, or null if the JVM is exiting and the hook has run: then
     *     {@code SIGKILL} the tree at once
     */
    static Registration register(Collection<ProcessHandle> members) {
        LOCK.readLock().lock(); // a registration before the hook's write lock is seen by the hook
        try {
            if (exiting) {
                return null;
            }
            Entry entry = new Entry(members);
            KILLS.add(entry);
            return entry;
        } finally {
            LOCK.readLock().unlock();
        }
    }

    /**
     * Opens a freeze: returns true, holding the read lock until {@link #leaveFreeze()}, unless the
     * JVM is exiting (then false, holding nothing: do not freeze).
     */
    static boolean enterFreeze() {
        LOCK.readLock().lock();
        if (exiting) {
            LOCK.readLock().unlock();
            return false;
        }
        return true;
    }

    /** Closes a freeze that {@link #enterFreeze()} opened; by the thread that opened it. */
    static void leaveFreeze() {
        LOCK.readLock().unlock();
    }

    /** The shutdown hook. */
    private static void killAll() {
        boolean locked = false;
        try {
            locked = LOCK.writeLock().tryLock(FREEZE_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // kill regardless
        }
        try {
            exiting = true;
            killRegistered();
        } finally {
            if (locked) {
                LOCK.writeLock().unlock(); // a start thread may now see the run stopped and kill
            }
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_WAIT_MILLIS);
        while (killRegistered() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(5); // a start thread is forking: it has no event to wait on
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Kills every registered member and its descendants; returns whether a list was empty. */
    private static boolean killRegistered() {
        boolean starting = false;
        for (Entry entry : KILLS) {
            Collection<ProcessHandle> members = entry.members;
            if (members.isEmpty()) {
                starting = true;
                continue;
            }
            List<ProcessHandle> all = new ArrayList<>(members);
            for (ProcessHandle h : members) {
                all.addAll(ProcessSignals.descendants(h)); // listed before any dies and orphans its children
            }
            for (ProcessHandle h : all) {
                h.destroyForcibly();
            }
        }
        return starting;
    }
}
