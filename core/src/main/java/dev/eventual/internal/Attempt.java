package dev.eventual.internal;

import dev.eventual.Promise;
import java.util.Objects;
import java.util.concurrent.Callable;

/**
 * JavaScript's {@code Promise.try(f)} (ES2025): calls {@code f} at once, inside the call, and
 * returns a new promise of its outcome. What {@code f} throws rejects the promise (nothing
 * escapes); what it returns fulfils it, or, for the composing form, is adopted with the turns of
 * any resolve (two for a promise, see the package javadoc), because {@code Promise.try} resolves
 * a new promise with the result: unlike {@code Promise.resolve}, a promise returned is never
 * handed back as it is.
 */
public final class Attempt {
    private Attempt() {}

    /** {@code Promise.attempt}: a returned value is the value, even a promise (typed as {@code T}). */
    public static <T> Promise<T> value(EventLoopImpl loop, Callable<? extends T> fn) {
        Objects.requireNonNull(fn, "fn");
        PromiseImpl<T> promise = new PromiseImpl<>(loop);
        Object value;
        try {
            value = fn.call();
        } catch (Throwable t) {
            promise.tryReject(t);
            return promise;
        }
        promise.fulfilAsIs(value);
        return promise;
    }

    /** {@code Promise.attemptCompose}: the returned promise is followed; {@code null} rejects. */
    public static <T> Promise<T> compose(EventLoopImpl loop, Callable<? extends Promise<? extends T>> fn) {
        Objects.requireNonNull(fn, "fn");
        PromiseImpl<T> promise = new PromiseImpl<>(loop);
        Promise<? extends T> returned;
        try {
            returned = Objects.requireNonNull(fn.call(), "attemptCompose function returned null instead of a promise");
        } catch (Throwable t) {
            promise.tryReject(t);
            return promise;
        }
        promise.resolveFromHandler(returned);
        return promise;
    }
}
