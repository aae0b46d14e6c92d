package dev.eventual;

/**
 * A pending timeout or interval, as returned by {@link EventLoop#setTimeout} and
 * {@link EventLoop#setInterval}: Node's {@code Timeout} object.
 *
 * <p>Every method may be called from any thread; when called from another thread than the
 * loop's, the change takes effect on the loop shortly after (a callback already due may still
 * run). Methods return {@code this} for chaining where Node's do.
 */
public interface Timeout {
    /**
     * Stops the timer: its callback will not run again. Idempotent; the same as
     * {@link EventLoop#clearTimeout(Timeout)}.
     */
    void cancel();

    /**
     * Lets the loop end while this timer is pending: {@link EventLoop#run} does not wait for an
     * unreferenced timer. The timer still fires if the loop is running for another reason.
     *
     * @return this timer
     */
    Timeout unref();

    /**
     * Undoes {@link #unref()}.
     *
     * @return this timer
     */
    Timeout ref();

    /**
     * Whether this timer keeps its loop alive.
     *
     * @return {@code true} if this timer keeps its loop running (the default, or after
     *     {@link #ref()}), {@code false} after {@link #unref()}
     */
    boolean hasRef();

    /**
     * Whether the callback may still run: not cancelled and, for a timeout, not yet fired.
     *
     * @return {@code true} while the callback may still run, {@code false} once it is cancelled or,
     *     for a timeout, has fired
     */
    boolean isActive();
}
