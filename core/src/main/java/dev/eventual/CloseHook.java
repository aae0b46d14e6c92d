package dev.eventual;

/**
 * An action registered with {@link EventLoop#onClose(Runnable)}: it runs once when its loop
 * closes, unless {@link #remove() removed} first. An operation that holds a resource between
 * callbacks (an open file, a child process, a response body being read) registers one while it
 * holds the resource and removes it when it releases the resource itself, so that a loop that
 * closes in the meantime releases it too.
 *
 * <p>Thread-safe: the hook may be removed from any thread, and either {@link #remove()} wins
 * (the action never runs) or the loop's close does (the action runs exactly once).
 */
public interface CloseHook {
    /**
     * Unregisters the action.
     *
     * @return true if the action was removed before it ran; false if it has run, is running or
     *     was removed before (idempotent)
     */
    boolean remove();
}
