package dev.eventual;

import dev.eventual.internal.EventLoopImpl;
import dev.eventual.internal.Signal;
import java.util.Objects;

/**
 * Aborts its {@link AbortSignal}: the web platform's {@code AbortController}. Keep the
 * controller, hand {@link #signal()} to the operations it should be able to stop.
 *
 * <pre>{@code
 * var controller = new AbortController();
 * Promise.delay(Duration.ofSeconds(10), controller.signal())
 *        .caught(CancellationException.class, e -> null);   // rejected with the reason
 * controller.abort();                                         // the timer is cleared at once
 * }</pre>
 *
 * <p>Thread-safe: {@link #abort} may be called from any thread; the first call wins (see
 * {@link AbortSignal} for where and when listeners run).
 */
public final class AbortController {
    private final Signal signal;

    /**
     * Creates a controller whose signal belongs to the current loop.
     *
     * @throws IllegalStateException if the calling thread runs no loop; use
     *     {@link #AbortController(EventLoop)} there
     */
    public AbortController() {
        this.signal = new Signal(EventLoopImpl.require("new AbortController()"));
    }

    /**
     * Creates a controller whose signal belongs to {@code loop}.
     *
     * @param loop the loop whose thread runs the signal's listeners
     */
    public AbortController(EventLoop loop) {
        Objects.requireNonNull(loop, "loop");
        if (!(loop instanceof EventLoopImpl l)) {
            throw new IllegalArgumentException("not an event loop made by EventLoop.run/start/builder: " + loop);
        }
        this.signal = new Signal(l);
    }

    /**
     * Returns the signal this controller aborts.
     *
     * @return the signal; the same object on every call, for the life of this controller
     */
    public AbortSignal signal() {
        return signal;
    }

    /**
     * Aborts the signal with the default reason, a
     * {@link java.util.concurrent.CancellationException} (the web's {@code AbortError}).
     *
     * @return whether this call aborted it ({@code false}: it had aborted already; the web
     *     ignores the call silently)
     */
    public boolean abort() {
        return signal.abort(Signal.abortError());
    }

    /**
     * Aborts the signal with {@code reason}.
     *
     * @param reason the reason operations reject with
     * @return whether this call aborted it
     */
    public boolean abort(Throwable reason) {
        return signal.abort(Objects.requireNonNull(reason, "reason"));
    }

    @Override
    public String toString() {
        return "AbortController[" + signal + "]";
    }
}
