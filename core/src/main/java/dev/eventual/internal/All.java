package dev.eventual.internal;

import dev.eventual.Promise;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/** {@code Promise.all}: fulfils with every value in input order, or rejects with the first reason. */
public final class All<T> extends Combinator<List<T>> {
    private final Object[] values;
    private int remaining;

    private All(Loop loop, int n) {
        super(loop);
        this.values = new Object[n];
        this.remaining = n;
    }

    public static <T> Promise<List<T>> of(Iterable<? extends Promise<? extends T>> promises) {
        return of(promises, false);
    }

    /** With {@code cancelRest}: once one input rejects, the pending ones are released (rule 6). */
    public static <T> Promise<List<T>> of(Iterable<? extends Promise<? extends T>> promises, boolean cancelRest) {
        String what = cancelRest ? "Promise.allCancelling" : "Promise.all";
        List<PromiseImpl<?>> inputs = inputs(promises, what);
        All<T> all = new All<>(loopFor(inputs, what), inputs.size());
        if (cancelRest) {
            all.cancellingRest();
        }
        if (inputs.isEmpty()) {
            all.result.complete(List.of()); // JavaScript resolves an empty all synchronously
        }
        return all.start(inputs);
    }

    @Override
    @SuppressWarnings("unchecked")
    void onSettled(int index, Object r) {
        if (r instanceof Failure) {
            result.complete(PromiseImpl.ownResult(r));
            return;
        }
        values[index] = PromiseImpl.decode(r);
        if (--remaining == 0) {
            result.complete(Collections.unmodifiableList((List<T>) Arrays.asList(values)));
        }
    }
}
