package dev.eventual;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;

/**
 * An {@link AsyncIterator} seen as a plain {@link Iterable} in an async body, whose
 * {@code hasNext()} awaits the next item, and which closes the source when the loop exits: what
 * {@link Async#iterate(AsyncIterator)} returns. JavaScript's {@code for await}:
 * <pre>{@code
 * for await (const line of lines(path)) {
 *   if (line.startsWith("#")) break;      // calls the iterator's return(): the file is closed
 *   console.log(line);
 * }
 * }</pre>
 * Eventual, in an async body:
 * <pre>{@code
 * try (var lines = Async.iterate(AsyncFiles.lineIterator(path))) {
 *     for (String line : lines) {
 *         if (line.startsWith("#")) break;   // the try closes the iterator: the file is closed
 *         System.out.println(line);
 *     }
 * }
 * }</pre>
 *
 * <h2>Why try-with-resources</h2>
 * Java's for-each loop cannot call anything when it is left by {@code break}, {@code return} or
 * an exception, as JavaScript's {@code for await} calls {@code return()}; a
 * try-with-resources block can, on every way out, and keeps the loop body a plain block (it may
 * {@code break}, {@code return}, throw checked exceptions and assign local variables, which a
 * lambda given to a {@code forEach} could not). So this is {@link AutoCloseable}, and
 * {@link #close()} closes the source. A loop that runs to the end needs no close (the source is
 * released at its end), and an {@code await} that fails inside {@code hasNext()} tells the
 * source to stop before it throws; only a loop left early outside a try block leaves the source open.
 *
 * <h2>Order and threads</h2>
 * Each {@code hasNext()} that has no item at hand is an {@link Async#await(Promise) await} of
 * {@link AsyncIterator#next()}: the body suspends, the loop goes on, and the body resumes as a
 * microtask once the item is there; the source reads on only when asked, so a slow loop body
 * slows the reading (back-pressure). Use it where {@code await} may be used: in an async body of
 * the source's loop (or, blocking, on a thread that runs no loop).
 *
 * <h2>Failures</h2>
 * {@code hasNext()} throws what {@code await} throws: the source's failure (unchecked as it is,
 * checked in an {@link AwaitException}), a {@link java.util.concurrent.CancellationException}
 * when the body is cancelled, an {@link EventLoopClosedException} when the loop closes; the
 * source is closed first. {@link #iterator()} may be called once.
 *
 * @param <T> the type of the items
 */
public final class AsyncIteration<T> implements Iterable<T>, AutoCloseable {
    private final AsyncIterator<T> source;
    private boolean iterated;
    /** The source ended, failed or was closed: nothing left to close. */
    private boolean closed;

    AsyncIteration(AsyncIterator<T> source) {
        this.source = Objects.requireNonNull(source, "source");
    }

    /**
     * Returns the iterator that the for-each loop uses: its {@code hasNext()} awaits the source's
     * next item (see the class javadoc); its {@code next()} returns that item.
     *
     * @return the iterator over the source's items
     * @throws IllegalStateException if called a second time (the source is read once)
     */
    @Override
    public Iterator<T> iterator() {
        if (iterated) {
            throw new IllegalStateException("this AsyncIteration was already iterated: its source is read once;"
                    + " call Async.iterate on a new source to read it again");
        }
        iterated = true;
        return new Iterator<>() {
            private T ahead;
            private boolean ended;

            @Override
            public boolean hasNext() {
                if (ahead != null) {
                    return true;
                }
                if (ended) {
                    return false;
                }
                Optional<T> item;
                try {
                    item = Async.await(source.next());
                } catch (RuntimeException | Error e) {
                    ended = true;
                    closed = true;
                    // A cancelled or closed body, or a failed source: release it without awaiting
                    // (the await would throw at once in such a body), and without reporting a
                    // failure of the close, which would only hide the one thrown here.
                    source.close().caught(ignored -> null);
                    throw e;
                }
                if (item.isEmpty()) {
                    ended = true;
                    closed = true;
                    return false;
                }
                ahead = item.get();
                return true;
            }

            @Override
            public T next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("the async source has ended");
                }
                T item = ahead;
                ahead = null;
                return item;
            }
        };
    }

    /**
     * Closes the source and awaits its {@link AsyncIterator#close()} promise, as JavaScript's
     * {@code for await} calls {@code return()} and awaits its result when the loop is left early
     * (one microtask turn for a promise already fulfilled). Does nothing when the loop ran to the
     * end or a step failed (JavaScript calls no {@code return()} then either), and on a second
     * call. In a try-with-resources block left by an exception, a failure of the close is added
     * to that exception as suppressed (JavaScript drops it); left normally or by {@code break},
     * it is thrown.
     *
     * @throws RuntimeException what {@code await} of the close promise throws (see
     *     {@link Async#await(Promise)})
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        Async.await(source.close());
    }
}
