package dev.eventual.internal;

import dev.eventual.Promise;
import dev.eventual.Settled;
import java.util.List;

/** {@code Promise.allSettled}: fulfils with every outcome in input order; never rejects. */
public final class AllSettled<T> extends Combinator<List<Settled<T>>> {
    private AllSettled(EventLoopImpl loop) {
        super(loop);
    }

    public static <T> Promise<List<Settled<T>>> of(Iterable<? extends Promise<? extends T>> promises) {
        Object[] inputs = inputs(promises, "Promise.allSettled");
        AllSettled<T> all = new AllSettled<>(loopFor(inputs, "Promise.allSettled"));
        if (inputs.length == 0) {
            all.complete(List.of());
        }
        return all.start(inputs);
    }

    @Override
    void onSettled(Object r, boolean last) {
        if (last && !isSettled()) {
            Object[] outcomes = outcomesInInputOrder(o -> o instanceof Failure f
                    ? new Settled.Rejected<>(f.reason) : new Settled.Fulfilled<>(PromiseImpl.decode(o)));
            complete(ValueList.of(outcomes));
        }
    }
}
