package dev.eventual.internal;

import dev.eventual.AggregateException;
import dev.eventual.Promise;
import java.util.Arrays;
import java.util.List;

/**
 * {@code Promise.any}: fulfils with the first value; if every input rejects, rejects with an
 * {@link AggregateException} of all reasons in input order.
 */
public final class Any<T> extends Combinator<T> {
    private final Throwable[] reasons;
    private int remaining;

    private Any(Loop loop, int n) {
        super(loop);
        this.reasons = new Throwable[n];
        this.remaining = n;
    }

    public static <T> Promise<T> of(Iterable<? extends Promise<? extends T>> promises) {
        return of(promises, false);
    }

    /** With {@code cancelRest}: once one input fulfils, the pending ones are released (rule 6). */
    public static <T> Promise<T> of(Iterable<? extends Promise<? extends T>> promises, boolean cancelRest) {
        String what = cancelRest ? "Promise.anyCancelling" : "Promise.any";
        List<PromiseImpl<?>> inputs = inputs(promises, what);
        Any<T> any = new Any<>(loopFor(inputs, what), inputs.size());
        if (cancelRest) {
            any.cancellingRest();
        }
        if (inputs.isEmpty()) {
            any.result.complete(new Failure(new AggregateException("Promise.any of no promises", List.of())));
        }
        return any.start(inputs);
    }

    @Override
    void onSettled(int index, Object r) {
        if (!(r instanceof Failure f)) {
            result.complete(r);
            return;
        }
        reasons[index] = f.reason;
        if (--remaining == 0) {
            result.complete(new Failure(new AggregateException(
                    "all " + reasons.length + " promises passed to Promise.any were rejected", Arrays.asList(reasons))));
        }
    }
}
