package dev.eventual.internal;

import java.util.concurrent.CompletableFuture;

/**
 * Completes a {@link CompletableFuture} with a promise's outcome. External: it touches nothing
 * of the loop, so a closing loop runs it on its own thread to tell the waiting caller.
 */
final class FutureReaction<T> implements Reaction {
    private final CompletableFuture<T> future;

    FutureReaction(CompletableFuture<T> future) {
        this.future = future;
    }

    @Override
    public void react(Object r) {
        if (r instanceof Failure f) {
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
