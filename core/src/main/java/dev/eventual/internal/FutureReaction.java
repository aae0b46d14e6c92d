package dev.eventual.internal;

import java.util.concurrent.CompletableFuture;

/**
 * Completes a {@link CompletableFuture} with a promise's outcome. External: it touches nothing
 * of the loop, so a closing loop runs it on its own thread to tell the waiting caller.
 */
final class FutureReaction<T> implements Reaction {
    private final CompletableFuture<T> future;
    /** Its async-stack site and loop when traces are on, set before registration; else null. */
    Trace site;
    EventLoopImpl loop;

    FutureReaction(CompletableFuture<T> future) {
        this.future = future;
    }

    @Override
    public void react(Object r) {
        if (r instanceof Failure f) {
            if (site != null) {
                // On the loop, the trigger is the trace field; after close (external) there is none.
                Traces.attach(f.reason, Trace.run(site, loop != null && loop.inEventLoop() ? loop.trace : null));
            }
            future.completeExceptionally(f.reason);
        } else {
            future.complete(PromiseImpl.decode(r));
        }
    }

    @Override
    public boolean needsOutcome() {
        return !future.isDone(); // a future cancelled (or completed) by its holder needs nothing more
    }

    @Override
    public boolean external() {
        return true;
    }
}
