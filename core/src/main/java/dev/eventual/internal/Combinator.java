package dev.eventual.internal;

import dev.eventual.Promise;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The shared skeleton of {@code all}, {@code allSettled}, {@code any} and {@code race}: one
 * result promise, one {@link Slot} reaction registered on each input (which marks the input
 * handled, as JavaScript's {@code then} does), and {@link #onSettled} called on the result's
 * loop thread with each input's outcome, in the order the inputs settle.
 *
 * <p>Subclass state is touched only by {@code onSettled}, hence only on the result's loop
 * thread: an input of another loop has its outcome handed over through a task.
 */
abstract class Combinator<R> {
    final PromiseImpl<R> result;

    Combinator(Loop loop) {
        this.result = new PromiseImpl<>(loop);
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
        for (int i = 0; i < inputs.size(); i++) {
            inputs.get(i).register(new Slot(this, i));
        }
        return result;
    }

    /** One input settled; result loop thread only. */
    abstract void onSettled(int index, Object r);

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
                combinator.onSettled(index, r);
            } else {
                loop.runOnLoop(() -> combinator.onSettled(index, r));
            }
        }
    }
}
