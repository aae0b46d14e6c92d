package dev.eventual.internal;

import dev.eventual.Deferred;
import dev.eventual.EventLoop;
import dev.eventual.EventLoopClosedException;
import dev.eventual.NodeCallback;
import dev.eventual.Promise;
import dev.eventual.Settled;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The promise state machine: one object is both the {@link Promise} and its {@link Deferred}.
 *
 * <pre>
 * Overview
 *
 * Two fields, both changed by CAS only, encode everything:
 *
 *   result     null       pending
 *              LOCKED     pending, resolved to another promise or stage and following it
 *              NIL        fulfilled with null
 *              Failure    rejected (the box holds the reason)
 *              other      fulfilled with that value
 *   Transitions: null -> anything; LOCKED -> settled. Settled is final. The thread whose CAS
 *   moves result to a settled value is the one winner of rule 3.
 *
 *   reactions  null          no reaction yet
 *              a reaction    one reaction (a Derived or a Reaction)
 *              ReactionNode  a stack of reactions, newest first
 *              SETTLED       reactions were handed to the loop; new ones are scheduled directly
 *              UNHANDLED     rejected with no reaction; queued in the loop's RejectionTracker
 *              REPORTED      rejected, no reaction, reported as unhandled
 *   Reactions are pushed until the loop dispatches the settled promise, which swaps the
 *   stack for one of the three markers; a marker is replaced only by SETTLED (a late
 *   handler marks the rejection handled).
 *
 * Who does what, on which thread:
 *   - settling (tryResolve/tryReject/completeFollowing) may run on any thread. On the loop
 *     thread the winner dispatches at once (queues the reactions as microtasks); elsewhere it
 *     posts this promise to the loop's task queue, and the loop dispatches it there as one
 *     task. Reactions therefore only ever run on the loop (rule 1) and never inside the
 *     settling call (rule 2).
 *   - registering (then, caught, ...) may run on any thread. Before dispatch it pushes onto
 *     the stack; after dispatch it schedules the one reaction with the result.
 *   - dispatch runs on the loop thread only, once per promise.
 *
 * Memory ordering: both fields are volatile and moved with volatile-mode CAS. A reaction is
 * scheduled only by the thread that (a) swapped it out of the stack, which happens after the
 * result CAS in the same thread or on the loop thread that received this promise through the
 * task queue (the queue's release/acquire publishes the result), or (b) saw a marker, which is
 * written only after result was set, so the volatile read of result that follows sees it.
 *
 * A closed loop settles what is pending on it lazily: any read that finds the promise pending
 * on a closed loop CASes result to a Failure(EventLoopClosedException), so the first observer
 * and any racing settler agree on one outcome (see {@link #resultOrClosed()}).
 *
 * GC hygiene: a settled promise holds its result and a marker only; a derived promise drops
 * its handler when it fires. So a settled chain does not keep its predecessors reachable.
 * </pre>
 *
 * @param <T> the type of the value
 */
public class PromiseImpl<T> implements Promise<T>, Deferred<T> {
    /** Encoded result of a promise fulfilled with {@code null}. */
    static final Object NIL = new Marker("NIL");
    /** Encoded result of a promise resolved to another promise or stage, still pending. */
    static final Object LOCKED = new Marker("LOCKED");
    /** Reactions marker: dispatched; a later reaction is scheduled at once. */
    static final Object SETTLED = new Marker("SETTLED");
    /** Reactions marker: rejected with no reaction; the loop will report it if none comes. */
    static final Object UNHANDLED = new Marker("UNHANDLED");
    /** Reactions marker: rejected and reported unhandled; a later reaction reports "handled later". */
    static final Object REPORTED = new Marker("REPORTED");

    private static final VarHandle RESULT;
    private static final VarHandle REACTIONS;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            RESULT = lookup.findVarHandle(PromiseImpl.class, "result", Object.class);
            REACTIONS = lookup.findVarHandle(PromiseImpl.class, "reactions", Object.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The loop whose thread runs this promise's reactions. Never null. */
    final Loop loop;
    /** See the overview. CAS only. */
    private volatile Object result;
    /** See the overview. CAS only. */
    private volatile Object reactions;

    PromiseImpl(Loop loop) {
        this.loop = loop;
    }

    /** A promise fulfilled from birth (rejections go through {@link #tryReject} for tracking). */
    PromiseImpl(Loop loop, Object encodedValue) {
        assert !(encodedValue instanceof Failure) && isSettledResult(encodedValue);
        this.loop = loop;
        // Plain stores: the promise is not yet published, and whatever publishes it (a return to
        // the creating thread, a volatile write, a queue handoff) orders these before it.
        RESULT.set(this, encodedValue);
        REACTIONS.set(this, SETTLED);
    }

    // ------------------------------------------------------------------ encoding

    static Object encode(Object value) {
        return value == null ? NIL : value;
    }

    @SuppressWarnings("unchecked")
    static <V> V decode(Object encoded) {
        return encoded == NIL ? null : (V) encoded;
    }

    static boolean isSettledResult(Object r) {
        return r != null && r != LOCKED;
    }

    /** Converts any {@link Promise} to this implementation, following foreign ones. */
    @SuppressWarnings("unchecked")
    static <V> PromiseImpl<V> of(Promise<? extends V> promise, String name) {
        Objects.requireNonNull(promise, name);
        if (promise instanceof PromiseImpl<?> impl) {
            return (PromiseImpl<V>) impl;
        }
        Loop loop = (Loop) promise.loop();
        PromiseImpl<V> follower = new PromiseImpl<>(loop);
        promise.asCallback((error, value) -> {
            if (error != null) {
                follower.tryReject(error);
            } else {
                follower.tryResolve((V) value);
            }
        });
        return follower;
    }

    // ------------------------------------------------------------------ settling

    @Override
    public Promise<T> promise() {
        return this;
    }

    @Override
    public boolean tryResolve(T value) {
        if (value instanceof Promise<?> || value instanceof CompletionStage<?>) {
            return resolveThenable(value);
        }
        return complete(encode(value));
    }

    @Override
    public boolean tryFollow(Promise<? extends T> other) {
        return resolveThenable(Objects.requireNonNull(other, "other"));
    }

    @Override
    public boolean tryReject(Throwable reason) {
        return complete(new Failure(Objects.requireNonNull(reason, "reason")));
    }

    /** Resolves with a handler's result: adopts promises and stages, like tryResolve. */
    final void resolveFromHandler(Object value) {
        if (value instanceof Promise<?> || value instanceof CompletionStage<?>) {
            resolveThenable(value);
        } else {
            complete(encode(value));
        }
    }

    /** Moves a pending (not locked) promise to {@code r}; false if it was already resolved. */
    final boolean complete(Object r) {
        if (!RESULT.compareAndSet(this, null, r)) {
            return false;
        }
        afterSettle();
        return true;
    }

    /** Settles a LOCKED promise with the outcome of the promise it follows. */
    final void completeFollowing(Object r) {
        if (RESULT.compareAndSet(this, LOCKED, r)) {
            afterSettle();
        }
    }

    /**
     * Promises/A+ 2.3: resolve with a thenable. Locks this promise (further resolve calls lose),
     * then follows the thenable. A promise of ours is followed in two microtask turns, as
     * JavaScript's NewPromiseResolveThenableJob does: turn one registers on it, turn two is its
     * reaction.
     */
    private boolean resolveThenable(Object thenable) {
        if (thenable == this) {
            return complete(new Failure(new IllegalArgumentException(
                    "chaining cycle: a promise cannot be resolved with itself: " + this)));
        }
        if (!RESULT.compareAndSet(this, null, LOCKED)) {
            return false;
        }
        if (thenable instanceof Promise<?> promise) {
            PromiseImpl<?> source = of(promise, "thenable");
            loop.schedule(adoptionJob(), source);
        } else {
            Interop.follow(this, (CompletionStage<?>) thenable);
        }
        return true;
    }

    /** The reaction that runs the adoption job; a Derived reuses itself to save an object. */
    Object adoptionJob() {
        return new Adoption(this);
    }

    private void afterSettle() {
        if (loop.inEventLoop()) {
            dispatch();
        } else {
            loop.post(this);
        }
    }

    /**
     * Hands the reactions to the microtask queue, or records an unhandled rejection. Runs on the
     * loop thread, exactly once, after result was settled.
     */
    final void dispatch() {
        assert loop.inEventLoop() : "dispatch off the loop thread";
        Object r = result;
        Object rs;
        Object marker;
        do {
            // Loses only to a concurrent push; retry with the longer stack.
            rs = reactions;
            marker = rs == null && r instanceof Failure ? UNHANDLED : SETTLED;
        } while (!REACTIONS.compareAndSet(this, rs, marker));
        if (rs == null) {
            if (marker == UNHANDLED) {
                loop.rejections.rejectedUnhandled(this);
            }
        } else {
            scheduleAll(rs, r);
        }
    }

    private void scheduleAll(Object rs, Object r) {
        if (!(rs instanceof ReactionNode)) {
            loop.schedule(rs, r);
            return;
        }
        // The stack is newest first; reactions must run in registration order (A+ 2.2.6).
        int n = 0;
        for (Object p = rs; p instanceof ReactionNode node; p = node.next) {
            n++;
        }
        Object[] ordered = new Object[n + 1];
        int i = n;
        Object p = rs;
        while (p instanceof ReactionNode node) {
            ordered[i--] = node.reaction;
            p = node.next;
        }
        ordered[0] = p;
        for (Object reaction : ordered) {
            loop.schedule(reaction, r);
        }
    }

    // ------------------------------------------------------------------ registering

    /** Adds a reaction; it runs as a microtask with the result once this promise settles. */
    final void register(Object reaction) {
        for (;;) {
            Object cur = reactions;
            if (cur instanceof Marker) {
                if (cur != SETTLED) {
                    // Loses only to another late registration; retry to see SETTLED.
                    if (!REACTIONS.compareAndSet(this, cur, SETTLED)) {
                        continue;
                    }
                    if (cur == REPORTED) {
                        loop.rejections.handledLater(this);
                    }
                }
                // A marker is written after result was settled; this volatile read sees it.
                loop.schedule(reaction, result);
                return;
            }
            Object next = cur == null ? reaction : new ReactionNode(reaction, cur);
            // Loses to another registration or to dispatch; retry either way.
            if (REACTIONS.compareAndSet(this, cur, next)) {
                return;
            }
        }
    }

    /**
     * Adds a reaction that must run even if the loop closes first (it completes something outside
     * the loop): the loop remembers this promise until it settles.
     */
    final void registerExternal(Reaction reaction) {
        loop.watch(this);
        register(reaction);
        if (loop.isClosed()) {
            flushOnClosedLoop();
        }
    }

    /**
     * Called when the loop has closed: settles this promise as closed if still pending and runs
     * its external reactions on the calling thread. Other reactions cannot run anymore.
     */
    final void flushOnClosedLoop() {
        Object r = resultOrClosed();
        Object rs = REACTIONS.getAndSet(this, SETTLED);
        for (Object p = rs; p != null && !(p instanceof Marker); ) {
            Object reaction = p instanceof ReactionNode node ? node.reaction : p;
            if (reaction instanceof Reaction x && x.external()) {
                x.react(r);
            }
            p = p instanceof ReactionNode node ? node.next : null;
        }
    }

    /** The result, settling this promise as closed first when it is pending on a closed loop. */
    final Object resultOrClosed() {
        Object r = result;
        if (isSettledResult(r) || !loop.isClosed()) {
            return r;
        }
        Failure closed = new Failure(new EventLoopClosedException(
                "event loop '" + loop.name() + "' closed while this promise was pending"));
        // Loses only to a settle that happened first; its value stands.
        while (!isSettledResult(r = result)) {
            if (RESULT.compareAndSet(this, r, closed)) {
                return closed;
            }
        }
        return r;
    }

    /** RejectionTracker: UNHANDLED -> REPORTED; false if a reaction came first. Loop thread. */
    final boolean markReported() {
        return REACTIONS.compareAndSet(this, UNHANDLED, REPORTED);
    }

    /** The rejection reason; only for a rejected promise. */
    final Throwable reason() {
        return ((Failure) result).reason;
    }

    /** The loop's watch set no longer needs this promise once it has settled. */
    final boolean isSettled() {
        return isSettledResult(result);
    }

    // ------------------------------------------------------------------ handlers

    @Override
    public <R> Promise<R> then(Function<? super T, ? extends R> onFulfilled) {
        return derive(Derived.THEN, Objects.requireNonNull(onFulfilled, "onFulfilled"));
    }

    @Override
    public <R> Promise<R> then(Function<? super T, ? extends R> onFulfilled,
                               Function<? super Throwable, ? extends R> onRejected) {
        Objects.requireNonNull(onFulfilled, "onFulfilled");
        Objects.requireNonNull(onRejected, "onRejected");
        return derive(Derived.THEN_BOTH, new Object[] {onFulfilled, onRejected});
    }

    @Override
    public <R> Promise<R> thenCompose(Function<? super T, ? extends Promise<? extends R>> onFulfilled) {
        return derive(Derived.COMPOSE, Objects.requireNonNull(onFulfilled, "onFulfilled"));
    }

    @Override
    public Promise<Void> thenAccept(Consumer<? super T> onFulfilled) {
        return derive(Derived.ACCEPT, Objects.requireNonNull(onFulfilled, "onFulfilled"));
    }

    @Override
    public Promise<T> caught(Function<? super Throwable, ? extends T> onRejected) {
        return derive(Derived.CAUGHT, Objects.requireNonNull(onRejected, "onRejected"));
    }

    @Override
    public <E extends Throwable> Promise<T> caught(Class<E> type, Function<? super E, ? extends T> onRejected) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(onRejected, "onRejected");
        return derive(Derived.CAUGHT_TYPE, new Object[] {type, onRejected});
    }

    @Override
    public Promise<T> lastly(Runnable onSettled) {
        return derive(Derived.LASTLY, Objects.requireNonNull(onSettled, "onSettled"));
    }

    @Override
    public Promise<T> asCallback(NodeCallback<? super T> callback) {
        register(new CallbackReaction<>(loop, Objects.requireNonNull(callback, "callback")));
        return this;
    }

    private <R> Promise<R> derive(byte kind, Object handler) {
        Derived<R> derived = new Derived<>(loop, kind, handler);
        register(derived);
        return derived;
    }

    // ------------------------------------------------------------------ inspection

    @Override
    public EventLoop loop() {
        return loop;
    }

    @Override
    public State state() {
        Object r = resultOrClosed();
        if (!isSettledResult(r)) {
            return State.PENDING;
        }
        return r instanceof Failure ? State.REJECTED : State.FULFILLED;
    }

    @Override
    public Optional<Settled<T>> peek() {
        Object r = resultOrClosed();
        if (!isSettledResult(r)) {
            return Optional.empty();
        }
        return Optional.of(r instanceof Failure f ? new Settled.Rejected<>(f.reason) : new Settled.Fulfilled<>(decode(r)));
    }

    @Override
    public CompletableFuture<T> toCompletableFuture() {
        LoopFuture<T> future = new LoopFuture<>(loop);
        registerExternal(new FutureReaction<>(future));
        return future;
    }

    @Override
    public String toString() {
        Object r = result;
        String state;
        if (r == null) {
            state = loop.isClosed() ? "pending on a closed loop" : "pending";
        } else if (r == LOCKED) {
            state = "pending, following another promise";
        } else if (r instanceof Failure f) {
            state = "rejected: " + f.reason;
        } else {
            state = "fulfilled: " + decode(r);
        }
        return "Promise@" + Integer.toHexString(System.identityHashCode(this))
                + "[" + state + ", loop '" + loop.name() + "']";
    }
}
