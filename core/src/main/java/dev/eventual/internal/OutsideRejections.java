package dev.eventual.internal;

import java.lang.ref.Cleaner;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;

/**
 * Rule 5 for promises a loop hands to a caller on another thread ({@link PromiseImpl#heldOutside}):
 * {@code submit} and {@code async(loop, ...)} called off the loop. That caller attaches its
 * handler from its own thread, which the loop's checkpoint does not wait for, so a rejection
 * found unhandled at the checkpoint is not reported there. It is reported if it is still
 * unhandled when the promise becomes unreachable (nobody can handle it any more: asyncio's
 * "exception was never retrieved") or when the loop closes, whichever comes first.
 *
 * <pre>
 * Overview
 *
 * An Entry per such rejection, kept in {@code entries} (loop thread only). It holds the Failure
 * box (which holds the reason and the status, never the promise) and a weak reference to the
 * promise, so the entry does not keep the promise reachable. The entry is also the action of a
 * {@link Cleaner} registration on the promise: when the promise becomes phantom reachable the
 * Cleaner's thread runs it, and it posts the entry to the loop if its status is still
 * UNHANDLED. On the loop, the entry leaves the set and is reported if markReported wins
 * (UNHANDLED -> REPORTED). At close, every entry still UNHANDLED is reported the same way. The
 * CAS is the arbiter: a rejection is reported at most once, and never after a handler marked it
 * HANDLED (a handler attached off the loop marks it from its own thread, and the caller cannot
 * attach one without a reference, so an unreachable promise with status UNHANDLED is one nobody
 * handled).
 *
 * Growth: entries whose rejection was handled are pruned when the set doubles (amortized O(1)
 * per entry), and their Cleaner registrations released.
 * </pre>
 */
final class OutsideRejections {
    /** The Cleaner's thread is a daemon; one for all loops. */
    private static final class Holder {
        static final Cleaner CLEANER = Cleaner.create();
    }

    private final EventLoopImpl loop;
    private final RejectionTracker tracker;
    private final Set<Entry> entries = new HashSet<>();
    private int pruneAt = 64;

    OutsideRejections(EventLoopImpl loop, RejectionTracker tracker) {
        this.loop = loop;
        this.tracker = tracker;
    }

    /** Loop thread: {@code promise}, held outside, was rejected with no handler. */
    void track(PromiseImpl<?> promise, Failure failure) {
        Entry entry = new Entry(this, failure, promise);
        entries.add(entry);
        entry.cleanable = Holder.CLEANER.register(promise, entry);
        if (entries.size() > pruneAt) {
            prune();
        }
    }

    /** Loop thread, at close: reports every tracked rejection that is still unhandled. */
    void close() {
        ArrayList<Entry> left = new ArrayList<>(entries);
        entries.clear();
        for (Entry entry : left) {
            entry.cleanable.clean(); // its action finds the status changed, or posts to a closed loop: nothing
            PromiseImpl<?> promise = entry.promise.get();
            if (entry.failure.markReported()) {
                Traces.attach(entry.failure.reason, entry.failure.trace); // no-op when traces are off
                tracker.report(promise != null ? promise : standIn(entry.failure.reason), entry.failure.reason);
            }
        }
    }

    /** Loop thread: the promise of {@code entry} became unreachable. */
    private void unreachable(Entry entry) {
        if (entries.remove(entry) && entry.failure.markReported()) {
            Traces.attach(entry.failure.reason, entry.failure.trace); // no-op when traces are off
            tracker.report(standIn(entry.failure.reason), entry.failure.reason);
        }
    }

    private void prune() {
        ArrayList<Entry> handled = new ArrayList<>();
        for (Entry entry : entries) {
            if (!entry.failure.isUnhandled()) {
                handled.add(entry);
            }
        }
        for (Entry entry : handled) {
            entries.remove(entry);
            entry.cleanable.clean(); // the action sees the status is not UNHANDLED: nothing posted
        }
        pruneAt = Math.max(64, 2 * entries.size());
    }

    /**
     * What the rejection handler receives for a promise that is gone: a promise of this loop
     * rejected with the same reason, already handled (nothing reports it again).
     */
    private PromiseImpl<Object> standIn(Throwable reason) {
        Failure failure = new Failure(reason);
        failure.markHandled();
        PromiseImpl<Object> standIn = new PromiseImpl<>(loop);
        standIn.complete(failure);
        return standIn;
    }

    /** One rejection held outside; the Cleaner action of its promise. Never references the promise strongly. */
    private static final class Entry implements Runnable {
        final OutsideRejections owner;
        final Failure failure;
        final WeakReference<PromiseImpl<?>> promise;
        /** Set on the loop thread right after registration; read there only. */
        Cleaner.Cleanable cleanable;

        Entry(OutsideRejections owner, Failure failure, PromiseImpl<?> promise) {
            this.owner = owner;
            this.failure = failure;
            this.promise = new WeakReference<>(promise);
        }

        /** The Cleaner's thread (or clean() on the loop): the promise is unreachable or released. */
        @Override
        public void run() {
            if (failure.isUnhandled()) {
                owner.loop.post((Bookkeeping) () -> owner.unreachable(this)); // false once closed: close() reported it
            }
        }
    }
}
