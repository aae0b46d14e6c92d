package dev.eventual.internal;

import dev.eventual.Promise;
import dev.eventual.Settled;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/** {@code Promise.allSettled}: fulfils with every outcome in input order; never rejects. */
public final class AllSettled<T> extends Combinator<List<Settled<T>>> {
    private final Settled<T>[] outcomes;
    private int remaining;

    @SuppressWarnings({"unchecked", "rawtypes"})
    private AllSettled(Loop loop, int n) {
        super(loop);
        this.outcomes = new Settled[n];
        this.remaining = n;
    }

    public static <T> Promise<List<Settled<T>>> of(Iterable<? extends Promise<? extends T>> promises) {
        List<PromiseImpl<?>> inputs = inputs(promises, "Promise.allSettled");
        AllSettled<T> all = new AllSettled<>(loopFor(inputs, "Promise.allSettled"), inputs.size());
        if (inputs.isEmpty()) {
            all.result.complete(List.of());
        }
        return all.start(inputs);
    }

    @Override
    void onSettled(int index, Object r) {
        outcomes[index] = r instanceof Failure f ? new Settled.Rejected<>(f.reason) : new Settled.Fulfilled<>(PromiseImpl.decode(r));
        if (--remaining == 0) {
            result.complete(Collections.unmodifiableList(Arrays.asList(outcomes)));
        }
    }
}
