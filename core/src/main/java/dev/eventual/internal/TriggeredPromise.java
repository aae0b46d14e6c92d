package dev.eventual.internal;

import dev.eventual.Timeout;

/**
 * A promise that something other than a source settles: a timer of its loop, an abort signal, or
 * both ({@link Delay}, {@link Guard}, {@link Retry}). It is its own producer (rule 6): cancelling
 * it stops its triggers.
 *
 * <p>{@code timer} and {@code subscription} are written before the promise is published (returned
 * or registered on a source), then only cleared, with plain writes of null: a stale non-null read
 * at worst cancels a timer twice or unsubscribes twice, and {@link Timeout#cancel} and
 * {@link Signal#unsubscribe} are idempotent and thread-safe. {@code signal} is written once, before
 * publication, and never cleared.
 */
abstract class TriggeredPromise<T> extends PromiseImpl<T> {
    Timeout timer;
    Signal signal;
    Signal.Node subscription;

    TriggeredPromise(EventLoopImpl loop) {
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
