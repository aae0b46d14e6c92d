package dev.eventual.internal;

import dev.eventual.AbortSignal;
import dev.eventual.Promise;
import java.time.Duration;
import java.util.Objects;

/**
 * The promise of {@code Promise.delay(duration[, signal])}: fulfilled with {@code null} by a
 * timer (a task of the loop, as {@code setTimeout}'s callback), rejected with the signal's reason
 * if the signal aborts first (the timer is cleared), and, when cancelled, its timer is cleared so
 * that the loop can end at once (rules 6 and 7). The web's pattern
 * {@code new Promise((res, rej) => { const t = setTimeout(res, ms); signal.addEventListener('abort',
 * () => { clearTimeout(t); rej(signal.reason); }) })}, in one object.
 *
 * <p>Threads: the timer runs on the loop thread; the signal's algorithm on the signal's loop (or
 * the aborting thread once that loop has closed); cancel's hook on the loop thread. They meet only
 * through the settling CAS (the first wins) and idempotent, thread-safe calls (Timeout.cancel,
 * Signal.unsubscribe). {@code timer} and {@code subscription} are written before the promise is
 * returned, then only cleared (a stale read repeats an idempotent call).
 */
public final class Delay extends TriggeredPromise<Void> implements Runnable {

    private Delay(EventLoopImpl loop) {
        super(loop);
    }

    public static Promise<Void> start(EventLoopImpl loop, Duration delay, AbortSignal abortSignal) {
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must be >= 0: " + delay);
        }
        Delay d = new Delay(loop);
        if (abortSignal != null) {
            Signal s = Signal.of(abortSignal);
            if (s.aborted()) {
                d.tryReject(s.reason()); // the web rejects at once with the reason, no timer
                return d;
            }
            d.signal = s;
            d.subscription = s.subscribe(d::aborted, Signal.ALGORITHM);
            if (d.subscription == null) { // aborted in between
                d.tryReject(s.reason());
                return d;
            }
        }
        d.timer = loop.addTimer(d, delay.toMillis(), false, "delay", "delay");
        if (d.isSettled()) {
            d.clearTimer(); // aborted from another thread before the timer was stored
        }
        return d;
    }

    /** The timer fired (loop thread). */
    @Override
    public void run() {
        timer = null;
        if (complete(NIL)) {
            unsubscribe();
        }
    }

    private void aborted() {
        subscription = null;
        if (tryReject(signal.reason())) {
            clearTimer();
        }
    }

    @Override
    PromiseImpl<?> producerCancelled() {
        clearTimer();
        unsubscribe();
        return null;
    }
}
