package dev.eventual.internal;

import dev.eventual.Promise;

/** {@code Promise.race}: settles like the first input to settle; pending forever with no input. */
public final class Race<T> extends Combinator<T> {
    private Race(EventLoopImpl loop) {
        super(loop);
    }

    public static <T> Promise<T> of(Iterable<? extends Promise<? extends T>> promises) {
        return of(promises, false);
    }

    /** With {@code cancelRest}: once one input settles, the others are released (rule 6). */
    public static <T> Promise<T> of(Iterable<? extends Promise<? extends T>> promises, boolean cancelRest) {
        String what = cancelRest ? "Promise.raceCancelling" : "Promise.race";
        Object[] inputs = inputs(promises, what);
        Race<T> race = new Race<>(loopFor(inputs, what));
        if (cancelRest) {
            race.cancellingRest();
        }
        return race.start(inputs);
    }

    @Override
    void onSettled(Object r, boolean last) {
        complete(PromiseImpl.ownResult(r)); // later inputs lose the CAS, as later resolve calls do in JavaScript
    }
}
