package dev.eventual.internal;

import dev.eventual.Promise;
import java.util.List;

/** {@code Promise.all}: fulfils with every value in input order, or rejects with the first reason. */
public final class All<T> extends Combinator<List<T>> {
    private All(EventLoopImpl loop) {
        super(loop);
    }

    public static <T> Promise<List<T>> of(Iterable<? extends Promise<? extends T>> promises) {
        return of(promises, false);
    }

    /** With {@code cancelRest}: once one input rejects, the pending ones are released (rule 6). */
    public static <T> Promise<List<T>> of(Iterable<? extends Promise<? extends T>> promises, boolean cancelRest) {
        String what = cancelRest ? "Promise.allCancelling" : "Promise.all";
        Object[] inputs = inputs(promises, what);
        All<T> all = new All<>(loopFor(inputs, what));
        if (cancelRest) {
            all.cancellingRest();
        }
        if (inputs.length == 0) {
            all.complete(List.of()); // JavaScript resolves an empty all synchronously
        }
        return all.start(inputs);
    }

    @Override
    void onSettled(Object r, boolean last) {
        if (r instanceof Failure) {
            complete(PromiseImpl.ownResult(r));
        } else if (last && !isSettled()) {
            // No input rejected (the first would have settled the result): all are values.
            Object[] values = outcomesInInputOrder(PromiseImpl::decode);
            complete(ValueList.of(values));
        }
    }
}
