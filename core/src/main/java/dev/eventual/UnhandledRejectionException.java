package dev.eventual;

/**
 * Thrown by {@link EventLoop#run(Runnable)} under {@link UnhandledRejectionPolicy#THROW} when a
 * promise was rejected and no handler was attached by the end of the microtask checkpoint that
 * followed. Its {@linkplain #getCause() cause} is the rejection reason itself.
 */
public final class UnhandledRejectionException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates one.
     *
     * @param message which loop and promise
     * @param reason the rejection reason
     */
    public UnhandledRejectionException(String message, Throwable reason) {
        super(message, reason);
    }
}
