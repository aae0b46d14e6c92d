package dev.eventual.stress;

import dev.eventual.Deferred;
import dev.eventual.Promise;
import dev.eventual.Settled;
import java.util.concurrent.CancellationException;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZL_Result;

/**
 * Rules 3 and 6: {@code cancel()} racing {@code resolve} from two threads. A cancel is a settle:
 * exactly one of them wins, the loser says so, and the state is the winner's (a cancel that won
 * leaves a CancellationException).
 */
@JCStressTest
@Outcome(id = "true, false, FULFILLED", expect = Expect.ACCEPTABLE, desc = "resolve won; the cancel was ignored")
@Outcome(id = "false, true, CANCELLED", expect = Expect.ACCEPTABLE, desc = "cancel won; resolve was ignored")
@Outcome(expect = Expect.FORBIDDEN, desc = "both or neither won, or the state disagrees with the winner")
@State
public class CancelVsResolve {
    private final Deferred<String> deferred = StressLoops.RUNNING.withResolvers();

    @Actor
    public void resolve(ZZL_Result r) {
        r.r1 = deferred.tryResolve("value");
    }

    @Actor
    public void cancel(ZZL_Result r) {
        r.r2 = deferred.promise().cancel();
    }

    @Arbiter
    public void arbiter(ZZL_Result r) {
        Promise<String> p = deferred.promise();
        r.r3 = p.peek().map(s -> switch (s) {
            case Settled.Fulfilled<String> f -> "value".equals(f.value()) ? "FULFILLED" : "WRONG VALUE";
            case Settled.Rejected<String> x -> x.reason() instanceof CancellationException ? "CANCELLED" : "WRONG REASON";
        }).orElse("PENDING");
    }
}
