package dev.eventual.internal;

import dev.eventual.AbortSignal;
import dev.eventual.Promise;
import dev.eventual.Scope;
import java.util.ArrayList;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The one implementation of {@link Scope}: the scope and its promise in one object, and the
 * reaction registered on every child.
 *
 * <pre>
 * Overview
 *
 * State, all confined to the loop thread (plain fields, no locks, no atomics; cancel() off the
 * loop posts itself, so it never touches them there):
 *   phase     OPEN, then CANCELLING (cancel, signal, first failure, failed body), then ENDED
 *             (the promise settled). ENDED is final; OPEN -> ENDED directly when all work
 *             fulfilled the scope's way.
 *   open      promises of the scope not yet settled: every forked child, plus the body's
 *             promise until it settles. The scope ends when open reaches 0 with the body done.
 *   children  the forked promises, for cancelling; settled ones are pruned as it grows.
 *   bodyResult the body promise's encoded result once settled (null until then).
 *   failure   the reason the scope rejects with once CANCELLING: the first failure, the signal's
 *             reason, or a handled CancellationException for cancel().
 *   firstFailure  in a scope that does not cancel on failure, the first child failure, which it
 *             rejects with once everything has settled (as Promise.all keeps the first reason).
 * Invariant: the promise is pending while open > 0, so no handler of it runs before the last
 * child settled. Children and the body are cancelled with Promise.cancel, which rejects an
 * Eventual promise inside the call; a child of another loop or a nested scope settles later,
 * and the scope waits for it all the same.
 *
 * The scope is a consumer of each child that always needs its outcome while pending
 * (needsOutcome), so the consumer rule never cancels a child behind the scope's back and never
 * prunes this reaction. The consumer rule reaching the scope's own promise asks it to cancel
 * (settlesItselfWhenCancelled) instead of settling it.
 * </pre>
 */
public final class ScopeImpl<T> extends PromiseImpl<T> implements Scope, Reaction {
    private static final int OPEN = 0;
    private static final int CANCELLING = 1;
    private static final int ENDED = 2;

    private final boolean cancelOnFailure;
    private final Signal signal;
    private int phase = OPEN;
    private int open;
    private boolean bodyDone;
    private Object bodyResult;
    private Failure failure;
    private final ArrayList<PromiseImpl<?>> children = new ArrayList<>();
    private int pruneAt = 64;
    private PromiseImpl<?> body;
    /** The first child failure of a scope that does not cancel on failure; null until one. */
    private Throwable firstFailure;
    /** The signal given to run, and this scope's subscription on it; dropped when the scope ends. */
    private Signal parentSignal;
    private Signal.Node parentSubscription;

    private ScopeImpl(EventLoopImpl loop, boolean cancelOnFailure) {
        super(loop);
        this.cancelOnFailure = cancelOnFailure;
        this.signal = new Signal(loop);
    }

    /** Scope.run/runCancelling on {@code loop}'s thread: runs the body inside this call. */
    public static <T> Promise<T> start(EventLoopImpl loop, boolean cancelOnFailure, AbortSignal parent,
                                       Function<? super Scope, ? extends Promise<? extends T>> body) {
        ScopeImpl<T> scope = new ScopeImpl<>(loop, cancelOnFailure);
        scope.open = 1; // the body
        Signal parentSignal = parent == null ? null : Signal.of(parent);
        if (parentSignal != null) {
            scope.parentSignal = parentSignal;
            // An algorithm may run off this loop (the aborting thread once the signal's loop closed): post.
            scope.parentSubscription = parentSignal.subscribe(
                    () -> loop.runOnLoop(() -> scope.cancelWith(parentSignal.reason(), false)), Signal.ALGORITHM);
        }
        PromiseImpl<? extends T> p;
        try {
            p = PromiseImpl.of(Objects.requireNonNull(body.apply(scope), "scope body returned null instead of a promise"),
                    "scope body");
        } catch (Throwable e) {
            p = new PromiseImpl<>(loop);
            p.tryReject(e);
        }
        scope.body = p;
        p.register(new BodyReaction(scope));
        if (scope.phase == CANCELLING) {
            p.cancel(); // the body cancelled its own scope before returning this promise
        }
        if (parentSignal != null && scope.parentSubscription == null) {
            scope.cancelWith(parentSignal.reason(), false); // aborted before the scope began
        }
        return scope;
    }

    /** The reaction on the body's promise. */
    private record BodyReaction(ScopeImpl<?> scope) implements Reaction {
        @Override
        public void react(Object r) {
            if (scope.loop.inEventLoop()) {
                scope.bodySettled(r);
            } else {
                scope.loop.runOnLoop(() -> scope.bodySettled(r));
            }
        }

        @Override
        public boolean needsOutcome() {
            return !scope.isSettled();
        }
    }

    private void bodySettled(Object r) {
        bodyDone = true;
        bodyResult = r;
        body = null;
        open--;
        if (r instanceof Failure f && phase == OPEN) {
            if (f.reason instanceof CancellationException c) {
                cancelWith(c, true); // someone cancelled the body's promise: the scope is cancelled
            } else {
                fail(f.reason); // a failed body fails the scope, whatever its kind
            }
        }
        maybeEnd();
    }

    // ------------------------------------------------------------------ children

    @Override
    public <R> Promise<R> fork(Supplier<? extends Promise<? extends R>> work) {
        Objects.requireNonNull(work, "work");
        if (!loop.inEventLoop()) {
            throw new IllegalStateException("Scope.fork must be called on the thread of event loop '" + loop.name()
                    + "' (the scope's body or a callback of that loop), but was called on thread '"
                    + Thread.currentThread().getName() + "'");
        }
        if (phase == ENDED) {
            throw new IllegalStateException("Scope.fork called after the scope ended (its promise has settled): "
                    + "fork inside the body, or in callbacks that run before the body's promise settles");
        }
        if (phase == CANCELLING) {
            PromiseImpl<R> refused = new PromiseImpl<>(loop);
            Failure f = new Failure(signal.reason());
            f.markHandled();
            refused.complete(f);
            return refused;
        }
        PromiseImpl<R> child;
        try {
            child = PromiseImpl.of(Objects.requireNonNull(work.get(), "forked work returned null instead of a promise"),
                    "forked work");
        } catch (Throwable e) {
            child = new PromiseImpl<>(loop);
            child.tryReject(e);
        }
        open++;
        if (children.size() >= pruneAt) {
            children.removeIf(c -> c.isSettled());
            pruneAt = Math.max(64, 2 * children.size());
        }
        children.add(child);
        if (child.loop == loop) {
            child.register(this);
        } else {
            child.register(new RemoteChild(this, loop.keepAliveOrNull()));
        }
        return child;
    }

    /**
     * The reaction on a child of another loop: its outcome reaches this loop as a task, and a
     * KeepAlive held until that task is posted keeps this loop from ending meanwhile (rule 7),
     * so the scope is still there to settle.
     */
    private record RemoteChild(ScopeImpl<?> scope, dev.eventual.KeepAlive alive) implements Reaction {
        @Override
        public void react(Object r) {
            try {
                scope.loop.runOnLoop(() -> scope.childSettled(r));
            } finally {
                if (alive != null) {
                    alive.close(); // after the post: the loop never looks idle between
                }
            }
        }

        @Override
        public boolean needsOutcome() {
            return !scope.isSettled();
        }
    }

    /** A child settled (its loop's thread). */
    @Override
    public void react(Object r) {
        if (loop.inEventLoop()) {
            childSettled(r);
        } else {
            loop.runOnLoop(() -> childSettled(r));
        }
    }

    private void childSettled(Object r) {
        open--;
        if (r instanceof Failure f && !(f.reason instanceof CancellationException) && phase == OPEN) {
            if (cancelOnFailure) {
                fail(f.reason);
            } else if (firstFailure == null) {
                firstFailure = f.reason; // the scope rejects with it once everything has settled
            }
        }
        maybeEnd();
    }

    @Override
    public boolean needsOutcome() {
        return !isSettled();
    }

    // ------------------------------------------------------------------ cancelling

    /** Loop thread: the first failure cancels the scope and becomes its reason. */
    private void fail(Throwable reason) {
        if (phase != OPEN) {
            return; // cancelling already: later failures are the cancellation's effects or too late
        }
        CancellationException why = new CancellationException("scope cancelled: " + reason);
        why.initCause(reason);
        cancelAll(new Failure(reason), why);
    }

    /** Loop thread: cancel with {@code reason} (a signal's, or a handled CancellationException). */
    private void cancelWith(Throwable reason, boolean handled) {
        if (phase != OPEN) {
            return;
        }
        Failure f = new Failure(reason);
        if (handled) {
            f.markHandled();
        }
        CancellationException why;
        if (reason instanceof CancellationException c) {
            why = c;
        } else {
            why = new CancellationException("scope cancelled: " + reason);
            why.initCause(reason);
        }
        cancelAll(f, why);
    }

    /** Loop thread: the signal aborts, then the body and every pending child are cancelled. */
    private void cancelAll(Failure outcome, CancellationException signalReason) {
        phase = CANCELLING;
        failure = outcome;
        signal.abort(signalReason);
        PromiseImpl<?> b = body;
        if (b != null) {
            b.cancel();
        }
        for (PromiseImpl<?> child : children.toArray(new PromiseImpl<?>[0])) {
            if (!child.isSettled()) {
                child.cancel();
            }
        }
        children.clear();
        maybeEnd();
    }

    /** Loop thread: settles the scope's promise once nothing of it is pending. */
    private void maybeEnd() {
        if (open > 0 || !bodyDone || phase == ENDED) {
            return;
        }
        boolean cancelled = phase == CANCELLING;
        phase = ENDED;
        children.clear();
        if (parentSignal != null) {
            parentSignal.unsubscribe(parentSubscription); // the signal no longer holds this scope
        }
        if (cancelled) {
            complete(failure);
        } else if (firstFailure != null) {
            complete(new Failure(firstFailure));
        } else {
            complete(ownResult(bodyResult));
        }
        bodyResult = null;
        failure = null;
        firstFailure = null;
    }

    @Override
    public boolean cancel() {
        if (loop.inEventLoop()) {
            if (phase != OPEN) {
                return false;
            }
            cancelWith(new CancellationException("scope cancelled"), true);
            return true;
        }
        if (isSettled()) {
            return false;
        }
        loop.runOnLoop(this::cancel);
        return true;
    }

    @Override
    boolean settlesItselfWhenCancelled() {
        return true;
    }

    @Override
    boolean hasProducer() {
        return true; // so that promises derived from the scope's can release it (consumer rule)
    }

    // ------------------------------------------------------------------ Scope

    @Override
    public AbortSignal signal() {
        return signal;
    }

    @Override
    public int pending() {
        if (!loop.inEventLoop()) {
            throw new IllegalStateException("Scope.pending() reads state confined to the thread of event loop '"
                    + loop.name() + "', but was called on thread '" + Thread.currentThread().getName() + "'");
        }
        return open;
    }

    @Override
    public String toString() {
        String[] names = {"open", "cancelling", "ended"};
        return "Scope[" + (loop.inEventLoop() ? names[phase] + ", " + open + " pending, " : "") + super.toString() + "]";
    }
}
