package dev.eventual;

/**
 * A promise together with the functions that settle it: what JavaScript's
 * {@code Promise.withResolvers()} returns. Create one with {@link Promise#withResolvers()} or
 * {@link EventLoop#withResolvers()}; hand {@link #promise()} to consumers and keep the settling
 * side.
 *
 * <h2>Threading</h2>
 * Every method is thread-safe and lock-free. The first call that settles wins, decided at once
 * in the calling thread; later ones are ignored ({@code try...} methods return {@code false}, the
 * others throw {@link IllegalStateException}). Reactions never run inside the settling call: on
 * the loop's thread they are queued as microtasks; from another thread they are handed to the
 * loop as one task ({@linkplain dev.eventual##rule-3 rule 3}).
 *
 * <h2>Nulls</h2>
 * A {@code null} value is a valid fulfilment value. A {@code null} reason is refused with a
 * {@link NullPointerException} naming the parameter.
 *
 * @param <T> the type of the value
 */
public interface Deferred<T> {

    /**
     * Returns the promise this deferred settles.
     *
     * @return the promise this deferred settles; the same object on every call
     */
    Promise<T> promise();

    /**
     * Resolves the promise with {@code value}, or, when {@code value} is a {@link Promise} or a
     * {@link java.util.concurrent.CompletionStage}, makes it follow that one
     * ({@linkplain dev.eventual##rule-4 rule 4}), as
     * JavaScript's {@code resolve} does. That check is made at run time, so declare {@code T} as
     * the value's type: a {@code Deferred<Promise<X>>} would end up holding an {@code X}.
     * {@link #tryFollow} is the typed way to adopt.
     *
     * @param value the value; may be {@code null}
     * @return {@code true} if this call resolved the promise, {@code false} if it was already
     *     resolved or rejected (the value is then ignored)
     */
    boolean tryResolve(T value);

    /**
     * Resolves the promise with {@code other}, typed: it follows {@code other} and settles as
     * {@code other} settles, two microtask turns later, as JavaScript's {@code resolve(promise)}
     * does. (A separate name, because an overload of {@code tryResolve} would make
     * {@code tryResolve(null)} ambiguous.)
     *
     * @param other the promise to follow
     * @return {@code true} if this call resolved the promise, {@code false} if it was already
     *     resolved
     * @throws NullPointerException if {@code other} is null
     */
    boolean tryFollow(Promise<? extends T> other);

    /**
     * Rejects the promise with {@code reason}.
     *
     * @param reason the exception; its stack trace is kept as it is
     * @return {@code true} if this call rejected the promise, {@code false} if it was already
     *     resolved
     * @throws NullPointerException if {@code reason} is null
     */
    boolean tryReject(Throwable reason);

    /**
     * Like {@link #tryResolve(Object)}, but fails if the promise was already resolved.
     *
     * @param value the value; may be {@code null}
     * @throws IllegalStateException if the promise was already resolved or rejected
     */
    default void resolve(T value) {
        if (!tryResolve(value)) {
            throw new IllegalStateException("already resolved: " + promise());
        }
    }

    /**
     * Like {@link #tryFollow(Promise)}, but fails if the promise was already resolved.
     *
     * @param other the promise to follow
     * @throws IllegalStateException if the promise was already resolved or rejected
     */
    default void follow(Promise<? extends T> other) {
        if (!tryFollow(other)) {
            throw new IllegalStateException("already resolved: " + promise());
        }
    }

    /**
     * Like {@link #tryReject(Throwable)}, but fails if the promise was already resolved.
     *
     * @param reason the exception
     * @throws IllegalStateException if the promise was already resolved or rejected
     */
    default void reject(Throwable reason) {
        if (!tryReject(reason)) {
            throw new IllegalStateException("already resolved: " + promise(), reason);
        }
    }
}
