package dev.eventual.internal;

import dev.eventual.AbortSignal;
import dev.eventual.AsyncTimeoutException;
import dev.eventual.EventLoop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one implementation of {@link AbortSignal}.
 *
 * <pre>
 * Overview
 *
 * State: {@code reason}, null until aborted, then the reason for good (first abort wins, rule 3's
 * discipline), plus a doubly-linked list of subscriptions, emptied by the abort that takes it.
 * Both change only under {@code lock} (a ReentrantLock, never synchronized: an abort may come
 * from a virtual thread); {@code reason} is also volatile so that aborted()/reason() read it
 * without the lock. The lock is never held while a listener runs.
 *
 * Three kinds of subscription, run in this order by the abort that wins:
 *   ALGORITHM  Eventual's own reactions (a delay rejects, a guard rejects and releases its
 *              source): thread-safe, so they run even when the loop has closed. The DOM runs
 *              an operation's "abort algorithms" before the abort event, too.
 *   LISTENER   the user's addListener callbacks, in registration order, each at most once.
 *   DEPENDENT  the signals of AbortSignal.any, which Node 20 aborts after the source's
 *              listeners (tested against Node in AbortOrderingTest).
 * Where they run: inside abort() when it is called on the signal's loop thread, as the web does
 * (abort listeners are events, dispatched synchronously; promise reactions they cause still
 * run as microtasks, so rule 2 holds); from any other thread they are handed to the loop as one
 * task (as rule 3 does with an off-loop settle). A listener that throws goes to the loop's task
 * error handler and the others still run.
 *
 * Unsubscribing is O(1) for Eventual's own subscriptions (they keep their node), so a long-lived
 * signal shared by many short operations does not accumulate them.
 * </pre>
 */
public final class Signal implements AbortSignal {
    static final int ALGORITHM = 0;
    static final int LISTENER = 1;
    static final int DEPENDENT = 2;

    final EventLoopImpl loop;
    private final ReentrantLock lock = new ReentrantLock();
    /** Null until aborted; written once, under lock; volatile for lock-free reads. */
    private volatile Throwable reason;
    /** Subscriptions in registration order; guarded by lock; null once aborted. */
    private Node head;
    private Node tail;

    /** A subscription; its links are guarded by the signal's lock. */
    static final class Node {
        final Runnable action;
        final int kind;
        Node prev;
        Node next;
        boolean linked;

        Node(Runnable action, int kind) {
            this.action = action;
            this.kind = kind;
        }
    }

    public Signal(EventLoopImpl loop) {
        this.loop = Objects.requireNonNull(loop, "loop");
    }

    /** {@link AbortSignal#timeout}: aborted with an AsyncTimeoutException by an unref'd timer, as Node's. */
    public static Signal timeout(EventLoopImpl loop, Duration delay) {
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must be >= 0: " + delay);
        }
        Signal signal = new Signal(loop);
        long millis = delay.toMillis();
        loop.setTimeout(() -> signal.abort(new AsyncTimeoutException(
                "signal timed out after " + millis + " ms")), millis).unref();
        return signal;
    }

    /** {@link AbortSignal#any}: aborted with the reason of the first of {@code signals} to abort. */
    public static Signal any(EventLoopImpl loop, List<Signal> signals) {
        Signal result = new Signal(loop);
        for (Signal s : signals) {
            Throwable r = s.reason;
            if (r != null) {
                result.abort(r);
                return result;
            }
        }
        List<Node> nodes = new ArrayList<>(signals.size());
        for (Signal s : signals) {
            nodes.add(s.subscribe(() -> result.abort(s.reason), DEPENDENT));
        }
        // Once aborted, the composite needs its sources no more: they drop it (no growth on them).
        Runnable detach = () -> {
            for (int i = 0; i < signals.size(); i++) {
                signals.get(i).unsubscribe(nodes.get(i));
            }
        };
        if (result.subscribe(detach, ALGORITHM) == null) {
            detach.run(); // a source aborted it from another thread meanwhile
        }
        return result;
    }

    /** The signal behind a public one: only this class implements it. */
    public static Signal of(AbortSignal signal) {
        Objects.requireNonNull(signal, "signal");
        if (!(signal instanceof Signal s)) {
            throw new IllegalArgumentException("not an AbortSignal made by Eventual (AbortController,"
                    + " AbortSignal.timeout/any/abort): " + signal);
        }
        return s;
    }

    /** The default reason of {@code abort()}: the web's AbortError. */
    public static CancellationException abortError() {
        return new CancellationException("This operation was aborted");
    }

    /**
     * Aborts with {@code why}; returns whether this call did it (the first wins). Runs the
     * subscriptions as the overview says. Any thread.
     */
    public boolean abort(Throwable why) {
        Objects.requireNonNull(why, "reason");
        Node list;
        lock.lock();
        try {
            if (reason != null) {
                return false;
            }
            reason = why;
            list = head;
            head = null;
            tail = null;
            for (Node n = list; n != null; n = n.next) {
                n.linked = false;
            }
        } finally {
            lock.unlock();
        }
        if (list != null) {
            dispatch(list);
        }
        return true;
    }

    private void dispatch(Node list) {
        if (loop.inEventLoop()) {
            runAll(list);
        } else if (!loop.post((Runnable) () -> runAll(list))) {
            run(list, ALGORITHM); // the loop has closed: no thread for listeners, but operations still end
            run(list, DEPENDENT);
        }
    }

    private void runAll(Node list) {
        run(list, ALGORITHM);
        run(list, LISTENER);
        run(list, DEPENDENT);
    }

    private void run(Node list, int kind) {
        for (Node n = list; n != null; n = n.next) {
            if (n.kind == kind) {
                try {
                    n.action.run();
                } catch (Throwable t) {
                    loop.taskError(t);
                }
            }
        }
    }

    /**
     * Adds a subscription of {@code kind}; returns its node, or null (and adds nothing) when the
     * signal has already aborted. Any thread.
     */
    Node subscribe(Runnable action, int kind) {
        Node node = new Node(action, kind);
        lock.lock();
        try {
            if (reason != null) {
                return null;
            }
            link(node);
            return node;
        } finally {
            lock.unlock();
        }
    }

    /** Removes a subscription; null and already removed ones are ignored. Any thread. */
    void unsubscribe(Node node) {
        if (node == null) {
            return;
        }
        lock.lock();
        try {
            if (node.linked) {
                unlink(node);
            }
        } finally {
            lock.unlock();
        }
    }

    private void link(Node node) {
        node.prev = tail;
        if (tail == null) {
            head = node;
        } else {
            tail.next = node;
        }
        tail = node;
        node.linked = true;
    }

    private void unlink(Node node) {
        if (node.prev == null) {
            head = node.next;
        } else {
            node.prev.next = node.next;
        }
        if (node.next == null) {
            tail = node.prev;
        } else {
            node.next.prev = node.prev;
        }
        node.prev = null;
        node.next = null;
        node.linked = false;
    }

    // ------------------------------------------------------------------ AbortSignal

    @Override
    public boolean aborted() {
        return reason != null;
    }

    @Override
    public Throwable reason() {
        return reason;
    }

    @Override
    public void addListener(Runnable listener) {
        Objects.requireNonNull(listener, "listener");
        Runnable captured = AsyncContext.capture(listener);
        lock.lock();
        try {
            if (reason != null) {
                return; // the abort event has fired: as on the web, a late listener is never called
            }
            for (Node n = head; n != null; n = n.next) {
                if (n.kind == LISTENER && matches(n, listener)) {
                    return; // the web adds the same listener once
                }
            }
            link(new Node(new Listener(listener, captured), LISTENER));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void removeListener(Runnable listener) {
        Objects.requireNonNull(listener, "listener");
        lock.lock();
        try {
            for (Node n = head; n != null; n = n.next) {
                if (n.kind == LISTENER && matches(n, listener)) {
                    unlink(n);
                    return;
                }
            }
        } finally {
            lock.unlock();
        }
    }

    private static boolean matches(Node n, Runnable listener) {
        return ((Listener) n.action).original == listener;
    }

    /** A user listener, remembered as given (for removal) and as captured (with its AsyncLocal context). */
    private record Listener(Runnable original, Runnable captured) implements Runnable {
        @Override
        public void run() {
            captured.run();
        }
    }

    @Override
    public EventLoop loop() {
        return loop;
    }

    @Override
    public String toString() {
        Throwable r = reason;
        return "AbortSignal[" + (r == null ? "not aborted" : "aborted: " + r) + ", loop '" + loop.name() + "']";
    }

    /** Used by tests and diagnostics: subscriptions still registered (0 once aborted). */
    int subscriptions() {
        lock.lock();
        try {
            int n = 0;
            for (Node node = head; node != null; node = node.next) {
                n++;
            }
            return n;
        } finally {
            lock.unlock();
        }
    }
}
