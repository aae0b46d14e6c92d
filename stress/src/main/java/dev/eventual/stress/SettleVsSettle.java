package dev.eventual.stress;

import dev.eventual.Deferred;
import dev.eventual.Promise;
import dev.eventual.Settled;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZI_Result;

/**
 * Rule 3: two threads resolve the same promise with different values; exactly one wins, its
 * {@code tryResolve} alone returns true, and the promise holds the winner's value.
 */
@JCStressTest
@Outcome(id = "true, false, 1", expect = Expect.ACCEPTABLE, desc = "actor 1 won")
@Outcome(id = "false, true, 2", expect = Expect.ACCEPTABLE, desc = "actor 2 won")
@Outcome(expect = Expect.FORBIDDEN, desc = "both or neither won, or the value is not the winner's")
@State
public class SettleVsSettle {
    private final Deferred<Integer> deferred = StressLoops.RUNNING.withResolvers();

    @Actor
    public void actor1(ZZI_Result r) {
        r.r1 = deferred.tryResolve(1);
    }

    @Actor
    public void actor2(ZZI_Result r) {
        r.r2 = deferred.tryResolve(2);
    }

    @Arbiter
    public void arbiter(ZZI_Result r) {
        Promise<Integer> p = deferred.promise();
        r.r3 = p.peek().map(s -> s instanceof Settled.Fulfilled<Integer> f ? f.value() : -1).orElse(-2);
    }
}
