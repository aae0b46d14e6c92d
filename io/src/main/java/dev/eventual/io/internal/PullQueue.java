package dev.eventual.io.internal;

import dev.eventual.AsyncIterator;
import dev.eventual.Deferred;
import dev.eventual.EventLoop;
import dev.eventual.Promise;
import dev.eventual.internal.PullBuffer;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Turns one of the io module's push streams (a callback per item, a promise of the end) into an
 * {@link AsyncIterator} that the consumer pulls, reusing the stream's own back-pressure: the
 * stream hands over a batch (the lines of one chunk, the buffers of one chunk) by calling
 * {@code onItem} for each, then asks {@link #demand()} before it reads the next chunk; that
 * promise fulfils only once the consumer has taken every item handed over and asks for one more.
 * What it holds and when it reports the end is {@link PullBuffer}'s.
 *
 * <p>Invariants. Every field is the loop thread's (the stream calls {@code onItem} and
 * {@code demand} there, and {@code next}/{@code close} are called there). {@code gate} is pending
 * only while the stream waits for demand, and is released only when a consumer starts to wait
 * with nothing held; so the stream holds at most one batch nobody asked for. {@code close()}
 * cancels the stream's promise, which ends the stream (it closes its file or connection) whether
 * it is reading or waiting at the gate; the gate is then left pending, and nobody waits for it.
 *
 * @param <T> the type of the items
 */
public final class PullQueue<T> extends PullBuffer<T> {
    /** Starts a push stream: items to {@code onItem}, asks {@code demand} before each further read. */
    @FunctionalInterface
    public interface Starter<T> {
        /**
         * Starts the stream.
         *
         * @param onItem receives each item on the loop thread
         * @param demand asked after each batch; the stream reads on once its promise fulfils
         * @return the promise of the stream's end; cancelling it stops the stream and releases it
         */
        Promise<?> start(Consumer<T> onItem, Supplier<Promise<Void>> demand);
    }

    private Deferred<Void> gate;
    private Promise<?> stream;

    private PullQueue(EventLoop loop) {
        super(loop);
    }

    /**
     * Starts {@code starter}'s stream now (it reads its first chunk) and returns the iterator
     * over its items. Loop thread.
     *
     * @param loop the stream's loop, whose thread calls everything here
     * @param starter starts the stream
     * @param <T> the type of the items
     * @return the iterator
     */
    public static <T> PullQueue<T> start(EventLoop loop, Starter<T> starter) {
        PullQueue<T> queue = new PullQueue<>(loop);
        Promise<?> stream = starter.start(queue::offer, queue::demand);
        queue.stream = stream;
        stream.asCallback((error, value) -> queue.end(error));
        return queue;
    }

    private Promise<Void> demand() {
        if (consumerWaits()) {
            return loop.resolved(null);
        }
        gate = loop.withResolvers();
        return gate.promise();
    }

    @Override
    protected void onWaiting() {
        Deferred<Void> g = gate;
        if (g != null) {
            gate = null;
            g.resolve(null);
        }
    }

    @Override
    protected void onClose(boolean sourceEnded) {
        if (!sourceEnded) {
            stream.cancel();
        }
    }
}
