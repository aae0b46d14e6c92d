package dev.eventual.internal;

/**
 * A promise that something other than a source settles: a timer of its loop, an abort signal, or
 * both ({@link Delay}, {@link Guard}, {@link Retry}). It is its own producer (rule 6): cancelling
 * it stops its triggers. Its timer is a {@link TimerTask} it holds ({@link TimedPromise}: Guard,
 * Retry), or the promise itself ({@link Delay}, a {@link TimerEntry} of its loop's queue).
 *
 * <p>{@code subscription} is written before the promise is published (returned or registered on a
 * source), then only cleared, with a plain write of null: a stale non-null read at worst
 * unsubscribes twice, and {@link Signal#unsubscribe} is idempotent and thread-safe. {@code signal}
 * is written once, before publication, and never cleared.
 */
abstract class TriggeredPromise<T> extends PromiseImpl<T> {
    Signal signal;
    Signal.Node subscription;

    TriggeredPromise(EventLoopImpl loop) {
        super(loop);
    }

    /** Stops listening to the signal, if subscribed. */
    final void unsubscribe() {
        Signal.Node n = subscription;
        if (n != null) {
            subscription = null;
            signal.unsubscribe(n);
        }
    }

    @Override
    final boolean hasProducer() {
        return true;
    }
}
