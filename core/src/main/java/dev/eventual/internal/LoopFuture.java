package dev.eventual.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The future of {@code Promise.toCompletableFuture()}: a plain {@link CompletableFuture} except
 * that waiting for it on its loop's own thread, while it is incomplete, fails at once. Such a
 * wait could never end: the promise settles in a callback of that very thread. Futures derived
 * from it ({@code thenApply}, ...) inherit the check.
 */
final class LoopFuture<T> extends CompletableFuture<T> {
    private final EventLoopImpl loop;

    LoopFuture(EventLoopImpl loop) {
        this.loop = loop;
    }

    private void refuseBlockingOnLoop(String method) {
        if (!isDone() && loop.inEventLoop()) {
            throw new IllegalStateException(method + "() on the thread of event loop '" + loop.name()
                    + "' would block it forever: the promise can only settle after the current callback"
                    + " returns. Register a handler instead (promise.then(...), thenAccept(...),"
                    + " asCallback(...)), or await(promise) inside an async body.");
        }
    }

    @Override
    public T join() {
        refuseBlockingOnLoop("join");
        return super.join();
    }

    @Override
    public T get() throws InterruptedException, ExecutionException {
        refuseBlockingOnLoop("get");
        return super.get();
    }

    @Override
    public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        refuseBlockingOnLoop("get");
        return super.get(timeout, unit);
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        return new LoopFuture<>(loop);
    }

    @Override
    public String toString() {
        return "LoopFuture[loop '" + loop.name() + "', " + super.toString() + "]";
    }
}
