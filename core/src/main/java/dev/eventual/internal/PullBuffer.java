package dev.eventual.internal;

import dev.eventual.AsyncIterator;
import dev.eventual.Deferred;
import dev.eventual.EventLoop;
import dev.eventual.Promise;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.Optional;

/**
 * The consumer's side of an {@link AsyncIterator} whose items are pushed by a source (a
 * {@code Flow.Publisher}, a file or process stream): it holds what the source handed over until
 * the consumer pulls it, hands an item straight to a consumer that waits, and reports the
 * source's end or failure after the items that came before it. A subclass says how to ask its
 * source for more ({@link #onWaiting()}) and how to stop it ({@link #onClose(boolean)}).
 *
 * <p>Invariants. Every field is the loop thread's: the source's pushes and the consumer's calls
 * all run there. At most one of {@code waiting} (a consumer waits) and a non-empty {@code items}
 * holds: an item that arrives while a consumer waits goes to it. After {@code ended}, no item is
 * accepted; a failure is reported to exactly one {@code next()} (the one waiting when it came,
 * or the next one), and every later call sees the end. After {@code closed}, nothing is kept and
 * every {@code next()} fulfils with the end.
 *
 * @param <T> the type of the items
 */
public abstract class PullBuffer<T> implements AsyncIterator<T> {
    /** The loop whose thread calls everything here. */
    protected final EventLoop loop;

    private final ArrayDeque<T> items = new ArrayDeque<>();
    private Deferred<Optional<T>> waiting;
    private boolean ended;
    private boolean closed;
    private Throwable failure;

    /**
     * Creates an empty buffer.
     *
     * @param loop the loop whose thread calls everything here
     */
    protected PullBuffer(EventLoop loop) {
        this.loop = Objects.requireNonNull(loop, "loop");
    }

    /**
     * Called by {@link #next()} when a consumer starts to wait: nothing is held and the source has
     * not ended. Ask the source for more.
     */
    protected abstract void onWaiting();

    /**
     * Called once, by the first {@link #close()}, after the held items were dropped and a waiting
     * consumer was given the end. Stop the source and release what it holds.
     *
     * @param sourceEnded whether the source had already ended (nothing left to stop)
     */
    protected abstract void onClose(boolean sourceEnded);

    /**
     * The source hands over one item: to the waiting consumer, else into the buffer. Ignored
     * after the end or the close. A waiting consumer that gave up (its {@code next()} was
     * cancelled) closes the iterator.
     *
     * @param item the item; must not be null
     */
    protected final void offer(T item) {
        Objects.requireNonNull(item, "item");
        if (closed || ended) {
            return;
        }
        Deferred<Optional<T>> w = waiting;
        if (w != null) {
            waiting = null;
            if (!w.tryResolve(Optional.of(item))) {
                close();
            }
            return;
        }
        items.add(item);
    }

    /**
     * The source ended: with {@code error}, or normally when it is null. Ignored after an earlier
     * end or the close.
     *
     * @param error the source's failure, or null
     */
    protected final void end(Throwable error) {
        if (ended || closed) {
            return;
        }
        ended = true;
        failure = error;
        Deferred<Optional<T>> w = waiting;
        if (w != null) {
            waiting = null;
            settleAtEnd(w);
        }
    }

    /**
     * Whether a consumer waits and nothing is held: the source's next item would go straight to
     * it.
     *
     * @return true when the consumer waits for an item
     */
    protected final boolean consumerWaits() {
        return waiting != null && !closed;
    }

    /**
     * Whether the iterator was closed.
     *
     * @return true after {@link #close()}
     */
    protected final boolean isClosed() {
        return closed;
    }

    private void settleAtEnd(Deferred<Optional<T>> w) {
        Throwable f = failure;
        failure = null; // reported once; later calls see the end
        if (f != null) {
            w.tryReject(f);
        } else {
            w.tryResolve(Optional.empty());
        }
    }

    @Override
    public final Promise<Optional<T>> next() {
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
            settleAtEnd(w);
            return w.promise();
        }
        waiting = w;
        onWaiting();
        return w.promise();
    }

    @Override
    public final Promise<Void> close() {
        if (!closed) {
            closed = true;
            items.clear();
            Deferred<Optional<T>> w = waiting;
            if (w != null) {
                waiting = null;
                w.tryResolve(Optional.empty());
            }
            onClose(ended);
        }
        return loop.resolved(null);
    }
}
