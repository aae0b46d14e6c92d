package dev.eventual.internal;

import dev.eventual.Promise;
import dev.eventual.Settled;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;

/**
 * The shared skeleton of {@code all}, {@code allSettled}, {@code any} and {@code race}: one
 * result promise, one {@link Slot} reaction registered on each input (which marks the input
 * handled, as JavaScript's {@code then} does), and {@link #onSettled} called on the result's
 * loop thread with each input's outcome, in the order the inputs settle.
 *
 * <p>Subclass state is touched only by {@code onSettled}, hence only on the result's loop
 * thread: an input of another loop has its outcome handed over through a task.
 *
 * <p>Cancellation (rule 6). Each slot is a consumer of its input until the result settles
 * ({@link Slot#needsOutcome}). Cancelling the result releases every input under the consumer
 * rule: an input that no other reaction needs is cancelled, a shared one keeps running. The
 * cancelling variants ({@code Promise.raceCancelling} and the others) also release the inputs
 * still pending as soon as the result settles by itself. Plain {@code race}/{@code any}/{@code all}
 * do not: JavaScript leaves losers running, and an input nobody has registered on yet may still
 * get a handler later, which the consumer rule cannot see. {@code inputs} is loop-confined to
 * the result's loop and cleared once released, so a settled result retains none of them.
 */
abstract class Combinator<R> {
    final Result<R> result;
    /** Whether the pending inputs are released as soon as the result settles. */
    private boolean cancelRest;
    /** The inputs, until released; result loop thread only (set before the slots are registered). */
    private List<PromiseImpl<?>> inputs;

    Combinator(Loop loop) {
        this.result = new Result<>(loop, this);
    }

    /** Makes this a cancelling variant; before {@link #start}. */
    final Combinator<R> cancellingRest() {
        cancelRest = true;
        return this;
    }

    /** Copies and checks the inputs. */
    static List<PromiseImpl<?>> inputs(Iterable<? extends Promise<?>> promises, String what) {
        Objects.requireNonNull(promises, "promises");
        List<PromiseImpl<?>> list = new ArrayList<>();
        int i = 0;
        for (Promise<?> p : promises) {
            list.add(PromiseImpl.of(p, what + " input " + i));
            i++;
        }
        return list;
    }

    /** The current thread's loop, else the first input's. */
    static Loop loopFor(List<PromiseImpl<?>> inputs, String what) {
        Loop loop = Loop.current();
        if (loop != null) {
            return loop;
        }
        if (inputs.isEmpty()) {
            return Loop.require(what + " of no promises");
        }
        return inputs.get(0).loop;
    }

    final Promise<R> start(List<PromiseImpl<?>> inputs) {
        this.inputs = inputs;
        for (int i = 0; i < inputs.size(); i++) {
            inputs.get(i).register(new Slot(this, i));
        }
        return result;
    }

    /** One input settled; result loop thread only. */
    abstract void onSettled(int index, Object r);

    /** Result loop thread: after an input's outcome was handled. */
    private void afterSettled() {
        if (result.isSettled() && inputs != null) {
            if (cancelRest) {
                releaseInputs();
            } else if (!cancelled(result)) {
                inputs = null; // a settled result retains none of its inputs
            } // else keep them: a cancel from another thread may not have released them yet
        }
    }

    private static boolean cancelled(PromiseImpl<?> p) {
        return p.peek().map(s -> s instanceof Settled.Rejected<?> r && r.reason() instanceof CancellationException)
                .orElse(false);
    }

    /** Result loop thread: every input still pending loses this consumer (consumer rule). */
    private void releaseInputs() {
        List<PromiseImpl<?>> list = inputs;
        inputs = null;
        if (list != null) {
            for (PromiseImpl<?> input : list) {
                if (!input.isSettled()) {
                    input.releaseConsumer();
                }
            }
        }
    }

    /** The combinator's result: cancelling it releases the inputs. */
    static final class Result<R> extends PromiseImpl<R> {
        private final Combinator<R> combinator;

        Result(Loop loop, Combinator<R> combinator) {
            super(loop);
            this.combinator = combinator;
        }

        @Override
        boolean hasProducer() {
            return true;
        }

        @Override
        PromiseImpl<?> producerCancelled() {
            combinator.releaseInputs();
            return null;
        }
    }

    private static final class Slot implements Reaction {
        private final Combinator<?> combinator;
        private final int index;

        Slot(Combinator<?> combinator, int index) {
            this.combinator = combinator;
            this.index = index;
        }

        @Override
        public void react(Object r) {
            Loop loop = combinator.result.loop;
            if (loop.inEventLoop()) {
                settled(r);
            } else {
                loop.runOnLoop(() -> settled(r));
            }
        }

        private void settled(Object r) {
            combinator.onSettled(index, r);
            combinator.afterSettled();
        }

        @Override
        public boolean needsOutcome() {
            return !combinator.result.isSettled();
        }
    }
}
