package dev.eventual.internal;

import dev.eventual.KeepAlive;
import dev.eventual.NodeCallback;
import dev.eventual.Promise;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Bridges from the outside world into promises: {@link CompletionStage}s and Node-style
 * callbacks. Both may complete on any thread; the promise is settled from there (rule 3) and a
 * {@link KeepAlive} held until then keeps the loop running (rule 7).
 */
public final class Interop {
    private Interop() {}

    /**
     * Makes {@code target} (already locked) follow {@code stage}. A stage that completes with a
     * promise or another stage is followed in turn (A+ 2.3.3.3.1); a stage whose
     * {@code whenComplete} throws rejects the target unless it already settled it (A+ 2.3.3.3.4).
     */
    static void follow(PromiseImpl<?> target, CompletionStage<?> stage) {
        KeepAlive alive = target.loop.keepAliveOrNull();
        if (target instanceof FromStage<?> from && from.stage == stage) {
            from.alive = alive; // before the promise is published: from() has not returned yet
        }
        try {
            stage.whenComplete((value, error) -> {
                try {
                    if (error != null) {
                        target.completeFollowing(new Failure(unwrap(error)));
                    } else if (value instanceof Promise<?> || value instanceof CompletionStage<?>) {
                        target.followLocked(value);
                    } else {
                        target.completeFollowing(PromiseImpl.encode(value));
                    }
                } finally {
                    // After the settle posted its dispatch task, so the loop never looks idle between.
                    release(alive);
                }
            });
        } catch (Throwable t) {
            target.completeFollowing(new Failure(t)); // ignored if the stage settled it first
            release(alive);
        }
    }

    private static void release(KeepAlive alive) {
        if (alive != null) {
            alive.close(); // idempotent
        }
    }

    static <T> Promise<T> from(Loop loop, CompletionStage<? extends T> stage) {
        Objects.requireNonNull(stage, "stage");
        PromiseImpl<T> promise = new FromStage<>(loop, stage);
        promise.resolveFromHandler(stage);
        return promise;
    }

    /**
     * The promise of {@code Promise.from(stage)}: its producer is the stage. Cancelling it cancels
     * the stage when it is a {@link Future} ({@code cancel(true)}: a {@code CompletableFuture}
     * reports cancelled, a {@code FutureTask} is interrupted) and releases the loop at once, even
     * for a stage that cannot be cancelled (rule 7: the loop does not wait for abandoned work).
     * {@code alive} is written by {@link #follow} before the promise is published and read on the
     * loop thread after the cancel's handoff.
     */
    static final class FromStage<T> extends PromiseImpl<T> {
        final CompletionStage<?> stage;
        KeepAlive alive;

        FromStage(Loop loop, CompletionStage<?> stage) {
            super(loop);
            this.stage = stage;
        }

        @Override
        boolean hasProducer() {
            return true;
        }

        @Override
        PromiseImpl<?> producerCancelled() {
            if (stage instanceof Future<?> future) {
                future.cancel(true);
            }
            release(alive);
            return null;
        }
    }

    /** See {@link Promise#fromCallback}. */
    public static <T> Promise<T> fromCallback(Loop loop, Consumer<NodeCallback<T>> starter) {
        Objects.requireNonNull(starter, "starter");
        PromiseImpl<T> promise = new PromiseImpl<>(loop);
        KeepAlive alive = loop.keepAlive();
        AtomicBoolean called = new AtomicBoolean();
        NodeCallback<T> callback = (error, value) -> {
            if (!called.compareAndSet(false, true)) {
                return; // called twice: the first call stands, as documented
            }
            try {
                if (error != null) {
                    promise.tryReject(error);
                } else {
                    promise.fulfilAsIs(value); // typed as T: a promise value is a value
                }
            } finally {
                alive.close();
            }
        };
        try {
            starter.accept(callback);
        } catch (Throwable t) {
            callback.call(t, null);
        }
        return promise;
    }

    static Throwable unwrap(Throwable error) {
        while (error instanceof CompletionException && error.getCause() != null) {
            error = error.getCause();
        }
        return error;
    }
}
