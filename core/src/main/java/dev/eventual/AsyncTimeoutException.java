package dev.eventual;

/**
 * The reason of a timeout of Eventual's own: {@link AbortSignal#timeout(java.time.Duration)}
 * aborts with one, and {@link Promise#timeout(java.time.Duration)} rejects with one. It is the
 * web's {@code DOMException} named {@code "TimeoutError"} (see {@link #name()}), for Java.
 *
 * <p>Unchecked on purpose: a timeout is the common failure of asynchronous code, and
 * {@link Async#await(Promise)} throws an unchecked reason as it is, so
 * {@code catch (AsyncTimeoutException e)} around an {@code await} catches it directly, as
 * {@code catch (e) { if (e.name === 'TimeoutError') ... }} does in JavaScript. (The JDK's
 * {@link java.util.concurrent.TimeoutException} is checked: {@code await} would have to wrap it in
 * an {@link AwaitException}.) It is not a {@link java.util.concurrent.CancellationException}:
 * the web keeps {@code TimeoutError} apart from {@code AbortError}, and a timed-out attempt is
 * worth retrying where a cancelled one is not (see {@link RetryPolicy#retriesByDefault}).
 */
public final class AsyncTimeoutException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates one with {@code message}, which should name the time limit ("timed out after 100 ms").
     *
     * @param message the detail message
     */
    public AsyncTimeoutException(String message) {
        super(message);
    }

    /**
     * Returns {@code "TimeoutError"}: the web's name of this reason, for code that tells reasons
     * apart by name as JavaScript does ({@code reason.name === 'TimeoutError'}).
     *
     * @return {@code "TimeoutError"}
     */
    public String name() {
        return "TimeoutError";
    }
}
