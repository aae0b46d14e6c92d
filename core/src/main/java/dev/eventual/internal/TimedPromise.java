package dev.eventual.internal;

import dev.eventual.Timeout;

/**
 * A {@link TriggeredPromise} whose timer is a {@link TimerTask} it holds ({@link Guard},
 * {@link Retry}: a timer whose callback is not the promise's own settling, or that is set more
 * than once).
 *
 * <p>{@code timer} is written before the promise is published, or on the loop thread while it is
 * pending, then only cleared with a plain write of null: a stale non-null read at worst cancels a
 * timer twice, and {@link Timeout#cancel} is idempotent and thread-safe.
 */
abstract class TimedPromise<T> extends TriggeredPromise<T> {
    Timeout timer;

    TimedPromise(EventLoopImpl loop) {
        super(loop);
    }

    /** Cancels the pending timer, if any. */
    final void clearTimer() {
        Timeout t = timer;
        if (t != null) {
            timer = null;
            t.cancel();
        }
    }
}
