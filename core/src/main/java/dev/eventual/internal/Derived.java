package dev.eventual.internal;

import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A promise returned by a handler method ({@code then}, {@code caught}, ...), which is also the
 * reaction registered on its source: one object per handler, no separate reaction node. Each
 * handler method has its subclass below; the subclass is the kind, so the object needs no kind
 * field (with compressed pointers a derived promise is 24 bytes: header, loop, state, handler).
 *
 * <p>{@link #react} runs on the loop thread as a microtask with the source's encoded result,
 * calls the handler (or passes the result through when the handler does not apply) and
 * resolves this promise with the outcome; an exception from the handler rejects it, unwrapped.
 * The handler field is cleared before the call, so a settled chain keeps no handler reachable.
 *
 * <p>After a handler returned a promise, the same object serves as the adoption job
 * ({@code handler == ADOPTING}: register on the returned promise) and then as the follower
 * ({@code handler == FOLLOWING}: take its outcome), so adopting costs no allocation.
 * {@code handler} is written before the CAS or queue handoff that publishes this object to the
 * thread that runs it, and only that thread changes it afterwards; so it needs no volatile.
 *
 * <p>Async stack traces (see {@link Traces}): when the loop records them, the handler is held by
 * its registration's link ({@link Trace.Reacting}, inside any {@link Linked}), one allocation then
 * only, which also takes the trigger when this reaction is queued ({@link #triggeredBy}) and
 * becomes the run; {@link #react} runs a traced handler with the loop's trace field naming that
 * run, and attaches the chain to a reason the handler receives ({@link #receives}).
 *
 * <p>Cancellation (rule 6; see {@link PromiseImpl}'s overview). When the source has a producer,
 * the handler is wrapped with it ({@link Linked}); when a handler's returned promise has one, the
 * follower marker is a {@link Following} that names it. So a derived promise knows the promise it
 * consumes only when cancelling it can reach work, and costs no field. A derived promise that was
 * cancelled never runs its handler: {@link #react} checks the state first. {@link #hasProducer}
 * reads {@code handler} on any thread, racily: a stale wrapper only makes a new derived promise
 * link to a source that already settled, which a later cancel finds settled and leaves alone.
 */
abstract class Derived<T> extends PromiseImpl<T> implements Reaction {
    private static final Object ADOPTING = new Sentinel("ADOPTING");
    private static final Object FOLLOWING = new Sentinel("FOLLOWING");

    /** The handler; null once fired, or one of the two markers above. */
    private Object handler;

    Derived(EventLoopImpl loop, Object handler) {
        super(loop);
        this.handler = AsyncContext.capture(handler); // the handler itself unless an AsyncLocal is bound
    }

    @Override
    final Reaction adoptionJob() {
        handler = ADOPTING; // this promise is locked and its handler has run: reuse it
        return this;
    }

    /**
     * Before publication and before {@link #link}: async stack traces are on; {@code kind} and
     * the user's {@code key} (its class keys the frame cache) name this registration.
     */
    final void trace(String kind, Object key) {
        handler = Traces.reacting(loop, kind, key, handler);
    }

    /**
     * Queued while traced work {@code trigger} runs: the traced link keeps the trigger (see
     * {@link Trace.Reacting}), so no wrapper. Loop thread only: that keeps the link's fields
     * loop-confined; from another thread (a registration on a promise already rejected), the
     * default wrapper carries it, and {@link #react} hands it to the link.
     */
    @Override
    public final Reaction triggeredBy(EventLoopImpl by, Trace trigger) {
        Object h = handler;
        if (h instanceof Linked linked) {
            h = linked.handler;
        }
        if (h instanceof Trace.Reacting link && by == loop && loop.inEventLoop()) {
            link.trigger(trigger);
            return this;
        }
        return Reaction.super.triggeredBy(by, trigger);
    }

    /** Before publication: cancelling this promise may cancel {@code source} (consumer rule). */
    final void link(PromiseImpl<?> source) {
        handler = new Linked(handler, source);
    }

    @Override
    final boolean hasProducer() {
        Object h = handler; // racy read, see the class javadoc
        return h instanceof Linked || h instanceof Following;
    }

    @Override
    final PromiseImpl<?> producerCancelled() {
        Object h = handler;
        if (h instanceof Linked linked) {
            handler = null;
            return linked.source;
        }
        if (h instanceof Following following) {
            handler = null;
            return following.source;
        }
        return null; // fired, adopting (see react) or no producer upstream
    }

    @Override
    public final boolean needsOutcome() {
        return !isSettled();
    }

    @Override
    public final void react(Object r) {
        Object h = handler;
        if (isSettled()) {
            // Cancelled while it waited: the handler never runs. A promise its handler returned
            // (r, when adopting) has lost this consumer.
            handler = null;
            if (h == ADOPTING) {
                ((PromiseImpl<?>) r).releaseConsumer();
            }
            return;
        }
        if (h == ADOPTING) {
            PromiseImpl<?> inner = (PromiseImpl<?>) r; // the promise to follow
            handler = inner.hasProducer() ? new Following(inner) : FOLLOWING;
            inner.registerFrom(loop, this);
            return;
        }
        if (h == FOLLOWING || h instanceof Following) {
            handler = null;
            completeFollowing(r);
            return;
        }
        handler = null;
        if (h instanceof Linked linked) {
            h = linked.handler;
        }
        if (h instanceof Trace.Reacting link) {
            runTraced(link, r);
            return;
        }
        try {
            run(h, r);
        } catch (Throwable t) {
            handlerThrew(t);
        }
    }

    /**
     * Runs the handler with the loop's trace field naming this registration's run, caused by the
     * trigger it was queued with, or else by the one the field holds now (a wrapper's; see
     * Traces); a reason the handler receives gets the chain.
     */
    private void runTraced(Trace.Reacting link, Object r) {
        Trace saved = loop.trace;
        if (saved != null) {
            link.trigger(saved); // a no-op when it was queued with its trigger
        }
        Object h = link.start();
        loop.trace = link;
        try {
            if (r instanceof Failure f && receives(f.reason)) {
                Traces.attach(f.reason, link);
            }
            run(h, r);
        } catch (Throwable t) {
            handlerThrew(t);
        } finally {
            loop.trace = saved;
        }
    }

    /** Whether the handler is called with rejection reason {@code reason} (so it reaches user code). */
    boolean receives(Throwable reason) {
        return false;
    }

    /** The handler threw {@code t}: this promise rejects with it, unwrapped. */
    private void handlerThrew(Throwable t) {
        try {
            complete(new Failure(t));
        } catch (Throwable settling) {
            // Rejecting failed too (an OutOfMemoryError in the bookkeeping): the loop gets the
            // handler's error, the first, with this one on it, not this one alone.
            EventLoopImpl.suppress(t, settling);
            throw Derived.<RuntimeException>rethrow(t);
        }
    }

    /** Throws {@code t} as it is, checked or not: the loop's microtask runner catches Throwable. */
    @SuppressWarnings("unchecked")
    private static <E extends Throwable> E rethrow(Throwable t) throws E {
        throw (E) t;
    }

    /** The handler of a derived promise whose source has a producer, with that source. Immutable. */
    private record Linked(Object handler, PromiseImpl<?> source) {}

    /** The follower marker when the followed promise has a producer, naming it. Immutable. */
    private record Following(PromiseImpl<?> source) {}

    /** Calls the handler for result {@code r} and settles this promise with what it returns. */
    abstract void run(Object handler, Object r) throws Throwable;

    /**
     * Fulfils with a handler's result as it is. A returned promise or stage is a value here, not
     * followed: only {@link Compose} follows, so a {@code Promise<R>}'s static type never lies.
     */
    final void fulfil(Object value) {
        complete(encode(value));
    }

    /** Settles this promise with the source's outcome unchanged (a fresh box for a rejection). */
    final void passThrough(Object r) {
        complete(r instanceof Failure f ? new Failure(f.reason) : r);
    }

    static final class Then<T> extends Derived<T> {
        Then(EventLoopImpl loop, Function<?, ?> fn) {
            super(loop, fn);
        }

        @Override
        @SuppressWarnings("unchecked")
        void run(Object h, Object r) {
            if (r instanceof Failure) {
                passThrough(r);
            } else {
                fulfil(((Function<Object, Object>) h).apply(decode(r)));
            }
        }
    }

    static final class ThenBoth<T> extends Derived<T> {
        private final Function<? super Throwable, ?> onRejected;

        ThenBoth(EventLoopImpl loop, Function<?, ?> onFulfilled, Function<? super Throwable, ?> onRejected) {
            super(loop, onFulfilled);
            this.onRejected = AsyncContext.capture(onRejected);
        }

        @Override
        boolean receives(Throwable reason) {
            return true;
        }

        @Override
        @SuppressWarnings("unchecked")
        void run(Object h, Object r) {
            fulfil(r instanceof Failure f ? onRejected.apply(f.reason) : ((Function<Object, Object>) h).apply(decode(r)));
        }
    }

    static final class Compose<T> extends Derived<T> {
        Compose(EventLoopImpl loop, Function<?, ?> fn) {
            super(loop, fn);
        }

        @Override
        @SuppressWarnings("unchecked")
        void run(Object h, Object r) {
            if (r instanceof Failure) {
                passThrough(r);
            } else {
                resolveFromHandler(Objects.requireNonNull(((Function<Object, Object>) h).apply(decode(r)),
                        "thenCompose handler returned null instead of a promise"));
            }
        }
    }

    /** {@code thenCompose(onFulfilled, onRejected)}: either handler's promise is followed. */
    static final class ComposeBoth<T> extends Derived<T> {
        private final Function<? super Throwable, ?> onRejected;

        ComposeBoth(EventLoopImpl loop, Function<?, ?> onFulfilled, Function<? super Throwable, ?> onRejected) {
            super(loop, onFulfilled);
            this.onRejected = AsyncContext.capture(onRejected);
        }

        @Override
        boolean receives(Throwable reason) {
            return true;
        }

        @Override
        @SuppressWarnings("unchecked")
        void run(Object h, Object r) {
            Object next = r instanceof Failure f ? onRejected.apply(f.reason) : ((Function<Object, Object>) h).apply(decode(r));
            resolveFromHandler(Objects.requireNonNull(next, "thenCompose handler returned null instead of a promise"));
        }
    }

    /** {@code caughtCompose}: the rejection handler's promise is followed; {@code type} null matches all. */
    static final class CaughtCompose<T> extends Derived<T> {
        private final Class<?> type;

        CaughtCompose(EventLoopImpl loop, Class<?> type, Function<?, ?> fn) {
            super(loop, fn);
            this.type = type;
        }

        @Override
        boolean receives(Throwable reason) {
            return type == null || type.isInstance(reason);
        }

        @Override
        @SuppressWarnings("unchecked")
        void run(Object h, Object r) {
            if (r instanceof Failure f && (type == null || type.isInstance(f.reason))) {
                resolveFromHandler(Objects.requireNonNull(((Function<Object, Object>) h).apply(f.reason),
                        "caughtCompose handler returned null instead of a promise"));
            } else {
                passThrough(r);
            }
        }
    }

    static final class Accept<T> extends Derived<T> {
        Accept(EventLoopImpl loop, Consumer<?> fn) {
            super(loop, fn);
        }

        @Override
        @SuppressWarnings("unchecked")
        void run(Object h, Object r) {
            if (r instanceof Failure) {
                passThrough(r);
            } else {
                ((Consumer<Object>) h).accept(decode(r));
                fulfil(null);
            }
        }
    }

    static final class Caught<T> extends Derived<T> {
        Caught(EventLoopImpl loop, Function<?, ?> fn) {
            super(loop, fn);
        }

        @Override
        boolean receives(Throwable reason) {
            return true;
        }

        @Override
        @SuppressWarnings("unchecked")
        void run(Object h, Object r) {
            if (r instanceof Failure f) {
                fulfil(((Function<Object, Object>) h).apply(f.reason));
            } else {
                passThrough(r);
            }
        }
    }

    static final class CaughtType<T> extends Derived<T> {
        private final Class<?> type;

        CaughtType(EventLoopImpl loop, Class<?> type, Function<?, ?> fn) {
            super(loop, fn);
            this.type = type;
        }

        @Override
        boolean receives(Throwable reason) {
            return type.isInstance(reason);
        }

        @Override
        @SuppressWarnings("unchecked")
        void run(Object h, Object r) {
            if (r instanceof Failure f && type.isInstance(f.reason)) {
                fulfil(((Function<Object, Object>) h).apply(f.reason));
            } else {
                passThrough(r);
            }
        }
    }

    /**
     * JavaScript's {@code finally}, turn for turn: after the action, the outcome is passed on
     * through {@code Promise.resolve(undefined).then(() => value)} (or {@code () => { throw
     * reason }}), which this promise then adopts; so a finally step costs three more microtask
     * turns than a {@code then}, as in Node.
     */
    static final class Lastly<T> extends Derived<T> {
        Lastly(EventLoopImpl loop, Runnable action) {
            super(loop, action);
        }

        @Override
        void run(Object h, Object r) {
            ((Runnable) h).run();
            PromiseImpl<Object> thunk = new PromiseImpl<>(loop);
            loop.schedule(new Settle(thunk), r);
            resolveFromHandler(thunk);
        }
    }

    /** Settles a promise with a result, as a microtask: the value thunk of {@link Lastly}. */
    private static final class Settle implements Reaction {
        private final PromiseImpl<?> target;

        Settle(PromiseImpl<?> target) {
            this.target = target;
        }

        @Override
        public void react(Object r) {
            target.complete(r instanceof Failure f ? new Failure(f.reason) : r);
        }
    }
}
