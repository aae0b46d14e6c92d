package dev.eventual.stress;

import dev.eventual.Deferred;
import dev.eventual.Promise;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZ_Result;

/**
 * Adoption racing a plain resolve (rule 4 with rule 3; see the dev.eventual package overview):
 * locking the promise to follow another one and resolving it with a value are both
 * "resolutions"; exactly one succeeds.
 */
@JCStressTest
@Outcome(id = "true, false", expect = Expect.ACCEPTABLE, desc = "follow won: the promise is locked")
@Outcome(id = "false, true", expect = Expect.ACCEPTABLE, desc = "resolve won")
@Outcome(expect = Expect.FORBIDDEN, desc = "both or neither won")
@State
public class FollowVsResolve {
    private final Deferred<Integer> deferred = StressLoops.RUNNING.withResolvers();
    private final Promise<Integer> other = StressLoops.RUNNING.resolved(7);

    @Actor
    public void follow(ZZ_Result r) {
        r.r1 = deferred.tryFollow(other);
    }

    @Actor
    public void resolve(ZZ_Result r) {
        r.r2 = deferred.tryResolve(5);
    }
}
