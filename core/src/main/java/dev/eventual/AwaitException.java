package dev.eventual;

/**
 * Thrown by {@link Async#await(Promise)} when the promise was rejected with a checked exception
 * (any reason that is not a {@link RuntimeException} or an {@link Error}); its
 * {@linkplain #getCause() cause} is that reason, the original object. Unchecked reasons are thrown
 * as they are, never wrapped.
 *
 * <p>Why a wrapper: Java checks at compile time which checked exceptions a call can throw, and it
 * cannot know what a promise will be rejected with. Throwing the checked reason itself (a "sneaky
 * throw") would make {@code catch (IOException e)} around an {@code await} a compile error
 * ("exception is never thrown in body of corresponding try statement"), and would let checked
 * exceptions escape methods that do not declare them. One documented unchecked wrapper keeps
 * ordinary {@code try}/{@code catch} working, as {@code CompletableFuture.join()} does with
 * {@code CompletionException}:
 *
 * <pre>{@code
 * try {
 *     String text = await(readFile(path));       // rejected with an IOException
 * } catch (AwaitException e) {
 *     if (e.getCause() instanceof IOException io) { ... }
 * }
 * }</pre>
 *
 * <p>An {@code AwaitException} that escapes an async body is unwrapped again: the body's promise
 * rejects with the original reason, so a checked reason travels through nested bodies unchanged,
 * as it does through JavaScript's async functions. Only {@code await} and
 * {@link AbortSignal#throwIfAborted()} create one.
 */
public final class AwaitException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    AwaitException(Throwable reason) {
        super("awaited promise was rejected with a checked exception: " + reason, reason);
    }

    /** For {@link AbortSignal#throwIfAborted()}, which throws a checked reason the same way. */
    AwaitException(String message, Throwable reason) {
        super(message, reason);
    }
}
