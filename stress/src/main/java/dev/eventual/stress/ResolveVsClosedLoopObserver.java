package dev.eventual.stress;

import dev.eventual.Deferred;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZL_Result;

/**
 * A promise pending on a closed loop reads as rejected (settled lazily, by CAS). A resolve racing
 * with the first observer must agree with it: if the observer saw it rejected, the resolve lost;
 * if the resolve won, nobody saw it rejected.
 */
@JCStressTest
@Outcome(id = "true, FULFILLED", expect = Expect.ACCEPTABLE, desc = "resolve came first")
@Outcome(id = "false, REJECTED", expect = Expect.ACCEPTABLE, desc = "the observer settled it as closed first")
@Outcome(expect = Expect.FORBIDDEN, desc = "the resolve and the observer disagree")
@State
public class ResolveVsClosedLoopObserver {
    private final Deferred<Integer> deferred = StressLoops.CLOSED.withResolvers();

    @Actor
    public void resolve(ZL_Result r) {
        r.r1 = deferred.tryResolve(1);
    }

    @Actor
    public void observe(ZL_Result r) {
        r.r2 = deferred.promise().state();
    }
}
