package dev.eventual.stress;

import dev.eventual.Deferred;
import dev.eventual.Promise;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.L_Result;

/**
 * {@code Promise.all} over three inputs, the same promise twice among them, settled by two other
 * threads at once. The combinator is one reaction registered on every input, counting outcomes
 * on its loop and reading the values back from the inputs when the last has reacted: whatever
 * order the settles take, the result holds the values in input order, once.
 */
@JCStressTest
@Outcome(id = "[a, b, a]", expect = Expect.ACCEPTABLE, desc = "values in input order")
@Outcome(expect = Expect.FORBIDDEN, desc = "a value lost, misplaced, or the result never settled")
@State
public class AllVsTwoSettlers {
    private final Deferred<String> a = StressLoops.RUNNING.withResolvers();
    private final Deferred<String> b = StressLoops.RUNNING.withResolvers();
    private final Promise<List<String>> all = Promise.all(List.of(a.promise(), b.promise(), a.promise()));

    @Actor
    public void settleA() {
        a.resolve("a");
    }

    @Actor
    public void settleB() {
        b.resolve("b");
    }

    @Arbiter
    public void arbiter(L_Result r) {
        try {
            r.r1 = all.toCompletableFuture().get(10, TimeUnit.SECONDS).toString();
        } catch (Exception e) {
            r.r1 = e.toString();
        }
    }
}
