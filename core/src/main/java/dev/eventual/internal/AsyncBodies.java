package dev.eventual.internal;

import java.util.concurrent.ThreadFactory;

/**
 * The async bodies of one loop that have started and not ended, so that closing the loop can end
 * them: an intrusive doubly-linked list through {@link AsyncBody#prev}/{@link AsyncBody#next}
 * (no allocation per body, O(1) unlink), plus the factory of their virtual threads, named
 * {@code <loop>/async}, scheduled by the loop thread itself where {@link LoopCarrier} can be used
 * (the opt-in fast path), else by the JVM's scheduler. Created with the loop's first body
 * ({@code loop.bodies}).
 *
 * <p>Turn-confined: read and written only by the thread that has the loop's turn (see
 * {@link AsyncBody}), whose handoffs order every access; no field needs more.
 */
final class AsyncBodies {
    /** The default path's factory of body threads; null on the fast path. */
    private final ThreadFactory threads;
    private final String name;
    /** The loop thread as its bodies' carrier (the opt-in fast path), or null: the default path. */
    final LoopCarrier carrier;
    private AsyncBody<?> head;

    private AsyncBodies(EventLoopImpl loop) {
        // No inherited InheritableThreadLocals: a suspended body should retain only its own stack.
        name = loop.name() + "/async";
        LoopCarrier c = LoopCarrier.forLoop(loop);
        carrier = c != null && c.canBuild() ? c : null;
        threads = carrier != null ? null : Thread.ofVirtual().name(name).inheritInheritableThreadLocals(false).factory();
    }

    /** The list of {@code loop}; with the turn. */
    static AsyncBodies of(EventLoopImpl loop) {
        AsyncBodies bodies = loop.bodies;
        if (bodies == null) {
            bodies = new AsyncBodies(loop);
            loop.bodies = bodies;
        }
        return bodies;
    }

    /** An unstarted thread for {@code body}: on the fast path, scheduled by the body itself (LoopCarrier). */
    Thread newThread(AsyncBody<?> body) {
        return carrier != null ? LoopCarrier.newThread(body, name) : threads.newThread(body);
    }

    void link(AsyncBody<?> b) {
        b.next = head;
        if (head != null) {
            head.prev = b;
        }
        head = b;
    }

    /** The live bodies (suspended, or running and so holding the turn). */
    int count() {
        int n = 0;
        for (AsyncBody<?> b = head; b != null; b = b.next) {
            n++;
        }
        return n;
    }

    /** Visits the live bodies, newest first; with the turn (LoopDescription). */
    void forEach(java.util.function.Consumer<AsyncBody<?>> visitor) {
        for (AsyncBody<?> b = head; b != null; b = b.next) {
            visitor.accept(b);
        }
    }

    void unlink(AsyncBody<?> b) {
        if (b.prev != null) {
            b.prev.next = b.next;
        } else if (head == b) {
            head = b.next;
        } else {
            return; // not linked (already unlinked)
        }
        if (b.next != null) {
            b.next.prev = b.prev;
        }
        b.prev = null;
        b.next = null;
    }

    /**
     * Ends every live body: each suspended one is given the turn with an
     * {@code EventLoopClosedException} as its await's outcome, and runs until it ends (a later
     * await on the closed loop throws at once, so it cannot suspend again). Bodies started
     * meanwhile (by a finally block) are ended the same way. Loop thread, during close.
     */
    void closeAll() {
        while (head != null) {
            AsyncBody<?> b = head;
            if (b.isSuspended()) {
                b.enter(b.closedFailure("event loop '" + b.loop.name() + "' closed while this async body was"
                        + " suspended in await"));
            }
            if (head == b) {
                unlink(b); // it did not end (it cannot, unless it is not suspended): drop it all the same
            }
        }
    }
}
