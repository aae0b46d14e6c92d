package dev.eventual.internal;

import dev.eventual.AwaitException;
import dev.eventual.EventLoopClosedException;
import dev.eventual.Promise;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.LockSupport;

/**
 * One async body (rule 8): user code on its own virtual thread that takes turns with its loop's
 * callbacks, so that it never runs at the same time as any of them or as another body of the loop.
 *
 * <pre>
 * Overview
 *
 * The turn. At any moment exactly one thread may run a loop's code (callbacks, bodies, anything
 * that touches the loop's confined state): the thread that has the loop's turn. It is the loop
 * thread, except while a body runs: then it is that body's virtual thread, and the thread that
 * gave it the turn (the "giver": the loop thread, or the body whose code called async) is parked
 * in {@link #enter} until the body gives the turn back, which it does when it suspends in
 * {@link #awaitValue} or when it ends. {@code loop.turn} names the body that has the turn (null: the
 * loop thread has it), so {@link EventLoopImpl#inEventLoop()} is true on that body's thread, and every
 * API call in a body behaves as it does on the loop thread (handlers queue as microtasks,
 * settling dispatches at once, queueMicrotask is allowed).
 *
 *   giver (has the turn)                       body (virtual thread)
 *   giver = me; slot = r; loop.turn = body
 *   TURN.setVolatile(BODY); unpark(body) ─────▶ TURN.getAcquire() == BODY: runs user code until
 *   park while TURN.getAcquire() == BODY        await (registers itself on the promise) or its end
 *   loop.turn = previous ◀──────────────────── TURN.setVolatile(GIVER); unpark(giver); park
 *
 * Invariants: (1) only the thread with the turn reads or writes the loop's confined state, this
 * body's plain fields and loop.turn; (2) the thread with the turn is the only one not waiting on
 * some body's TURN (the loop thread is the only other runner, and it is the giver of whatever
 * runs); (3) a SUSPENDED body is registered, as a Reaction, on exactly the promise it awaits, and
 * is in its loop's {@link AsyncBodies} list until DONE.
 *
 * Waiting: the giver first yields its core up to GIVER_YIELDS times, re-reading TURN, then parks
 * (most turns are short; see GIVER_YIELDS); the body parks at once (a virtual thread's park only
 * unmounts it). On the fast path ({@link LoopCarrier}: the loop thread carries its bodies) a giver
 * that is the loop thread does not park: it mounts the body itself until TURN reads GIVER, and the
 * body does not unpark it; the TURN protocol is the same.
 *
 * Memory ordering: TURN is the only variable the handoff shares. The thread with the turn makes
 * all its writes, then stores TURN (volatile, see Waking); the other thread reads TURN with
 * acquire before it touches anything. So each turn happens-before the next (a release/acquire
 * pair), and the loop's confined state, this object's plain fields and loop.turn need no fence of
 * their own. Thread.start also orders the first turn.
 *
 * Waking: park/unpark only wake: every wait loops on TURN, so a spurious return or a permit left
 * over from an earlier round is harmless. The waker stores TURN, then unparks; the waiter reads
 * TURN, parks, and reads TURN again after each return. A wake-up is lost if the waiter's read of
 * TURN misses the store while the unpark finds nothing to wake, and that is a store-then-load
 * race (Dekker's) on both sides: the waker's TURN store then its unpark's read of the waiter's
 * permit; the waiter's consumption of the permit then its TURN read. The JDK's virtual thread
 * unpark does nothing but a plain volatile read when the permit is already set (a permit left
 * over from an earlier round, which is common here: the giver gives the turn back before the body
 * parks). With TURN stored with release only, that read may be done before the store is visible
 * (a store followed by a load may be reordered, on x86 too): the unpark sees the old permit and
 * does nothing, the body consumes it, still reads the old TURN, and parks for good, as does its
 * giver. So both TURN stores that hand the turn over are volatile: the unpark's read of the permit
 * comes after the store in the synchronization order, the body's getAndSet of the permit (a
 * volatile write) before its TURN read, so whichever comes second sees the other: the unpark finds
 * the permit consumed and wakes the body, or the body finds TURN given. Invariant: every TURN
 * store that a waiter may be about to miss is volatile, and is followed, in the storing thread, by
 * the unpark. TurnStoreVsParkPermit (module stress) checks the pattern; the soak AwaitHandOffSoak
 * the whole hand-off.
 *
 * Ordering against JavaScript: a body runs synchronously inside async(...) until its first await
 * (the giver waits), as an async function does. await(p) registers this body on p, like
 * p.then(resume), so it resumes as a microtask in the same turn as a then handler registered at
 * that point; on a settled promise that is still one microtask later, as `await value` is.
 *
 * Awaiting a settled promise: JavaScript queues the resumption behind the microtasks already
 * queued, and so does {@link #awaitValue}, with one exception that no program can tell apart.
 * When the body's running segment is itself the microtask that resumed it ({@link #react}
 * entered it, so the drain has nothing of this microtask left to run once the body gives the
 * turn back) and the loop's microtask queue is empty, the resumption would be the very next
 * thing the loop runs: nothing can come in between (other threads post tasks, which wait for
 * the checkpoint to end; the giver does only bookkeeping after the hand-back). So await continues
 * at once with the promise's outcome, marking a rejection handled as a registration would, with
 * no hand-off and no microtask. It suspends as usual in every other case: a microtask is queued
 * (it must run first), the segment was started by a synchronous async(...) call (its caller's
 * code after the call runs first, as in JavaScript) or by a close, the promise is pending or
 * settled on another thread and not yet dispatched, or traces or a timeline recording are on
 * (they record each resumption). The invariant behind it: resumedAsMicrotask is true only while
 * the segment that {@link #react} entered runs, and an await that continues at once keeps it so,
 * since it plays the part of the next microtask, which would have set it again.
 *
 * Close ({@link AsyncBodies#closeAll}): the loop thread gives each suspended body the turn with an
 * EventLoopClosedException as the awaited outcome; await throws it, finally blocks run, and any
 * later await on the closed loop throws it at once, so the body ends and its thread exits.
 *
 * Cancel (rule 6): cancelling the body's promise ({@link Result}) calls {@link #cancel} on the
 * loop's turn. A body suspended in await is taken off the awaited promise's stack and resumed as
 * a microtask with a CancellationException, and that promise loses this consumer (so a timer
 * that only this body awaited is cleared); if its resumption was already queued, it resumes with
 * the exception instead of the outcome. A running body (it cancelled itself) throws at its next
 * await. From then on every await of the body throws the same at once, as after close, so a body
 * that catches the exception still ends. It is never interrupted: a body that blocks keeps
 * blocking, as a callback would.
 *
 * Which body a thread is: a body's thread has the body as its uncaught-exception handler
 * ({@link #ofThisThread}), a field every Thread has; so a body's thread needs no thread-local to
 * know its loop (a thread-local map costs a suspended body 136 bytes). It is set before the
 * thread starts (Thread.start orders the write before everything the thread does) and read only
 * by the thread itself, so no other ordering is needed. The handler reports what
 * escapes the body's bookkeeping (user code's failures reject the body's promise instead) as the
 * JVM's default handler would. Code in a body that replaces its thread's handler makes that
 * thread no longer a body's: EventLoop.current() and await then see no loop.
 *
 * Footprint: what a suspended body retains is its virtual thread (its stack chunk holds the
 * frames from the body's start to the park) and this object; so the path from Async.await to the
 * park is kept short (Async.await, {@link #awaitValue}, LockSupport.park: what is rare, such as
 * traces, a closed loop or a cancelled body, is in methods of its own), the fields that only the
 * start needs are one ({@link #code}), and on the fast path this object is also the thread's
 * scheduler ({@link #execute}). Figures: BENCHMARKS.md, "await: both paths".
 *
 * GC hygiene: the code (and the start's context and trace site) is dropped when the body
 * starts, the input when await takes it; a DONE body is unlinked from the list and retains only
 * its result promise.
 * </pre>
 */
public final class AsyncBody<T> implements Runnable, Reaction, Executor, Thread.UncaughtExceptionHandler {
    /** {@link #mount} once the body has ended: no runnable is, so every later one goes to the JDK's scheduler. */
    private static final Runnable ENDED = () -> { };
    private static final int GIVER = 0;
    private static final int BODY = 1;

    private static final int RUNNING = 0;
    private static final int SUSPENDED = 1;
    private static final int DONE = 2;

    private static final VarHandle TURN;
    /**
     * How many times a giver yields its core, re-reading TURN, before it parks. Most turns are
     * short (a body runs until its next await), and a parked platform loop thread costs a futex
     * wake-up when the body gives the turn back, most of an await round trip (loop thread to body
     * and back) on an idle machine. Yielding, not spinning: the body's carrier may need this very
     * core. A long turn costs the giver at most this many yields. Figures: BENCHMARKS.md,
     * "Figures behind code decisions".
     */
    private static final int GIVER_YIELDS = 200;

    static {
        try {
            TURN = MethodHandles.lookup().findVarHandle(AsyncBody.class, "turn", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final EventLoopImpl loop;
    /** The loop thread as this body's carrier (the fast path, see LoopCarrier), or null. */
    private final LoopCarrier carrier;
    /**
     * The body's virtual thread; started by the first {@link #enter}. Turn-confined; cleared when
     * the body ends, so that a promise that never settles, still holding this body as a reaction,
     * does not retain the dead thread. Read racily by {@link EventLoopImpl#inEventLoop()}: a stale value
     * never equals the reading thread unless that thread is this body's, which wrote it.
     */
    Thread thread;
    /** Fulfilled with what the body returns, rejected with what it throws. */
    final PromiseImpl<T> result;
    /**
     * Until the body starts: the user's code (a Callable or an Async.ThrowingRunnable), or a
     * {@link Start} when the async(...) call had a context or a trace site; then null, so that
     * null also means "started". Turn-confined.
     */
    private Object code;
    /** The thread parked in {@link #enter} for this body; turn-confined. */
    private Thread giver;
    /**
     * While SUSPENDED: the promise the body awaits; from {@link #enter} until await takes it: the
     * encoded outcome handed in; else null. Turn-confined.
     */
    private Object slot;
    /** RUNNING, SUSPENDED (in await, registered on a promise) or DONE; turn-confined. */
    private int state;
    /** Set once when the body's promise was cancelled; every await then throws; turn-confined. */
    private boolean cancelled;
    /**
     * Whether the running segment was entered by {@link #react}, a microtask, rather than by the
     * body's start or a close: see "Awaiting a settled promise" in the overview. Turn-confined.
     */
    private boolean resumedAsMicrotask;
    /** Neighbours in the loop's list of live bodies ({@link AsyncBodies}); turn-confined. */
    AsyncBody<?> prev;
    AsyncBody<?> next;
    /**
     * Fast path only: the runnable that mounts this body's thread, the first one the JDK hands
     * {@link #execute} (at the thread's start), then {@link #ENDED} once the body ends (the
     * runnable holds the thread, which a body still registered on a pending promise must not
     * retain); read by any thread.
     */
    private volatile Runnable mount;
    /** GIVER or BODY: who has the turn between this body and its giver. See the overview. */
    @SuppressWarnings("unused") // accessed through TURN
    private volatile int turn;

    /** What a body needs at its start besides its code, when the async(...) call had any of it. */
    private record Start(Object code, AsyncContext context, Trace site) {}

    private AsyncBody(EventLoopImpl loop, Object code, PromiseImpl<T> result, AsyncBodies bodies) {
        this.loop = loop;
        this.code = code;
        this.result = result;
        this.carrier = bodies.carrier;
        Thread t = bodies.newThread(this);
        t.setUncaughtExceptionHandler(this); // how the thread knows it is this body's: see the overview
        this.thread = t;
    }

    /**
     * {@code Async.async}: returns the promise of {@code body}'s outcome. On a thread that has
     * {@code loop}'s turn the body runs at once, on a new virtual thread, until its first await or
     * its end; from any other thread it starts so as a task of the loop. Either way it runs in the
     * calling thread's {@link AsyncContext}.
     *
     * @throws java.util.concurrent.RejectedExecutionException from another thread, if the loop is closed
     */
    public static <T> Promise<T> start(EventLoopImpl loop, Callable<? extends T> body) {
        return start(loop, body, false);
    }

    /** {@link #start} for {@code Async.async(ThrowingRunnable)}: the promise fulfils with null. */
    public static Promise<Void> start(EventLoopImpl loop, dev.eventual.Async.ThrowingRunnable body) {
        return start(loop, body, false);
    }

    /**
     * {@code Async.asyncCompose}: {@link #start}, but the promise the body returns is followed,
     * as an async function's {@code return p} adopts {@code p} (two microtask turns after the
     * body ends when {@code p} is settled); a {@code null} return rejects with a
     * NullPointerException.
     */
    public static <T> Promise<T> startCompose(EventLoopImpl loop, Callable<? extends Promise<? extends T>> body) {
        return start(loop, body, true);
    }

    private static <T> Promise<T> start(EventLoopImpl loop, Object body, boolean compose) {
        boolean onLoop = loop.inEventLoop();
        Result<T> result = new Result<>(loop, compose, !onLoop);
        AsyncContext context = AsyncContext.current();
        Trace site = loop.traces ? Traces.site(loop, compose ? "asyncCompose" : "async", body) : null;
        Object code = context == null && site == null ? body : new Start(body, context, site);
        if (onLoop) {
            begin(loop, code, result);
        } else {
            loop.execute(() -> begin(loop, code, result), site);
        }
        return result;
    }

    private static <T> void begin(EventLoopImpl loop, Object code, Result<T> result) {
        if (result.isSettled()) {
            return; // cancelled before its task started: the body never runs
        }
        AsyncBodies bodies = AsyncBodies.of(loop);
        AsyncBody<T> b = new AsyncBody<>(loop, code, result, bodies);
        result.body = b;
        bodies.link(b);
        b.enter(null);
    }

    /** The promise of a body: cancelling it cancels the body (see the overview). */
    static final class Result<T> extends PromiseImpl<T> {
        /** Set with the turn when the body begins; read with the turn. */
        AsyncBody<T> body;
        /** Whether the promise the body returns is followed ({@link #startCompose}). */
        final boolean compose;
        /** What a composing body returned, once it has: cancelling this result releases it; with the turn. */
        PromiseImpl<?> followed;
        /** Returned to a caller on another thread: see {@link PromiseImpl#heldOutside}. */
        private final boolean outside;

        Result(EventLoopImpl loop, boolean compose, boolean outside) {
            super(loop);
            this.compose = compose;
            this.outside = outside;
        }

        @Override
        boolean heldOutside() {
            return outside;
        }

        @Override
        boolean hasProducer() {
            return true;
        }

        @Override
        PromiseImpl<?> producerCancelled() {
            AsyncBody<T> b = body;
            PromiseImpl<?> awaited = b == null ? null : b.cancel();
            return awaited != null ? awaited : followed; // a body that ended may be following what it returned
        }
    }

    /**
     * With the turn: the body's promise was cancelled. Returns the promise it stopped awaiting,
     * to release under the consumer rule, or null.
     */
    private PromiseImpl<?> cancel() {
        if (state == DONE || cancelled) {
            return null;
        }
        cancelled = true;
        if (state == SUSPENDED && slot instanceof PromiseImpl<?> p && p.unregister(this)) {
            loop.schedule(this, cancelledFailure()); // resumes as a microtask, never inside cancel()
            return p;
        }
        return null; // running (it cancelled itself), or its resumption is already queued
    }

    private static Failure cancelledFailure() {
        Failure f = new Failure(new CancellationException("async body cancelled"));
        f.markHandled(); // thrown by await, not reported as a rejection
        return f;
    }

    /**
     * The body whose thread is the calling thread, else null (see "Which body a thread is" in the
     * overview). A body's code runs only with its loop's turn, so the body returned has it.
     */
    public static AsyncBody<?> ofThisThread() {
        Thread t = Thread.currentThread();
        return t.isVirtual() && t.getUncaughtExceptionHandler() instanceof AsyncBody<?> b ? b : null;
    }

    /**
     * This thread's handler (see the overview): user code's failures reject the body's promise,
     * so only what escapes the bookkeeping around it comes here; reported as the JVM's default
     * handler reports an uncaught exception.
     */
    @Override
    public void uncaughtException(Thread t, Throwable e) {
        Thread.UncaughtExceptionHandler fallback = Thread.getDefaultUncaughtExceptionHandler();
        if (fallback != null) {
            fallback.uncaughtException(t, e);
        } else {
            System.err.print("Exception in thread \"" + t.getName() + "\" ");
            e.printStackTrace(System.err);
        }
    }

    // ------------------------------------------------------------------ giver side

    /**
     * Gives this body the turn, with {@code in} as the outcome its await returns (unused at the
     * first entry), and waits until it suspends again or ends. Called with the turn: by
     * {@link #start}, by {@link #react} (a microtask), or by {@link AsyncBodies#closeAll}.
     */
    void enter(Object in) {
        enter(in, false);
    }

    /** {@link #enter}, saying whether the caller is the microtask that resumes this body ({@link #react}). */
    private void enter(Object in, boolean asMicrotask) {
        assert loop.inEventLoop() : "enter off the loop's turn";
        AsyncBody<?> previous = loop.turn;
        Trace trace = loop.trace; // the body sets its own (traces on); the giver's comes back below
        TimelineRecorder recorder = loop.recorder; // the same one at the end, even if a body stops it
        if (recorder != null) {
            recorder.bodyEnter(this);
        }
        giver = Thread.currentThread();
        slot = in;
        state = RUNNING;
        resumedAsMicrotask = asMicrotask;
        loop.turn = this;
        LongTurnEvent timing = LongTurns.bodyTurnStarts();
        TURN.setVolatile(this, BODY); // hands over every write above; volatile: see "Waking" in the overview
        Thread t = thread;
        LoopCarrier c = carrier;
        if (c != null) {
            c.handing = giver; // the start or unpark below hands the body to c.execute: see LoopCarrier
        }
        if (code == null) {
            LockSupport.unpark(t);
        } else {
            try {
                t.start();
            } catch (Throwable cannotStart) { // e.g. OutOfMemoryError: unable to create thread
                if (c != null) {
                    c.handing = null;
                }
                TURN.setRelease(this, GIVER);
                loop.turn = previous;
                state = DONE;
                AsyncBodies.of(loop).unlink(this);
                thread = null;
                code = null;
                result.tryReject(cannotStart);
                if (recorder != null) {
                    recorder.bodyLeave(this, true);
                }
                return;
            }
        }
        if (c != null) {
            c.handing = null;
            if (c.isCarrier()) { // the loop thread mounts the body itself until it gives the turn back
                c.runUntilGivenBack(this);
                loop.turn = previous;
                return;
            } // else a body started or resumed this one: it parks below, unmounting, back to the loop thread
        } else {
            for (int i = 0; i < GIVER_YIELDS && (int) TURN.getAcquire(this) == BODY; i++) {
                Thread.yield();
            }
        }
        boolean interrupted = false;
        while ((int) TURN.getAcquire(this) == BODY) { // acquire: pairs with the body's release
            LockSupport.park(this);
            interrupted |= Thread.interrupted();
        }
        loop.turn = previous;
        LongTurns.bodyTurnEnded(timing, loop);
        loop.trace = trace;
        if (recorder != null) {
            recorder.bodyLeave(this, state == DONE);
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether the body has given its giver the turn back (fast path: LoopCarrier); acquire, as enter's wait. */
    boolean givenBack() {
        return (int) TURN.getAcquire(this) == GIVER;
    }

    /** A consumer of what it awaits while suspended (rule 6); read with the turn, on the loop thread. */
    @Override
    public boolean needsOutcome() {
        return state == SUSPENDED;
    }

    /** The awaited promise settled: as a microtask of the loop, resume the body with its outcome. */
    @Override
    public void react(Object r) {
        if (state == SUSPENDED) { // else the body already ended (the loop closed and woke it)
            enter(r, true);
        }
    }

    // ------------------------------------------------------------------ body side

    @Override
    public void run() {
        Object c = code;
        code = null;
        if (c instanceof Start s) {
            c = s.code;
            if (s.context != null) {
                AsyncContext.swap(s.context);
            }
            if (s.site != null) {
                loop.trace = s.site; // with the turn: see Traces
            }
        }
        try {
            Object value;
            try {
                if (c instanceof Callable<?> callable) {
                    value = callable.call();
                } else {
                    ((dev.eventual.Async.ThrowingRunnable) c).run();
                    value = null;
                }
            } catch (Throwable t) {
                // An AwaitException carries a checked reason out of await: the body's promise
                // rejects with the reason itself, so it travels through nested bodies unchanged.
                result.tryReject(t instanceof AwaitException a && a.getCause() != null ? a.getCause() : t);
                return;
            }
            if (result instanceof Result<?> r && r.compose) {
                if (value == null) {
                    result.tryReject(new NullPointerException("asyncCompose body returned null instead of a promise"));
                    return;
                }
                if (value instanceof PromiseImpl<?> p) {
                    r.followed = p; // cancelling the result now releases what it follows
                }
                result.resolveFromHandler(value); // JavaScript's `return p`: adopted, two turns
            } else {
                result.fulfilAsIs(value); // typed as T: a returned promise is a value, as with submit
            }
        } finally {
            state = DONE;
            AsyncBodies.of(loop).unlink(this);
            thread = null;
            if (carrier != null) {
                mount = ENDED; // this thread is not handed to execute again: it only returns from here
            }
            handBack(); // the thread ends here; nothing after this touches the loop
        }
    }

    /**
     * {@code Async.await} in this body, on its thread: returns {@code promise}'s value once it
     * fulfils, or throws its rejection reason itself (an {@link EventLoopClosedException} if the
     * loop closes first). A promise of another loop (or of another implementation) is followed
     * through a {@code CompletableFuture}, as {@code loop.from(promise.toCompletableFuture())}:
     * it keeps this loop alive until it settles, and is told if its own loop closes. The common
     * case (traces off, loop open, body not cancelled) suspends here, with no frame between this
     * one and the park (see Footprint in the overview).
     */
    public Object awaitValue(Promise<?> promise) throws Throwable {
        assert ofThisThread() == this && loop.turn == this : "await off its body's turn";
        PromiseImpl<?> p = promise instanceof PromiseImpl<?> impl && impl.loop == loop
                ? impl
                : (PromiseImpl<?>) StageBridge.from(loop, promise.toCompletableFuture());
        Object in;
        if (cancelled || loop.traces || loop.isClosed()) {
            in = awaitRarely(p);
        } else if (resumedAsMicrotask && loop.microtasks.isEmpty() && loop.recorder == null
                && (in = p.settledForAwait()) != null) {
            // continues at once: see "Awaiting a settled promise" in the overview
        } else {
            state = SUSPENDED;
            slot = p;
            p.register(this);
            handBack();
            boolean interrupted = false;
            while ((int) TURN.getAcquire(this) != BODY) { // acquire: pairs with enter's release
                LockSupport.park(this);
                interrupted |= Thread.interrupted();
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            in = slot;
            slot = null;
            if (cancelled) { // cancelled while suspended, its resumption already queued: see the overview
                in = cancelledOutcome(in);
            }
        }
        if (in instanceof Failure f) {
            throw f.reason;
        }
        return PromiseImpl.decode(in);
    }

    /**
     * {@link #awaitValue} on a closed loop, in a cancelled body, or with traces on. Returns the
     * encoded outcome: the promise's, or an EventLoopClosedException or CancellationException
     * failure.
     */
    private Object awaitRarely(PromiseImpl<?> promise) {
        if (loop.isClosed()) {
            return closedFailure("await called in an async body after event loop '" + loop.name() + "' closed");
        }
        if (cancelled) {
            promise.releaseConsumer(); // this body would have been its consumer: a delay only it awaits stops
            return cancelledFailure();
        }
        Trace awaitSite = loop.traces ? Traces.site(loop, "await", null) : null;
        state = SUSPENDED;
        slot = promise;
        promise.register(this);
        handBack();
        waitForTurn();
        Object in = slot;
        slot = null;
        if (awaitSite != null) {
            // The trace field is the giver's: what settled the promise (the trigger), or null.
            loop.trace = Trace.run(awaitSite, loop.trace);
            if (in instanceof Failure f) {
                Traces.attach(f.reason, loop.trace);
            }
        }
        return cancelled ? cancelledOutcome(in) : in;
    }

    /** The outcome of an await resumed after the body was cancelled: a close still wins. */
    private static Object cancelledOutcome(Object in) {
        return in instanceof Failure f && f.reason instanceof EventLoopClosedException ? in : cancelledFailure();
    }

    /** The outcome with which {@link AsyncBodies#closeAll} wakes a suspended body. */
    Failure closedFailure(String message) {
        Failure f = new Failure(new EventLoopClosedException(message));
        f.markHandled(); // it is thrown by await, not reported as a rejection
        return f;
    }

    boolean isSuspended() {
        return state == SUSPENDED;
    }

    /** Hands the turn back to the giver (it does not wait: see awaitValue and waitForTurn). */
    private void handBack() {
        Thread g = giver;
        giver = null;
        LoopCarrier c = carrier;
        TURN.setVolatile(this, GIVER); // hands over every write of this turn; volatile: see "Waking" in the overview
        if (c == null) {
            LockSupport.unpark(g);
        } else if (g != loop.thread) { // the loop thread is this body's carrier: it reads TURN once this unmounts
            c.handing = Thread.currentThread(); // see LoopCarrier: a body's thread hands its giver over
            LockSupport.unpark(g);
            c.handing = null;
        }
    }

    /** On the body's thread, after {@link #handBack}: parks until the turn is given again. */
    private void waitForTurn() {
        boolean interrupted = false;
        while ((int) TURN.getAcquire(this) != BODY) { // acquire: pairs with enter's release
            LockSupport.park(this);
            interrupted |= Thread.interrupted();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Fast path only: this body's thread's scheduler (see Inheritance in LoopCarrier). The first
     * runnable it is handed is the body's own (its start, in {@link #enter}), which goes to the
     * carrier, now and every time; any other is of a thread the body started, which inherited
     * this scheduler, and goes to the JDK's.
     */
    @Override
    public void execute(Runnable r) {
        Runnable m = mount;
        if (m == null) {
            mount = m = r;
        }
        if (r == m) {
            carrier.execute(r);
        } else {
            LoopCarrier.jdkScheduler().execute(r);
        }
    }

    @Override
    public String toString() {
        String s = switch (state) {
            case RUNNING -> "running";
            case SUSPENDED -> "suspended in await";
            default -> "done";
        };
        return "AsyncBody[" + s + ", loop '" + loop.name() + "', " + thread + "]";
    }
}
