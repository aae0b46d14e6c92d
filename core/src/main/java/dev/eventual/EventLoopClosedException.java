package dev.eventual;

/**
 * The rejection reason of every promise still pending on an event loop when that loop closed,
 * and the error of work handed to a closed loop. Its message names the loop.
 */
public final class EventLoopClosedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates one.
     *
     * @param message what was pending or refused, and on which loop
     */
    public EventLoopClosedException(String message) {
        super(message);
    }
}
