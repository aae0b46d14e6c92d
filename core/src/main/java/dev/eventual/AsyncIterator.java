package dev.eventual;

import java.util.Optional;

/**
 * A source read one item at a time, each read a promise: JavaScript's async iterator
 * ({@code next()} and {@code return()}), as {@code for await} uses it. In an async body, read it
 * with a plain {@code for} loop through {@link Async#iterate(AsyncIterator)}.
 *
 * <p>Contract for implementations: {@code next()} and {@code close()} are called on the source's
 * event loop (its thread or one of its async bodies); items are never {@code null} (as in
 * {@link java.util.concurrent.Flow}); after the end, a failure or {@code close()}, the source holds
 * nothing (no file, no connection). A source reads ahead only as far as its own javadoc says
 * (the sources of module {@code dev.eventual.io} read one chunk or batch of lines at a time, and the
 * next only once the consumer has taken the last one and asks for more).
 *
 * @param <T> the type of the items
 */
public interface AsyncIterator<T> {
    /**
     * Asks for the next item: JavaScript's {@code iterator.next()}. Call it on the source's loop,
     * and only once the promise of the previous call has settled.
     *
     * @return a promise, of the source's loop, that fulfils with the next item, or with an empty
     *     {@code Optional} at the end of the source (and on every call after it, or after
     *     {@link #close()}); or rejects with the source's failure (a read error), after the items
     *     read before it were handed out. It settles as a microtask of the loop, never inside
     *     this call.
     * @throws IllegalStateException if the promise of the previous call has not settled yet
     */
    Promise<Optional<T>> next();

    /**
     * Stops reading and releases the source (closes its file, its connection): JavaScript's
     * {@code iterator.return()}, which {@code for await} calls, and awaits, when the loop exits
     * early. Items read ahead and not handed out are dropped; later {@link #next()} calls fulfil
     * with an empty {@code Optional}. Idempotent; it releases nothing after the end of the
     * source. Call it on the source's loop.
     *
     * @return a promise, of the source's loop, that fulfils once the source has been told to stop
     *     (the sources of module {@code dev.eventual.io} fulfil at once: their file or connection is
     *     closed on another thread right after), or rejects if stopping it failed
     */
    Promise<Void> close();
}
