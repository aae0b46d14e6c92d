package dev.eventual;

/**
 * A Node.js-style completion callback: {@code (error, value)}.
 *
 * <p>Exactly one of the two carries the outcome: on success {@code error} is {@code null} and
 * {@code value} is the result (which may itself be {@code null}); on failure {@code error} is the
 * reason and {@code value} is {@code null}. It is called at most once.
 *
 * <p>Used both ways: {@link Promise#asCallback(NodeCallback)} calls one when a promise settles,
 * and {@link Promise#fromCallback(java.util.function.Consumer)} hands one to callback-style code and
 * returns a promise of what it is called with.
 *
 * @param <T> the type of the value
 */
@FunctionalInterface
public interface NodeCallback<T> {
    /**
     * Receives the outcome.
     *
     * @param error the failure, or {@code null} on success
     * @param value the result on success, else {@code null}
     */
    void call(Throwable error, T value);
}
