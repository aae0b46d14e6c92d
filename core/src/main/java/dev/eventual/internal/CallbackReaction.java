package dev.eventual.internal;

import dev.eventual.NodeCallback;

/**
 * Calls a Node-style callback with a promise's outcome, on the loop thread. An exception from the
 * callback has no derived promise to reject, so it goes to the loop's task error handler.
 */
final class CallbackReaction<T> implements Reaction {
    private final EventLoopImpl loop;
    private final NodeCallback<? super T> callback;
    /** Its async-stack site when traces are on, set before registration; else null. */
    Trace site;

    CallbackReaction(EventLoopImpl loop, NodeCallback<? super T> callback) {
        this.loop = loop;
        this.callback = AsyncContext.capture(callback);
    }

    @Override
    public void react(Object r) {
        if (site == null) {
            call(r);
            return;
        }
        Trace saved = loop.trace;
        Trace run = Trace.run(site, saved);
        loop.trace = run;
        try {
            if (r instanceof Failure f) {
                Traces.attach(f.reason, run);
            }
            call(r);
        } finally {
            loop.trace = saved;
        }
    }

    private void call(Object r) {
        try {
            if (r instanceof Failure f) {
                callback.call(f.reason, null);
            } else {
                callback.call(null, PromiseImpl.decode(r));
            }
        } catch (Throwable t) {
            loop.taskError(t);
        }
    }
}
