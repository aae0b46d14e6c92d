package dev.eventual.stress;

import dev.eventual.Deferred;
import dev.eventual.Promise;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZL_Result;

/** Rule 3: resolve racing reject; exactly one wins and the state is the winner's. */
@JCStressTest
@Outcome(id = "true, false, FULFILLED", expect = Expect.ACCEPTABLE, desc = "resolve won")
@Outcome(id = "false, true, REJECTED", expect = Expect.ACCEPTABLE, desc = "reject won")
@Outcome(expect = Expect.FORBIDDEN, desc = "both or neither won, or the state disagrees")
@State
public class ResolveVsReject {
    private static final RuntimeException REASON = new RuntimeException("stress");
    private final Deferred<String> deferred = StressLoops.RUNNING.withResolvers();

    static {
        REASON.setStackTrace(new StackTraceElement[0]);
    }

    @Actor
    public void resolve(ZZL_Result r) {
        r.r1 = deferred.tryResolve("value");
    }

    @Actor
    public void reject(ZZL_Result r) {
        r.r2 = deferred.tryReject(REASON);
    }

    @Arbiter
    public void arbiter(ZZL_Result r) {
        Promise.State state = deferred.promise().state();
        r.r3 = state;
        if (state == Promise.State.REJECTED) {
            deferred.promise().caught(e -> null); // handled: no unhandled-rejection report per run
        }
    }
}
