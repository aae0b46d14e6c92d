package dev.eventual.internal;

import dev.eventual.AbortSignal;
import dev.eventual.AsyncTimeoutException;
import dev.eventual.Promise;
import java.time.Duration;
import java.util.Objects;

/**
 * The promise of {@code promise.timeout(duration)} and {@code promise.withSignal(signal)}: it
 * settles like its source, unless its trigger (a timer, or an abort signal) comes first; then it
 * rejects (with an {@link AsyncTimeoutException} naming the duration, or with the signal's reason) and
 * the source loses this consumer, so it is cancelled unless another consumer still needs it
 * (rule 6). A reaction on its source, like a derived promise; not a {@link Derived}, whose 24
 * bytes it would not fit.
 *
 * <p>Threads: {@link #react} and {@link #run} (the timer) run on the source's loop thread, which is
 * this promise's; the signal's algorithm runs on the signal's loop thread, or the aborting thread
 * once that loop has closed, and only uses thread-safe calls (the settling CAS, Timeout.cancel,
 * releaseConsumer). The first of the three to settle this promise wins, by the settling CAS; the
 * loser's settle is ignored. {@code timer} and {@code subscription} are written before this
 * promise is registered on its source or returned (the publication), read by the trigger
 * callbacks after it, and only ever cleared (plain writes of null; a stale non-null read at worst
 * cancels a timer twice or unsubscribes twice, both idempotent).
 */
final class Guard<T> extends TimedPromise<T> implements Reaction, Runnable {
    private final PromiseImpl<T> source;
    private final long millis;

    private Guard(PromiseImpl<T> source, long millis) {
        super(source.loop);
        this.source = source;
        this.millis = millis;
    }

    static <T> Promise<T> timeout(PromiseImpl<T> source, Duration duration) {
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative()) {
            throw new IllegalArgumentException("duration must be >= 0: " + duration);
        }
        Guard<T> guard = new Guard<>(source, duration.toMillis());
        guard.timer = source.loop.addTimer(guard, guard.millis, false, "duration", "timeout"); // referenced, like JavaScript's setTimeout race
        source.register(guard);
        return guard;
    }

    static <T> Promise<T> withSignal(PromiseImpl<T> source, AbortSignal abortSignal) {
        Signal s = Signal.of(abortSignal);
        Guard<T> guard = new Guard<>(source, -1);
        guard.signal = s;
        guard.subscription = s.subscribe(guard::aborted, Signal.ALGORITHM);
        if (guard.subscription == null) {
            guard.tryReject(s.reason()); // already aborted: the source never gets this consumer
            source.releaseConsumer();
            return guard;
        }
        source.register(guard);
        return guard;
    }

    /** The source settled first: settle like it (a rejection gets its own box). */
    @Override
    public void react(Object r) {
        if (complete(ownResult(r))) {
            stopTrigger();
        }
    }

    /** The timer fired first (loop thread). */
    @Override
    public void run() {
        timer = null;
        if (complete(new Failure(new AsyncTimeoutException("timed out after " + millis + " ms")))) {
            source.cancelIfUnneeded();
        }
    }

    /** The signal aborted first (see the class javadoc for the thread). */
    private void aborted() {
        subscription = null;
        if (tryReject(signal.reason())) {
            source.releaseConsumer();
        }
    }

    private void stopTrigger() {
        clearTimer();
        unsubscribe();
    }

    @Override
    public boolean needsOutcome() {
        return !isSettled();
    }

    /** Cancelled by its holder: stop the trigger, release the source. */
    @Override
    PromiseImpl<?> producerCancelled() {
        stopTrigger();
        return source;
    }
}
