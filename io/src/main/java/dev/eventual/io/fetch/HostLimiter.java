package dev.eventual.io.fetch;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Bounds the exchanges in flight to one host (scheme, host and port) and queues the rest in
 * arrival order: the JDK client opens one HTTP/1.1 connection per exchange in flight with no
 * cap of its own, so without this every fetch to one host in flight holds a socket of its own.
 *
 * <p>Overview: one {@link Host} per key with requests in flight or waiting, removed when it has
 * neither (so the map does not grow with every host ever seen). A {@link Ticket} is a place in
 * line: WAITING, then ACTIVE (it holds one of {@code slotsPerHost} slots), then RELEASED; or WAITING
 * then CANCELLED. A released slot passes straight to the next waiting ticket, so {@code active}
 * only drops when no one waits. Everything is guarded by {@code lock}; a ticket's start action
 * runs after the lock is released, on the thread that made the slot free (the caller of
 * {@code fetch}, or a JDK client thread finishing an exchange), through a per-thread trampoline so
 * that exchanges failing synchronously cannot chain into deep recursion.
 */
final class HostLimiter {
    private static final int WAITING = 0;
    private static final int ACTIVE = 1;
    private static final int RELEASED = 2;
    private static final int CANCELLED = 3;

    /** Start actions queued on this thread while one already runs here; null when none runs. */
    private static final ThreadLocal<ArrayDeque<Runnable>> TRAMPOLINE = new ThreadLocal<>();

    private final int slotsPerHost;
    private final ReentrantLock lock = new ReentrantLock();
    /** Guarded by {@code lock}. */
    private final Map<String, Host> hosts = new HashMap<>();

    HostLimiter(int slotsPerHost) {
        this.slotsPerHost = slotsPerHost;
    }

    /** Exchanges of one host; guarded by the limiter's lock. */
    private static final class Host {
        int active;
        final ArrayDeque<Ticket> waiting = new ArrayDeque<>();
    }

    /** One exchange's place in line; {@code state} is guarded by the limiter's lock. */
    final class Ticket {
        private final String key;
        /**
         * Guarded by the limiter's lock; taken (set to null) when the ticket gets its slot, so
         * that a ticket kept by a response body does not keep its exchange, and the exchange's
         * response, reachable (the body's clean-up depends on the response becoming unreachable).
         */
        private Consumer<Ticket> start;
        private int state = WAITING;
        /**
         * Whether it had to wait in line for its slot. Written under the lock before the start
         * action runs; the start action runs after that lock was released by the thread that
         * runs it (the one that entered, or the one that passed the slot on after taking the
         * lock), so it reads the value written.
         */
        private boolean queued;

        private Ticket(String key, Consumer<Ticket> start) {
            this.key = key;
            this.start = start;
        }

        /** Whether it waited in line for its slot: for its start action. */
        boolean queued() {
            return queued;
        }

        /** Gives the slot back (an active ticket) or leaves the line (a waiting one). Idempotent. */
        void release() {
            HostLimiter.this.release(this);
        }
    }

    /**
     * Returns a ticket for {@code key}'s line that is not in line yet: {@link #enter} it. Two
     * steps, so that the caller can record the ticket (to cancel it) before its start action can
     * run.
     */
    Ticket ticket(String key, Consumer<Ticket> start) {
        return new Ticket(key, start);
    }

    /**
     * Puts {@code ticket} in line; its start action receives it once it holds a slot (inside this
     * call when one is free). Its holder must {@link Ticket#release()} it.
     */
    void enter(Ticket ticket) {
        boolean now;
        Consumer<Ticket> action = null;
        lock.lock();
        try {
            if (ticket.state != WAITING) {
                return; // released (cancelled) before it entered
            }
            Host host = hosts.computeIfAbsent(ticket.key, k -> new Host());
            now = host.active < slotsPerHost;
            if (now) {
                host.active++;
                ticket.state = ACTIVE;
                action = ticket.start;
                ticket.start = null;
            } else {
                ticket.queued = true;
                host.waiting.add(ticket);
            }
        } finally {
            lock.unlock();
        }
        if (now) {
            Consumer<Ticket> run = action;
            trampoline(() -> run.accept(ticket));
        }
    }

    private void release(Ticket ticket) {
        Ticket next = null;
        Consumer<Ticket> action = null;
        lock.lock();
        try {
            Host host = hosts.get(ticket.key);
            if (ticket.state == WAITING) {
                ticket.state = CANCELLED;
                ticket.start = null;
                if (host == null) {
                    return; // never entered
                }
                host.waiting.remove(ticket);
            } else if (ticket.state == ACTIVE) {
                ticket.state = RELEASED;
                next = host.waiting.poll();
                if (next != null) {
                    next.state = ACTIVE; // the slot passes on: active stays as it is
                    action = next.start;
                    next.start = null;
                } else {
                    host.active--;
                }
            } else {
                return;
            }
            if (host.active == 0 && host.waiting.isEmpty()) {
                hosts.remove(ticket.key);
            }
        } finally {
            lock.unlock();
        }
        if (next != null) {
            Ticket started = next;
            Consumer<Ticket> run = action;
            trampoline(() -> run.accept(started));
        }
    }

    /** Slots per host. */
    int slotsPerHost() {
        return slotsPerHost;
    }

    /** Exchanges in flight to {@code key} and waiting for it: for tests and diagnostics. */
    int[] inFlightAndWaiting(String key) {
        lock.lock();
        try {
            Host host = hosts.get(key);
            return host == null ? new int[] {0, 0} : new int[] {host.active, host.waiting.size()};
        } finally {
            lock.unlock();
        }
    }

    private static void trampoline(Runnable action) {
        ArrayDeque<Runnable> queued = TRAMPOLINE.get();
        if (queued != null) {
            queued.add(action);
            return;
        }
        queued = new ArrayDeque<>();
        TRAMPOLINE.set(queued);
        Throwable first = null;
        try {
            for (Runnable next = action; next != null; next = queued.poll()) {
                try {
                    next.run();
                } catch (Throwable e) { // a start action fails its own exchange; this guards the others' starts
                    if (first == null) {
                        first = e;
                    }
                }
            }
        } finally {
            TRAMPOLINE.remove();
        }
        if (first instanceof RuntimeException e) {
            throw e;
        }
        if (first instanceof Error e) {
            throw e;
        }
    }
}
