package dev.eventual.internal;

import dev.eventual.UnhandledRejectionException;
import dev.eventual.UnhandledRejectionHandler;
import dev.eventual.UnhandledRejectionPolicy;
import java.util.ArrayList;

/**
 * Rule 5's bookkeeping, as Node's {@code processPromiseRejections}: a promise rejected with no
 * reaction is remembered here (its reactions field holds UNHANDLED); at the end of the microtask
 * checkpoint, each one still UNHANDLED becomes REPORTED and is reported per the policy. A
 * reaction attached after the report calls {@link #handledLater}, which is reported at the end
 * of that checkpoint too, before the new unhandled ones (Node's {@code rejectionHandled} events
 * come first in the same pass).
 *
 * <p>A promise handed to a caller on another thread ({@link PromiseImpl#heldOutside}) is not
 * reported at the checkpoint but when it becomes unreachable or the loop closes, if still
 * unhandled then: see {@link OutsideRejections}.
 *
 * <p>Loop thread only.
 */
final class RejectionTracker {
    private final EventLoopImpl loop;
    private final UnhandledRejectionPolicy policy;
    private final UnhandledRejectionHandler handler;
    /** Rejections of promises handed to callers on other threads: reported later. */
    private final OutsideRejections outside;
    private ArrayList<PromiseImpl<?>> pending = new ArrayList<>();
    /** Reported rejections handled since the last checkpoint, in the order they were handled. */
    private ArrayList<PromiseImpl<?>> handledLate = new ArrayList<>();

    RejectionTracker(EventLoopImpl loop, UnhandledRejectionPolicy policy, UnhandledRejectionHandler handler) {
        this.loop = loop;
        this.policy = policy;
        this.handler = handler;
        this.outside = new OutsideRejections(loop, this);
    }

    /** Loop thread: {@code promise} was rejected with no reaction. */
    void rejectedUnhandled(PromiseImpl<?> promise, Failure failure) {
        if (promise.heldOutside()) {
            if (!loop.isClosed()) { // rejected by the shutdown itself: not reported, as on the loop
                outside.track(promise, failure); // its caller's handler may come after this checkpoint
            }
        } else {
            pending.add(promise);
        }
    }

    /** Loop thread, at close: reports the rejections held outside that nobody handled. */
    void close() {
        outside.close();
    }

    boolean hasPending() {
        return !pending.isEmpty() || !handledLate.isEmpty();
    }

    /**
     * Reports the rejections handled late, then those still unhandled; returns true if user code
     * ran (it may queue microtasks).
     */
    boolean process() {
        boolean ranUserCode = false;
        if (!handledLate.isEmpty()) {
            ArrayList<PromiseImpl<?>> late = handledLate;
            handledLate = new ArrayList<>();
            for (PromiseImpl<?> promise : late) {
                ranUserCode |= reportHandledLater(promise);
            }
        }
        ArrayList<PromiseImpl<?>> batch = pending;
        pending = new ArrayList<>();
        for (PromiseImpl<?> promise : batch) {
            if (!promise.markReported()) {
                continue; // a handler came in time
            }
            ranUserCode |= report(promise, promise.reason());
        }
        return ranUserCode;
    }

    /** Reports one unhandled rejection per the handler and policy; returns true if user code ran. */
    boolean report(PromiseImpl<?> promise, Throwable reason) {
        Trace trace = promise.rejectionTrace(); // null unless async stack traces are on
        if (trace != null) {
            Traces.attach(reason, trace);
        }
        if (JfrSetup.ready) { // see JfrSetup: no event class before the recorder exists
            UnhandledRejectionEvent.emit(loop, policy, reason);
        }
        if (handler != null) {
            try {
                handler.unhandled(promise, reason);
            } catch (Throwable t) {
                loop.taskError(t);
            }
        }
        switch (policy) {
            case WARN -> {
                // a reason that cannot print itself must not end the loop (see Report)
                Report.log(System.Logger.Level.WARNING, "[eventual] Unhandled promise rejection on event loop '" + loop.name()
                        + "' (attach a handler with caught(...) or then(..., onRejected)):", reason);
            }
            case THROW -> loop.fail(new UnhandledRejectionException(
                    "unhandled promise rejection on event loop '" + loop.name() + "': " + ErrorText.describe(reason), reason));
            case IGNORE -> { }
        }
        return handler != null;
    }

    /**
     * A reaction was attached to a promise already reported unhandled. Any thread: the report
     * waits for the end of the loop's current checkpoint (or, from another thread, of the task
     * this posts), never runs inside the call that attached the reaction.
     */
    void handledLater(PromiseImpl<?> promise) {
        loop.runOnLoop((Bookkeeping) () -> handledLate.add(promise));
    }

    /** Returns true if user code ran. */
    private boolean reportHandledLater(PromiseImpl<?> promise) {
        Throwable reason = promise.reason();
        if (handler != null) {
            try {
                handler.handledLater(promise, reason);
            } catch (Throwable t) {
                loop.taskError(t);
            }
        }
        if (policy == UnhandledRejectionPolicy.WARN) {
            Report.log(System.Logger.Level.WARNING, "[eventual] Promise rejection was handled asynchronously on event loop '"
                    + loop.name() + "': " + ErrorText.describe(reason), null);
        }
        return handler != null;
    }
}
