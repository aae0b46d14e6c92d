package dev.eventual.internal;

import dev.eventual.AbortSignal;
import dev.eventual.ChainingCycleException;
import dev.eventual.Deferred;
import dev.eventual.EventLoop;
import dev.eventual.EventLoopClosedException;
import dev.eventual.NodeCallback;
import dev.eventual.Promise;
import dev.eventual.Settled;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
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
 * One field, changed by CAS only, encodes everything:
 *
 *   state   null          pending, no reaction
 *           a Reaction    pending, one reaction (a Derived promise or another Reaction)
 *           ReactionNode  pending, a stack of reactions, newest first; a node with
 *                         locked=true means the promise was resolved to another promise or
 *                         stage and follows it (further resolve calls lose)
 *           SettledOffLoop settled on another thread, not yet dispatched by the loop: the
 *                         result and the reactions taken (late reactions are pushed there, in order)
 *           NIL           fulfilled with null
 *           Failure       rejected (the box holds the reason and the unhandled-rejection status)
 *           other         fulfilled with that value; a value that is a Reaction (some promises
 *                         of ours are) is boxed in a ReactionValue, so that it never reads as one
 *   Transitions: pending -> pending with one more reaction (register); unlocked -> locked
 *   (resolve with a thenable); pending -> settled (the one CAS that settles, rule 3). Settled
 *   is final. So the settling CAS also takes the reactions: the winner holds them alone.
 *
 * Who does what, on which thread:
 *   - settling may run on any thread. On the loop thread the winner dispatches at once
 *     (queues the reactions as microtasks); elsewhere it installs a {@link SettledOffLoop} state and
 *     posts this promise to the loop, which dispatches it there as one task. So reactions only
 *     ever run on the loop (rule 1), never inside the settling call (rule 2), and always in
 *     registration order.
 *   - registering may run on any thread: while pending it pushes onto the stack; once settled
 *     it schedules the one reaction with the result.
 *
 * Memory ordering: all accesses to state are volatile (plain reads of a volatile field, and
 * volatile-mode CAS). A reaction object and its handler are written before the CAS that
 * publishes it, and read by the loop after the CAS that takes it (or after the task queue's
 * release/acquire handoff), so handler fields need no volatile.
 *
 * Unhandled rejections (rule 5) live in the Failure box: see {@link Failure}. A pass-through
 * rejection gets a new box, so each rejected promise has its own status.
 *
 * A closed loop settles what is pending on it lazily: any read that finds the promise pending
 * on a closed loop CASes state to Failure(EventLoopClosedException); the winner runs the
 * external reactions it took (see {@link Reaction#external()}), so callers outside are told.
 *
 * GC hygiene: a settled promise holds its result only; a derived promise drops its handler when
 * it fires. So a settled chain does not keep its predecessors reachable.
 *
 * Cancellation (rule 6), without a field. {@link #cancel} is one more settle: the CAS that
 * rejects with a CancellationException (marked handled: the canceller asked for it) from any
 * pending state, locked or not, so it races with resolve/reject exactly as they race with each
 * other (first wins, rule 3). Only the winner then tells the producer, on the loop thread
 * ({@link #producerCancelled}, through runOnLoop). Who the producer is lives in the type, not in
 * a field: a plain promise has none (its Deferred's holder is the producer); the promise kinds
 * that start work are subclasses that override producerCancelled ({@link Delay} clears its
 * timer, {@link StageBridge.FromStage} cancels its future, an async body's result wakes the body,
 * {@link Guard} clears its timeout, a combinator's result releases its inputs, {@link Retry}
 * stops its attempt). A derived promise learns its source only when that source has a producer
 * ({@link #hasProducer}): then {@link #derive} wraps the handler with the source
 * ({@code Derived.Linked}), one allocation in that case only; Derived stays 24 bytes.
 *
 * Consumers are counted, not stored: the consumers of a pending promise are the reactions on its
 * stack, and one still needs the outcome unless {@link Reaction#needsOutcome()} says otherwise (a
 * derived promise or guard that has settled, a combinator whose result has settled, a future
 * that is done). When a consumer is cancelled, its source is cancelled in turn only if no
 * reaction on the source's stack still needs it ({@link #cancelIfUnneeded}): the check and the
 * cancelling CAS use the same state, so a registration that slips in makes the CAS fail and the
 * re-check see a live consumer. A promise merely held in a variable, with no handler, is no
 * consumer. The walk up a chain is a loop, not recursion, so a million-link chain cancels in
 * constant stack.
 * </pre>
 *
 * @param <T> the type of the value
 */
public class PromiseImpl<T> implements Promise<T>, Deferred<T> {
    /** Encoded result of a promise fulfilled with {@code null}. */
    static final Object NIL = new Sentinel("NIL");
    /** Pending, locked, no reaction yet. */
    static final ReactionNode LOCKED = new ReactionNode(null, null, true);

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(PromiseImpl.class, "state", Object.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The loop whose thread runs this promise's reactions. Never null. */
    final EventLoopImpl loop;
    /** See the overview. Volatile reads and CAS only. */
    private volatile Object state;

    PromiseImpl(EventLoopImpl loop) {
        this.loop = loop;
    }

    /** A promise fulfilled from birth (rejections go through {@link #tryReject} for tracking). */
    PromiseImpl(EventLoopImpl loop, Object encodedValue) {
        assert isSettled(encodedValue) && !(encodedValue instanceof Failure);
        this.loop = loop;
        // Plain store: the promise is not yet published, and whatever publishes it (a return to
        // the creating thread, a volatile write, a queue handoff) orders this store before it.
        STATE.set(this, encodedValue);
    }

    // ------------------------------------------------------------------ encoding

    static Object encode(Object value) {
        return value == null ? NIL : value instanceof Reaction ? new ReactionValue(value) : value;
    }

    @SuppressWarnings("unchecked")
    static <V> V decode(Object encoded) {
        return encoded == NIL ? null : encoded instanceof ReactionValue boxed ? (V) boxed.value : (V) encoded;
    }

    /**
     * A value that is itself a {@link Reaction}: a promise of ours that is also a reaction (a
     * derived promise, a combinator's result, a guard), fulfilling another promise as a value
     * ({@code submit(() -> Promise.all(...))}, a {@code then} handler that returns a promise).
     * Stored raw, the state encoding would read it as a pending promise's one reaction.
     */
    private record ReactionValue(Object value) {}

    static boolean isSettled(Object s) {
        return s != null && !(s instanceof Reaction) && !(s instanceof ReactionNode);
    }

    private static boolean isLocked(Object s) {
        return s instanceof ReactionNode node && node.locked;
    }

    /** Converts any {@link Promise} to this implementation, following foreign ones. */
    @SuppressWarnings("unchecked")
    static <V> PromiseImpl<V> of(Promise<? extends V> promise, String name) {
        Objects.requireNonNull(promise, name);
        if (promise instanceof PromiseImpl<?> impl) {
            return (PromiseImpl<V>) impl;
        }
        PromiseImpl<V> follower = new PromiseImpl<>((EventLoopImpl) promise.loop());
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

    /** Fulfils with {@code value} as it is, even a promise or stage: for results typed as values. */
    final boolean fulfilAsIs(Object value) {
        return complete(encode(value));
    }

    /** Resolves with a handler's result: adopts promises and stages, like tryResolve. */
    final void resolveFromHandler(Object value) {
        if (value instanceof Promise<?> || value instanceof CompletionStage<?>) {
            resolveThenable(value);
        } else {
            complete(encode(value));
        }
    }

    /** Settles an unlocked pending promise with {@code r}; false if it was already resolved. */
    final boolean complete(Object r) {
        for (;;) {
            Object s = state;
            if (isSettled(s) || isLocked(s)) {
                return false;
            }
            // Loses to a registration (retry with its longer stack) or to another settle.
            if (settleFrom(s, r)) {
                return true;
            }
        }
    }

    /** Settles a locked promise with the outcome of the promise it follows. */
    final void completeFollowing(Object r) {
        Object own = ownResult(r);
        for (;;) {
            Object s = state;
            if (!isLocked(s)) {
                return; // settled as closed in the meantime
            }
            if (settleFrom(s, own)) {
                return;
            }
        }
    }

    /**
     * Another promise's result {@code r}, to settle this one with: a rejection gets a new box.
     * Sharing the box would share the unhandled-rejection status (rule 5): the source's box is
     * marked handled by the very reaction that passes it on, so this promise's own rejection
     * would never be reported if nobody handles it.
     */
    static Object ownResult(Object r) {
        return r instanceof Failure f ? new Failure(f.reason) : r;
    }

    /**
     * Promises/A+ 2.3: resolve with a thenable. Locks this promise (further resolve calls lose),
     * then follows the thenable. A promise of ours is followed in two microtask turns, as
     * JavaScript's NewPromiseResolveThenableJob does: turn one registers on it, turn two is its
     * reaction. A stage or a promise of another implementation is a thenable
     * ({@link ThenableAdoption}): turn one registers on it, and it settles this promise when it
     * calls back (inside that turn when it is already complete).
     */
    private boolean resolveThenable(Object thenable) {
        if (thenable == this) {
            return complete(new Failure(new ChainingCycleException(
                    "chaining cycle: a promise cannot be resolved with itself: " + this)));
        }
        for (;;) {
            Object s = state;
            if (isSettled(s) || isLocked(s)) {
                return false;
            }
            Object locked = s == null ? LOCKED : new ReactionNode(null, s, true);
            // Loses to a registration (retry) or a settle (then fail above).
            if (STATE.compareAndSet(this, s, locked)) {
                break;
            }
        }
        followLocked(thenable);
        return true;
    }

    /**
     * Makes this promise, just locked by {@link #resolveThenable}, follow {@code thenable}: a
     * promise of ours through {@link Adoption} (two turns), anything else through
     * {@link ThenableAdoption} (one job, then the thenable's own call). Any thread.
     */
    private void followLocked(Object thenable) {
        if (thenable instanceof PromiseImpl<?> promise) {
            loop.schedule(adoptionJob(), promise);
        } else {
            ThenableAdoption.start(this, thenable);
        }
    }

    /**
     * The next adoption step of this locked promise: a thenable it follows called back with yet
     * another promise or stage (A+ 2.3.3.3.1 resolves recursively). Any thread (the one that
     * completed the stage); so a fresh {@link Adoption}, never {@link #adoptionJob}, whose
     * Derived form would write loop-confined state here.
     */
    final void followNext(Object thenable) {
        if (thenable == this) {
            completeFollowing(new Failure(new ChainingCycleException(
                    "chaining cycle: a promise cannot follow itself: " + this)));
        } else if (thenable instanceof PromiseImpl<?> promise) {
            loop.schedule(new Adoption(this), promise);
        } else {
            ThenableAdoption.start(this, thenable);
        }
    }

    /** The reaction that runs the adoption job; a Derived reuses itself to save an object. */
    Reaction adoptionJob() {
        return new Adoption(this);
    }

    /**
     * The settling CAS from pending state {@code s}. On the loop thread the new state is the
     * result and the reactions taken are dispatched at once; elsewhere it is a {@link SettledOffLoop}
     * and this promise goes to the loop's task queue (unless nothing there needs the loop: a
     * fulfilment that nobody waits for).
     */
    private boolean settleFrom(Object s, Object r) {
        if (loop.inEventLoop()) {
            if (!STATE.compareAndSet(this, s, r)) {
                return false;
            }
            dispatch(s, r);
            return true;
        }
        boolean needsLoop = (s != null && s != LOCKED) || r instanceof Failure;
        if (!STATE.compareAndSet(this, s, needsLoop ? new SettledOffLoop(r, s) : r)) {
            return false;
        }
        if (needsLoop) {
            loop.post(this);
        }
        return true;
    }

    /** The task posted by {@link #settleFrom}: replaces the SettledOffLoop state by the result and dispatches. */
    final void dispatchSettling() {
        Object s;
        do {
            s = state; // a SettledOffLoop: only this task and a closed loop replace it
            if (!(s instanceof SettledOffLoop)) {
                return;
            }
            // Loses only to a late registration, which installed a longer SettledOffLoop: retry.
        } while (!STATE.compareAndSet(this, s, ((SettledOffLoop) s).result));
        SettledOffLoop settling = (SettledOffLoop) s;
        dispatch(settling.taken, settling.result);
    }

    /**
     * Queues the reactions as microtasks, in registration order (A+ 2.2.6), or records an
     * unhandled rejection. Loop thread, once per promise.
     */
    final void dispatch(Object taken, Object r) {
        assert loop.inEventLoop() : "dispatch off the loop thread";
        TimelineRecorder recorder = loop.recorder;
        if (recorder != null) {
            recorder.settled(this, r);
        }
        Trace op = loop.traces ? operationSite() : null;
        Trace saved = null;
        if (op != null) {
            saved = loop.trace;
            loop.trace = Trace.run(op, saved); // its reactions run as the operation's outcome
        }
        try {
            dispatchReactions(taken, r);
        } finally {
            if (op != null) {
                loop.trace = saved;
            }
        }
    }

    /** {@link #dispatch} proper. */
    private void dispatchReactions(Object taken, Object r) {
        boolean none = false;
        if (taken == null) {
            none = true; // no reaction: most derived promises, whose chain ends here
        } else if (taken instanceof Reaction single) {
            loop.schedule(single, r); // the common case: no array
        } else {
            Reaction[] reactions = ReactionNode.oldestFirst(taken);
            if (reactions == null) {
                none = true;
            } else {
                for (Reaction reaction : reactions) {
                    loop.schedule(reaction, r);
                }
            }
        }
        if (r instanceof Failure f) {
            if (none) {
                f.trace = loop.trace; // null unless traces are on: for the report (RejectionTracker)
                if (f.markUnhandled()) {
                    loop.rejections.rejectedUnhandled(this, f);
                }
            } else {
                f.markHandled();
            }
        }
    }

    // ------------------------------------------------------------------ cancelling

    @Override
    public boolean cancel() {
        Failure cancelled = new Failure(new CancellationException("promise cancelled"));
        cancelled.markHandled(); // the canceller asked for it: not an unhandled rejection
        if (!settleAnyPending(cancelled)) {
            return false;
        }
        loop.runOnLoop(this::propagateCancel); // dropped if the loop closed: nothing is left to stop
        return true;
    }

    /** Settles this promise with {@code r} from any pending state, locked or not; false if settled. */
    final boolean settleAnyPending(Object r) {
        for (;;) {
            Object s = state;
            if (isSettled(s)) {
                return false;
            }
            // Loses to a registration (retry with its longer stack) or to another settle (then false).
            if (settleFrom(s, r)) {
                return true;
            }
        }
    }

    /** Loop thread, after this promise was cancelled: tells its producer, then walks up (see overview). */
    private void propagateCancel() {
        PromiseImpl<?> source = producerCancelled();
        if (source != null) {
            source.releaseConsumer();
        }
    }

    /**
     * Whether this promise was handed to a caller on a thread other than its loop's ({@code
     * submit}, {@code async(loop, ...)} called off the loop), who attaches handlers from that
     * thread: its rejection is then reported only if still unhandled when it becomes unreachable
     * or the loop closes ({@link OutsideRejections}), not at the checkpoint.
     */
    boolean heldOutside() {
        return false;
    }

    /**
     * Whether cancelling this promise has a producer to tell (see the overview). Read by
     * {@link #derive} on the registering thread.
     */
    boolean hasProducer() {
        return false;
    }

    /**
     * Whether {@link #cancel} on this promise only asks its producer to stop, and the promise
     * settles once the producer has (a {@code Scope}: after every child has settled). Then the
     * consumer rule calls {@code cancel()} instead of settling it. False for every other kind.
     */
    boolean settlesItselfWhenCancelled() {
        return false;
    }

    /**
     * Loop thread, once, after this promise was cancelled: stops its producer and returns the
     * promise it consumed, to release under the consumer rule, or null.
     */
    PromiseImpl<?> producerCancelled() {
        return null;
    }

    /**
     * One of this promise's consumers no longer needs it: on the loop thread, cancels it when no
     * other reaction needs it, then walks up its sources the same way. Any thread.
     */
    final void releaseConsumer() {
        if (loop.inEventLoop()) {
            cancelIfUnneeded();
        } else {
            loop.post((Runnable) this::cancelIfUnneeded);
        }
    }

    /** Loop thread: the consumer rule, iterated up the chain (see overview). */
    final void cancelIfUnneeded() {
        assert loop.inEventLoop() : "cancelIfUnneeded off the loop thread";
        PromiseImpl<?> p = this;
        while (p != null && p.cancelUnneeded()) {
            p = p.producerCancelled();
            if (p != null && !p.loop.inEventLoop()) {
                p.releaseConsumer(); // a source of another loop: continue on its thread
                return;
            }
        }
    }

    /** Cancels this pending promise if no reaction on its stack needs the outcome; loop thread. */
    private boolean cancelUnneeded() {
        Failure cancelled = null;
        for (;;) {
            Object s = state;
            if (isSettled(s) || hasLiveConsumer(s)) {
                return false;
            }
            if (settlesItselfWhenCancelled()) {
                cancel(); // it settles once its work has ended; the walk stops here
                return false;
            }
            if (cancelled == null) {
                cancelled = new Failure(new CancellationException(
                        "promise cancelled: its last consumer was cancelled or settled"));
                cancelled.markHandled();
            }
            // The check above and this CAS see the same stack: a registration in between makes the
            // CAS fail, and the retry sees the new consumer. A settle in between wins (then false).
            if (settleFrom(s, cancelled)) {
                return true;
            }
        }
    }

    /**
     * Whether a reaction on stack {@code s} (this promise's pending state) needs the outcome. The
     * reactions newer than the first that does are dead (cancelled consumers): they are pruned
     * from the stack, so a long-lived source that many short consumers leave (timeouts, awaits
     * with a signal) neither retains them nor walks them again; the walk is amortized O(1) per
     * release. A dead reaction would do nothing when run, and a live one stays, so the source's
     * rejection is still handled. The prune CAS may lose to a registration or a settle: then
     * the stack stays as it is, to be pruned next time.
     */
    private boolean hasLiveConsumer(Object s) {
        Object p = s;
        while (p instanceof ReactionNode node) {
            if (node.reaction != null && node.reaction.needsOutcome()) {
                break;
            }
            p = node.next;
        }
        boolean live = p instanceof ReactionNode || (p != null && ((Reaction) p).needsOutcome());
        if (live && p != s) {
            // The lock flag lives on the top node: keep it on what remains.
            Object pruned = isLocked(s) && !isLocked(p) ? new ReactionNode(null, p, true) : p;
            STATE.compareAndSet(this, s, pruned);
        }
        return live;
    }

    /**
     * Removes {@code reaction} from this pending promise's stack (an async body that stops awaiting
     * it); false when it is no longer there (already dispatched). Any thread; CAS retried against
     * registrations and the dispatch task.
     */
    final boolean unregister(Reaction reaction) {
        for (;;) {
            Object s = state;
            Object next;
            if (s instanceof SettledOffLoop settling) {
                Object rest = without(settling.taken, reaction);
                if (rest == settling.taken) {
                    return false;
                }
                next = new SettledOffLoop(settling.result, rest);
            } else if (isSettled(s)) {
                return false;
            } else {
                next = without(s, reaction);
                if (next == s) {
                    return false;
                }
            }
            if (STATE.compareAndSet(this, s, next)) {
                return true;
            }
        }
    }

    /** The stack without the newest occurrence of {@code reaction}; the same object if absent. */
    private static Object without(Object stack, Reaction reaction) {
        if (stack == reaction) {
            return null;
        }
        if (!(stack instanceof ReactionNode node)) {
            return stack;
        }
        if (node.reaction == reaction) {
            Object rest = node.next;
            if (node.locked && !isLocked(rest)) {
                // The lock flag lives on the top node: keep it on what remains.
                return rest == null ? LOCKED : new ReactionNode(null, rest, true);
            }
            return rest;
        }
        Object rest = without(node.next, reaction);
        if (rest == node.next) {
            return stack;
        }
        if (rest == null && node.reaction == null) {
            return node.locked ? LOCKED : null;
        }
        return new ReactionNode(node.reaction, rest, node.locked);
    }

    @Override
    public Promise<T> timeout(Duration duration) {
        return Guard.timeout(this, duration);
    }

    @Override
    public Promise<T> withSignal(AbortSignal signal) {
        return Guard.withSignal(this, signal);
    }

    // ------------------------------------------------------------------ registering

    /** Adds a reaction; it runs as a microtask with the result once this promise settles. */
    final void register(Reaction reaction) {
        for (;;) {
            Object s = state;
            if (s instanceof SettledOffLoop settling) {
                Object taken = settling.taken;
                Object pushed = taken == null ? reaction : new ReactionNode(reaction, taken, false);
                // Loses to another late registration or to the dispatch task; retry either way.
                if (STATE.compareAndSet(this, s, new SettledOffLoop(settling.result, pushed))) {
                    return;
                }
                continue;
            }
            if (isSettled(s)) {
                Reaction r = reaction;
                if (s instanceof Failure f) {
                    if (f.markHandled() == Failure.REPORTED) {
                        loop.rejections.handledLater(this);
                    }
                    if (f.trace != null) {
                        // Traces on, and it was rejected before this reaction came: the context
                        // that rejected it is the trigger, not the registering code.
                        r = reaction.triggeredBy(loop, f.trace); // the schedule below keeps this trigger
                    }
                }
                loop.schedule(r, s);
                return;
            }
            Object next = s == null ? reaction : new ReactionNode(reaction, s, isLocked(s));
            // Loses to another registration or to the settling CAS; retry either way.
            if (STATE.compareAndSet(this, s, next)) {
                return;
            }
        }
    }

    /**
     * For an await that continues without suspending ({@link AsyncBody}, "Awaiting a settled
     * promise"): the encoded result if this promise has settled and its loop has dispatched it,
     * a rejection marked handled as {@link #register} marks it; null if it is pending or settled
     * on another thread and not yet dispatched (then the await registers and suspends). With the
     * loop's turn, traces off.
     */
    final Object settledForAwait() {
        Object s = state;
        if (!isSettled(s) || s instanceof SettledOffLoop) {
            return null;
        }
        if (s instanceof Failure f && f.markHandled() == Failure.REPORTED) {
            loop.rejections.handledLater(this);
        }
        return s;
    }

    /**
     * Adds a reaction of {@code owner}'s loop: directly when this promise is of the same loop,
     * else through a {@link CrossLoopReaction}, which hands the outcome over to the owner, keeps
     * the owner alive meanwhile and tells it if this promise's loop closes first.
     */
    final void registerFrom(EventLoopImpl owner, Reaction reaction) {
        if (owner == loop) {
            register(reaction);
        } else {
            registerExternal(new CrossLoopReaction(owner, reaction));
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
            resultOrClosed();
        }
    }

    /**
     * The settled state, settling this promise as closed first when it is pending on a closed
     * loop; then the external reactions it had run on the calling thread (no loop is left to run
     * the others).
     */
    final Object resultOrClosed() {
        Object s = state;
        if (s instanceof SettledOffLoop settling) {
            if (!loop.isClosed()) {
                return settling.result;
            }
            // The loop closed before its dispatch task ran: finish the handoff here.
            if (STATE.compareAndSet(this, s, settling.result)) {
                runExternal(settling.taken, settling.result);
            }
            return resultOrClosed();
        }
        if (isSettled(s) || !loop.isClosed()) {
            return s;
        }
        Failure closed = new Failure(new EventLoopClosedException(
                "event loop '" + loop.name() + "' closed while this promise was pending"));
        closed.markHandled(); // nobody is left to report it to
        while (!isSettled(s = state)) {
            // Loses to a registration (retry) or a settle that came first (its value stands).
            if (STATE.compareAndSet(this, s, closed)) {
                runExternal(s, closed);
                return closed;
            }
        }
        return s;
    }

    /** Runs the external reactions among {@code taken} on this thread (the loop is gone). */
    static void runExternal(Object taken, Object r) {
        Reaction[] reactions = taken instanceof Reaction single ? new Reaction[] {single} : ReactionNode.oldestFirst(taken);
        if (reactions != null) {
            for (Reaction reaction : reactions) {
                if (reaction.external()) {
                    reaction.react(r);
                }
            }
        }
    }

    /** RejectionTracker: whether this rejection is still unhandled, and mark it reported. */
    final boolean markReported() {
        return ((Failure) state).markReported();
    }

    /** The rejection reason; only for a rejected promise. */
    final Throwable reason() {
        return ((Failure) state).reason;
    }

    /** The async-stack link that rejected this promise unhandled, or null; only for a rejected promise. */
    final Trace rejectionTrace() {
        return state instanceof Failure f ? f.trace : null;
    }

    /**
     * The site of the operation whose outcome settles this promise ({@code loop.from}, an io call),
     * when async stack traces are on; null for every other promise.
     */
    Trace operationSite() {
        return null;
    }

    /**
     * The encoded result of this promise, which has settled: the object its reactions receive.
     * For a combinator reading back an input whose reaction has run; any thread.
     */
    final Object settledResult() {
        Object s = state;
        if (s instanceof SettledOffLoop settling) {
            s = settling.result; // not reached once a reaction ran (dispatch replaces SettledOffLoop first)
        }
        assert isSettled(s) : "not settled: " + this;
        return s;
    }

    /** The loop's watch set no longer needs this promise once it has settled. */
    final boolean isSettled() {
        return isSettled(state);
    }

    // ------------------------------------------------------------------ handlers

    @Override
    public <R> Promise<R> then(Function<? super T, ? extends R> onFulfilled) {
        return derive(new Derived.Then<>(loop, Objects.requireNonNull(onFulfilled, "onFulfilled")), "then", onFulfilled);
    }

    @Override
    public <R> Promise<R> then(Function<? super T, ? extends R> onFulfilled,
                               Function<? super Throwable, ? extends R> onRejected) {
        Objects.requireNonNull(onFulfilled, "onFulfilled");
        Objects.requireNonNull(onRejected, "onRejected");
        return derive(new Derived.ThenBoth<>(loop, onFulfilled, onRejected), "then", onFulfilled);
    }

    @Override
    public <R> Promise<R> thenCompose(Function<? super T, ? extends Promise<? extends R>> onFulfilled) {
        return derive(new Derived.Compose<>(loop, Objects.requireNonNull(onFulfilled, "onFulfilled")), "thenCompose", onFulfilled);
    }

    @Override
    public <R> Promise<R> thenCompose(Function<? super T, ? extends Promise<? extends R>> onFulfilled,
                                      Function<? super Throwable, ? extends Promise<? extends R>> onRejected) {
        Objects.requireNonNull(onFulfilled, "onFulfilled");
        Objects.requireNonNull(onRejected, "onRejected");
        return derive(new Derived.ComposeBoth<>(loop, onFulfilled, onRejected), "thenCompose", onFulfilled);
    }

    @Override
    public Promise<T> caughtCompose(Function<? super Throwable, ? extends Promise<? extends T>> onRejected) {
        return derive(new Derived.CaughtCompose<>(loop, null, Objects.requireNonNull(onRejected, "onRejected")), "caughtCompose", onRejected);
    }

    @Override
    public <E extends Throwable> Promise<T> caughtCompose(Class<E> type,
                                                          Function<? super E, ? extends Promise<? extends T>> onRejected) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(onRejected, "onRejected");
        return derive(new Derived.CaughtCompose<>(loop, type, onRejected), "caughtCompose", onRejected);
    }

    @Override
    public Promise<Void> thenAccept(Consumer<? super T> onFulfilled) {
        return derive(new Derived.Accept<>(loop, Objects.requireNonNull(onFulfilled, "onFulfilled")), "thenAccept", onFulfilled);
    }

    @Override
    public Promise<T> caught(Function<? super Throwable, ? extends T> onRejected) {
        return derive(new Derived.Caught<>(loop, Objects.requireNonNull(onRejected, "onRejected")), "caught", onRejected);
    }

    @Override
    public <E extends Throwable> Promise<T> caught(Class<E> type, Function<? super E, ? extends T> onRejected) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(onRejected, "onRejected");
        return derive(new Derived.CaughtType<>(loop, type, onRejected), "caught", onRejected);
    }

    @Override
    public Promise<T> lastly(Runnable onSettled) {
        return derive(new Derived.Lastly<>(loop, Objects.requireNonNull(onSettled, "onSettled")), "lastly", onSettled);
    }

    @Override
    public Promise<T> asCallback(NodeCallback<? super T> callback) {
        CallbackReaction<T> reaction = new CallbackReaction<>(loop, Objects.requireNonNull(callback, "callback"));
        if (loop.traces) {
            reaction.site = Traces.site(loop, "asCallback", callback);
        }
        register(reaction);
        return this;
    }

    /** Registers {@code derived}; {@code kind} and the user's {@code handler} name it in async stack traces. */
    private <R> Promise<R> derive(Derived<R> derived, String kind, Object handler) {
        if (loop.traces) {
            derived.trace(kind, handler); // before link: Linked wraps the traced link
        }
        if (hasProducer()) {
            derived.link(this); // cancelling the derived promise may cancel this one (overview)
        }
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
        Object s = resultOrClosed();
        if (!isSettled(s)) {
            return State.PENDING;
        }
        return s instanceof Failure ? State.REJECTED : State.FULFILLED;
    }

    @Override
    public Optional<Settled<T>> peek() {
        Object s = resultOrClosed();
        if (!isSettled(s)) {
            return Optional.empty();
        }
        return Optional.of(s instanceof Failure f ? new Settled.Rejected<>(f.reason) : new Settled.Fulfilled<>(decode(s)));
    }

    @Override
    public CompletableFuture<T> toCompletableFuture() {
        LoopFuture<T> future = new LoopFuture<>(loop);
        FutureReaction<T> reaction = new FutureReaction<>(future);
        if (loop.traces) {
            reaction.site = Traces.site(loop, "toCompletableFuture", null);
            reaction.loop = loop;
        }
        registerExternal(reaction);
        return future;
    }

    @Override
    public String toString() {
        Object s = state instanceof SettledOffLoop settling ? settling.result : state;
        String text;
        if (s instanceof Failure f) {
            text = "rejected: " + f.reason;
        } else if (isSettled(s)) {
            text = "fulfilled: " + decode(s);
        } else if (loop.isClosed()) {
            text = "pending on a closed loop";
        } else {
            text = isLocked(s) ? "pending, following another promise" : "pending";
        }
        return "Promise@" + Integer.toHexString(System.identityHashCode(this))
                + "[" + text + ", loop '" + loop.name() + "']";
    }
}
