package dev.eventual.internal;

import dev.eventual.Promise;
import java.util.List;

/** {@code Promise.race}: settles like the first input to settle; pending forever with no input. */
public final class Race<T> extends Combinator<T> {
    private Race(Loop loop) {
        super(loop);
    }

    public static <T> Promise<T> of(Iterable<? extends Promise<? extends T>> promises) {
        List<PromiseImpl<?>> inputs = inputs(promises, "Promise.race");
        return new Race<T>(loopFor(inputs, "Promise.race")).start(inputs);
    }

    @Override
    void onSettled(int index, Object r) {
        result.complete(PromiseImpl.ownResult(r)); // later inputs lose the CAS, as later resolve calls do in JavaScript
    }
}
