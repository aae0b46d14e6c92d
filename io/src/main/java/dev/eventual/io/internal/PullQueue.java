package dev.eventual.io.internal;

import dev.eventual.AsyncIterator;
import dev.eventual.Deferred;
import dev.eventual.EventLoop;
import dev.eventual.Promise;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Turns one of the io module's push streams (a callback per item, a promise of the end) into an
 * {@link AsyncIterator} that the consumer pulls, reusing the stream's own back-pressure: the
 * stream hands over a batch (the lines of one chunk, the buffers of one chunk) by calling
 * {@code onItem} for each, then asks {@link #demand()} before it reads the next chunk; that
 * promise fulfils only once the consumer has taken every item handed over and asks for one more.
 *
 * <p>Invariants. Every field is the loop thread's (the stream calls {@code onItem} and
 * {@code demand} there, and {@code next}/{@code close} are called there). At most one of
 * {@code waiting} (a consumer waits for an item) and a non-empty {@code items} holds: an item
 * that arrives while a consumer waits goes to it. {@code gate} is pending only while the stream
 * waits for demand, and is released only by a {@code next()} that finds {@code items} empty; so
 * the stream holds at most one batch nobody asked for. {@code close()} cancels the stream's
 * promise, which ends the stream (it closes its file or connection) whether it is reading or
 * waiting at the gate; the gate is then left pending, and nobody waits for it.
 *
 * @param <T> the type of the items
 */
public final class PullQueue<T> implements AsyncIterator<T> {
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

    private final EventLoop loop;
    private final ArrayDeque<T> items = new ArrayDeque<>();
    private Deferred<Optional<T>> waiting;
    private Deferred<Void> gate;
    private Promise<?> stream;
    private boolean ended;
    private boolean closed;
    private Throwable failure;

    private PullQueue(EventLoop loop) {
        this.loop = loop;
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

    private void offer(T item) {
        Objects.requireNonNull(item, "item");
        if (closed) {
            return;
        }
        Deferred<Optional<T>> w = waiting;
        if (w != null) {
            waiting = null;
            if (w.tryResolve(Optional.of(item))) {
                return;
            }
            close(); // the consumer gave up waiting (its next() was cancelled)
            return;
        }
        items.add(item);
    }

    private Promise<Void> demand() {
        if (!closed && items.isEmpty() && waiting != null) {
            return loop.resolved(null);
        }
        gate = loop.withResolvers();
        return gate.promise();
    }

    private void end(Throwable error) {
        if (ended || closed) {
            return;
        }
        ended = true;
        failure = error;
        Deferred<Optional<T>> w = waiting;
        if (w != null) {
            waiting = null;
            settle(w);
        }
    }

    private void settle(Deferred<Optional<T>> w) {
        if (failure != null) {
            w.tryReject(failure);
        } else {
            w.tryResolve(Optional.empty());
        }
    }

    @Override
    public Promise<Optional<T>> next() {
        if (waiting != null) {
            throw new IllegalStateException("AsyncIterator.next() called while the promise of the previous call"
                    + " is still pending: ask for one item at a time");
        }
        if (closed) {
            return loop.resolved(Optional.empty());
        }
        T item = items.poll();
        if (item != null) {
            return loop.resolved(Optional.of(item));
        }
        Deferred<Optional<T>> w = loop.withResolvers();
        if (ended) {
            settle(w);
            Throwable f = failure;
            failure = null; // reported once; later calls see the end
            if (f != null) {
                closed = true;
            }
            return w.promise();
        }
        waiting = w;
        Deferred<Void> g = gate;
        if (g != null) {
            gate = null;
            g.resolve(null);
        }
        return w.promise();
    }

    @Override
    public Promise<Void> close() {
        if (closed) {
            return loop.resolved(null);
        }
        closed = true;
        items.clear();
        Deferred<Optional<T>> w = waiting;
        if (w != null) {
            waiting = null;
            w.tryResolve(Optional.empty());
        }
        if (!ended) {
            stream.cancel();
        }
        return loop.resolved(null);
    }
}
