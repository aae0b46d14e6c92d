package dev.eventual.internal;

import dev.eventual.KeepAlive;
import dev.eventual.NodeCallback;
import dev.eventual.Promise;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Bridges from the outside world into promises: {@link CompletionStage}s and Node-style
 * callbacks. Both may complete on any thread; the promise is settled from there (rule 3) and a
 * {@link KeepAlive} held until then keeps the loop running (rule 7). A stage is adopted as a
 * JavaScript thenable by {@link ThenableAdoption}; off any loop, {@link #followOffLoop} follows
 * one the same way for a blocked caller.
 */
public final class StageBridge {
    private StageBridge() {}

    private static void release(KeepAlive alive) {
        if (alive != null) {
            alive.close(); // idempotent
        }
    }

    /**
     * For {@code Async.await(stage)} on a thread that runs no loop: a future of what adopting
     * {@code stage} gives, following what it completes with exactly as adoption in a body does
     * (a promise or another stage in turn, A+ 2.3.3.3.1; the first call wins, 2.3.3.3.3; a
     * {@code whenComplete} that throws before calling back rejects, 2.3.3.3.4), using only
     * {@code whenComplete}, which every stage supports. A promise reached this way is followed
     * through {@link Promise#toCompletableFuture()}: it is handled, and is told if its loop closes.
     */
    public static CompletableFuture<Object> followOffLoop(CompletionStage<?> stage) {
        CompletableFuture<Object> out = new CompletableFuture<>();
        followInto(stage, out);
        return out;
    }

    private static void followInto(Object thenable, CompletableFuture<Object> out) {
        if (thenable instanceof Promise<?> promise) {
            promise.toCompletableFuture().whenComplete((value, error) -> {
                if (error != null) {
                    out.completeExceptionally(unwrap(error));
                } else {
                    out.complete(value); // a promise's value is a value, as await in a body returns it
                }
            });
            return;
        }
        AtomicBoolean called = new AtomicBoolean();
        try {
            ((CompletionStage<?>) thenable).whenComplete((value, error) -> {
                if (!called.compareAndSet(false, true)) {
                    return; // A+ 2.3.3.3.3: the first call wins
                }
                if (error != null) {
                    out.completeExceptionally(unwrap(error));
                } else if (value instanceof Promise<?> || value instanceof CompletionStage<?>) {
                    followInto(value, out);
                } else {
                    out.complete(value);
                }
            });
        } catch (Throwable t) {
            if (called.compareAndSet(false, true)) { // A+ 2.3.3.3.4: a throw after a call is ignored
                out.completeExceptionally(t);
            }
        }
    }

    static <T> Promise<T> from(EventLoopImpl loop, CompletionStage<? extends T> stage) {
        return from(loop, stage, "from");
    }

    /** {@link #from(EventLoopImpl, CompletionStage)}; {@code kind} names the operation in async stack traces. */
    static <T> Promise<T> from(EventLoopImpl loop, CompletionStage<? extends T> stage, String kind) {
        Objects.requireNonNull(stage, "stage");
        FromStage<T> promise = new FromStage<>(loop, stage);
        if (loop.traces) {
            promise.site = Traces.site(loop, kind, null);
        }
        promise.resolveFromHandler(stage);
        return promise;
    }

    /**
     * The promise of {@code Promise.from(stage)}: its producer is the stage. Cancelling it cancels
     * the stage when it is a {@link Future} ({@code cancel(true)}: a {@code CompletableFuture}
     * reports cancelled, a {@code FutureTask} is interrupted) and releases the loop at once, even
     * for a stage that cannot be cancelled (rule 7: the loop does not wait for abandoned work).
     * {@code alive} is written by the adoption job ({@link ThenableAdoption}) and read by
     * {@link #producerCancelled}, both on the loop thread; a cancel before the job ran leaves it
     * null, and the job then registers nothing.
     */
    static final class FromStage<T> extends PromiseImpl<T> {
        final CompletionStage<?> stage;
        KeepAlive alive;
        /** The operation's async-stack site when traces are on (written before publication); else null. */
        Trace site;

        @Override
        Trace operationSite() {
            return site;
        }

        FromStage(EventLoopImpl loop, CompletionStage<?> stage) {
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
    public static <T> Promise<T> fromCallback(EventLoopImpl loop, Consumer<NodeCallback<T>> starter) {
        Objects.requireNonNull(starter, "starter");
        PromiseImpl<T> promise = new PromiseImpl<>(loop);
        KeepAlive alive = loop.keepAlive("a Promise.fromCallback operation waiting for its callback");
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
