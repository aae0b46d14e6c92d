package dev.eventual;

/**
 * A reference that keeps an event loop from ending: while one is held, {@link EventLoop#run}
 * does not return for lack of work ({@linkplain dev.eventual##rule-7 rule 7}), the way an open
 * handle keeps Node running. Take one with {@link EventLoop#keepAlive()} before handing work to
 * another thread that will settle a
 * promise or {@link EventLoop#execute execute} a task later; release it when that work is done.
 * What the releasing thread did before {@link #close()} (a promise it settled, a task it
 * executed) runs on the loop before {@code run} returns, even when this was the last reference.
 *
 * <p>Thread-safe; {@link #close()} is idempotent: a second call does nothing.
 */
public interface KeepAlive extends AutoCloseable {
    /** Releases the reference; when it was the last reason to keep running, the loop may end. */
    @Override
    void close();
}
