package dev.eventual.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The encoded result of a rejected promise: the reason, boxed so that any user value (a
 * {@link Throwable} used as a value included) can share the promise's state field, plus the
 * promise's unhandled-rejection status for rule 5. Each rejected promise has its own box.
 *
 * <p>{@code status} moves by CAS: {@code UNTRACKED -> HANDLED} (a reaction existed or came before
 * the loop looked), {@code UNTRACKED -> UNHANDLED} (dispatched with no reaction; queued in the
 * {@link RejectionTracker}), {@code UNHANDLED -> REPORTED} (reported at the checkpoint), and
 * {@code UNHANDLED | REPORTED -> HANDLED} (a late reaction; from REPORTED that is "handled
 * later"). HANDLED is final. Volatile: a registration on another thread races with the loop.
 */
final class Failure {
    static final int UNTRACKED = 0;
    static final int UNHANDLED = 1;
    static final int REPORTED = 2;
    static final int HANDLED = 3;

    private static final VarHandle STATUS;

    static {
        try {
            STATUS = MethodHandles.lookup().findVarHandle(Failure.class, "status", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final Throwable reason;
    /**
     * The async-stack link that rejected the promise when it was found unhandled (async stack
     * traces on), for the report and as the trigger of reactions registered later; null otherwise.
     * Written on the loop thread after the state is published: a registration on another thread
     * may read null (its reaction then has no trigger) or the link, whose fields are all final.
     */
    Trace trace;
    @SuppressWarnings("unused") // accessed through STATUS
    private volatile int status;

    Failure(Throwable reason) {
        this.reason = reason;
    }

    /** Loop thread, at dispatch with no reaction: false if a reaction came first. */
    boolean markUnhandled() {
        return STATUS.compareAndSet(this, UNTRACKED, UNHANDLED);
    }

    /** Loop thread, at the checkpoint: false if a reaction came in time. */
    boolean markReported() {
        return STATUS.compareAndSet(this, UNHANDLED, REPORTED);
    }

    /** Any thread: whether it was found unhandled and neither reported nor handled since. */
    boolean isUnhandled() {
        return (int) STATUS.getVolatile(this) == UNHANDLED;
    }

    /** Any thread: a reaction now handles this rejection. Returns the status before. */
    int markHandled() {
        return (int) STATUS.getAndSet(this, HANDLED);
    }

    @Override
    public String toString() {
        return "Failure[" + reason + "]";
    }
}
