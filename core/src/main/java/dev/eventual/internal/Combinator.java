package dev.eventual.internal;

import dev.eventual.Promise;
import java.util.Arrays;
import java.util.Collection;
import java.util.Objects;
import java.util.function.UnaryOperator;
import java.util.concurrent.CancellationException;

/**
 * The shared skeleton of {@code all}, {@code allSettled}, {@code any} and {@code race}: the
 * combinator is its own result promise and its own reaction, registered on every input (which
 * marks each input handled, as JavaScript's {@code then} does); as with {@link Derived}, one
 * object is both.
 *
 * <pre>
 * Overview
 *
 * No object per input beyond its slot in the inputs array (Vert.x's CompositeFutureImpl counts
 * the same way). The reaction carries no index: it is the same object on every input, and
 * {@link #onSettled} gets only the outcome, on this promise's loop thread, once per registration
 * (an input passed twice counts twice), in the order the inputs settle. What needs no index uses
 * that outcome at once (the first rejection of all, the first fulfilment of any, race). What
 * needs input order waits until {@code remaining} reaches zero: then every input has settled (a
 * reaction runs only after its source settled, and settled is final), so
 * {@link #outcomesInInputOrder} reads each input's result back from the input itself (the very
 * object its reaction received) into the inputs array, which becomes the result's list (or the
 * reasons); a settled result retains no input. An input of another loop is registered through a
 * {@link CrossLoopReaction}, which hands the outcome over as a task of the result's loop and
 * keeps that loop alive meanwhile (one more object per such input). A
 * foreign Promise is followed by a promise of ours ({@link PromiseImpl#of}), whose state is what
 * is read back.
 *
 * Threads. {@code remaining} is touched only by onSettled, hence only on this promise's loop
 * thread. {@link #start} may run on another thread (no loop current: the result takes the first
 * input's loop); it writes {@code inputs} and {@code remaining} before the registration CAS that
 * publishes this reaction, and the loop reads them after taking it, so the fields need no volatile.
 * {@code inputs} is then written by the result's loop thread only.
 *
 * Cancellation (rule 6). This reaction is a consumer of each input until the result settles ({@link
 * #needsOutcome}; the consumer count and the prune in {@link PromiseImpl} go by that answer, not by
 * identity, so one object on many stacks is fine; the one removal by identity, {@link
 * PromiseImpl#unregister}, is only used by an async body on itself). Cancelling the result releases
 * every input under the consumer rule: an input that no other reaction needs is cancelled, a shared
 * one keeps running. The cancelling variants ({@code Promise.raceCancelling} and the others) also
 * release the inputs still pending as soon as the result settles by itself. Plain {@code
 * race}/{@code any}/{@code all} do not: JavaScript leaves losers running, and an input nobody has
 * registered on yet may still get a handler later, which the consumer rule cannot see. {@code
 * inputs} is cleared once released, so a settled result retains none of them.
 * </pre>
 */
abstract class Combinator<R> extends PromiseImpl<R> implements Reaction {
    /** Whether the pending inputs are released as soon as the result settles. */
    private boolean cancelRest;
    /**
     * The inputs ({@code PromiseImpl}s, in input order, repeats kept) until released or turned
     * into outcomes, then null. Written by {@link #start}, then by the result loop thread only.
     */
    private Object[] inputs;
    /** Reactions still to run (one per registration); result loop thread only after start. */
    private int remaining;

    Combinator(EventLoopImpl loop) {
        super(loop);
    }

    /** Makes this a cancelling variant; before {@link #start}. */
    final Combinator<R> cancellingRest() {
        cancelRest = true;
        return this;
    }

    /**
     * Copies and checks the inputs, in iteration order, into an array of exactly their number (a
     * collection's size is taken as the first guess, so the common case copies once).
     */
    static Object[] inputs(Iterable<? extends Promise<?>> promises, String what) {
        Objects.requireNonNull(promises, "promises");
        Object[] array = new Object[promises instanceof Collection<?> c ? c.size() : 8];
        int n = 0;
        for (Promise<?> p : promises) {
            if (p == null) {
                throw new NullPointerException(what + " input " + n); // built only here: no string per input
            }
            if (n == array.length) {
                array = Arrays.copyOf(array, Math.max(8, 2 * n)); // the collection grew, or not a collection
            }
            array[n++] = PromiseImpl.of(p, what);
        }
        return n == array.length ? array : Arrays.copyOf(array, n);
    }

    /** The current thread's loop, else the first input's. */
    static EventLoopImpl loopFor(Object[] inputs, String what) {
        EventLoopImpl loop = EventLoopImpl.current();
        if (loop != null) {
            return loop;
        }
        if (inputs.length == 0) {
            return EventLoopImpl.require(what + " of no promises");
        }
        return ((PromiseImpl<?>) inputs[0]).loop;
    }

    final Promise<R> start(Object[] inputs) {
        this.inputs = inputs;
        this.remaining = inputs.length;
        for (Object input : inputs) {
            ((PromiseImpl<?>) input).registerFrom(loop, this);
        }
        return this;
    }

    /**
     * One input's reaction ran with its outcome {@code r}; {@code last} when it was the last one
     * (every input has settled). Result loop thread only.
     */
    abstract void onSettled(Object r, boolean last);

    /**
     * Once every input has settled and the result is still pending: the array of the inputs, each
     * replaced by {@code each} applied to its encoded result, in input order. This combinator no longer holds it, so the
     * caller may reuse it for the result. Result loop thread.
     */
    final Object[] outcomesInInputOrder(UnaryOperator<Object> each) {
        Object[] array = inputs;
        inputs = null;
        for (int i = 0; i < array.length; i++) {
            array[i] = each.apply(((PromiseImpl<?>) array[i]).settledResult());
        }
        return array;
    }

    /**
     * The result's loop thread, as a microtask: an input of the same loop reacts here directly,
     * one of another loop through the {@link CrossLoopReaction} it was registered with.
     */
    @Override
    public final void react(Object r) {
        assert loop.inEventLoop() : "combinator reaction off its loop's thread";
        settled(r);
    }

    @Override
    public final boolean needsOutcome() {
        return !isSettled();
    }

    private void settled(Object r) {
        onSettled(r, --remaining == 0);
        afterSettled();
    }

    /** Result loop thread: after an input's outcome was handled. */
    private void afterSettled() {
        if (isSettled() && inputs != null) {
            if (cancelRest) {
                releaseInputs();
            } else if (!cancelled()) {
                inputs = null; // a settled result retains none of its inputs
            } // else keep them: a cancel from another thread may not have released them yet
        }
    }

    /** Whether this settled promise was rejected by a cancellation (read from the state: no peek objects). */
    private boolean cancelled() {
        return settledResult() instanceof Failure f && f.reason instanceof CancellationException;
    }

    /** Result loop thread: every input still pending loses this consumer (consumer rule). */
    private void releaseInputs() {
        Object[] array = inputs;
        inputs = null;
        if (array != null) {
            for (Object input : array) {
                PromiseImpl<?> p = (PromiseImpl<?>) input;
                if (!p.isSettled()) {
                    p.releaseConsumer();
                }
            }
        }
    }

    // Cancelling the result releases the inputs.

    @Override
    final boolean hasProducer() {
        return true;
    }

    @Override
    final PromiseImpl<?> producerCancelled() {
        releaseInputs();
        return null;
    }
}
