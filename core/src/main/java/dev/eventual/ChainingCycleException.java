package dev.eventual;

/**
 * The rejection reason of a promise resolved with itself, directly ({@code d.resolve(d.promise())},
 * a {@code thenCompose} handler that returns its own promise) or through a thenable (a
 * {@link java.util.concurrent.CompletionStage} it adopts that completes with it): JavaScript's
 * {@code TypeError: Chaining cycle detected for promise} (Promises/A+ 2.3.1). Such a promise
 * would otherwise wait for itself forever. It extends {@link IllegalArgumentException}, the
 * type Eventual rejected with before, so code that catches that still catches this; catch this
 * type to tell a cycle from other bad arguments.
 */
public final class ChainingCycleException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates one.
     *
     * @param message what was resolved with what
     */
    public ChainingCycleException(String message) {
        super(message);
    }
}
