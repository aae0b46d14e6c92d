package dev.eventual;

/**
 * Receives unhandled-rejection events of one loop, like Node's {@code unhandledRejection} and
 * {@code rejectionHandled} process events. Both methods run on the loop's thread, after the
 * microtask queue has drained; an exception thrown by them goes to the loop's task error handler.
 */
public interface UnhandledRejectionHandler {
    /**
     * A promise was rejected and had no handler by the end of the microtask checkpoint; for a
     * promise that {@link EventLoop#submit} or {@code Async.async(loop, ...)} returned to another
     * thread, none by the time it became unreachable or the loop closed (see
     * {@link EventLoop#submit}).
     *
     * @param promise the rejected promise; for one reported because it became unreachable, a
     *     stand-in of the same loop rejected with the same reason (the original is gone)
     * @param reason its rejection reason
     */
    void unhandled(Promise<?> promise, Throwable reason);

    /**
     * A handler was attached to a promise that had already been reported unhandled.
     *
     * @param promise the promise now handled
     * @param reason its rejection reason
     */
    default void handledLater(Promise<?> promise, Throwable reason) {}
}
