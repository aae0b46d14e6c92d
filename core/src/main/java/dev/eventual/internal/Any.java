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
    private Any(EventLoopImpl loop) {
        super(loop);
    }

    public static <T> Promise<T> of(Iterable<? extends Promise<? extends T>> promises) {
        return of(promises, false);
    }

    /** With {@code cancelRest}: once one input fulfils, the pending ones are released (rule 6). */
    public static <T> Promise<T> of(Iterable<? extends Promise<? extends T>> promises, boolean cancelRest) {
        String what = cancelRest ? "Promise.anyCancelling" : "Promise.any";
        Object[] inputs = inputs(promises, what);
        Any<T> any = new Any<>(loopFor(inputs, what));
        if (cancelRest) {
            any.cancellingRest();
        }
        if (inputs.length == 0) {
            any.complete(new Failure(new AggregateException("Promise.any of no promises", List.of())));
        }
        return any.start(inputs);
    }

    @Override
    @SuppressWarnings("unchecked")
    void onSettled(Object r, boolean last) {
        if (!(r instanceof Failure)) {
            complete(r);
        } else if (last && !isSettled()) {
            // No input fulfilled (the first would have settled the result): all are rejections.
            Object[] reasons = outcomesInInputOrder(o -> ((Failure) o).reason);
            complete(new Failure(new AggregateException(
                    "all " + reasons.length + " promises passed to Promise.any were rejected",
                    (List<Throwable>) (List<?>) Arrays.asList(reasons))));
        }
    }
}
