package dev.eventual.internal;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LLL_Result;

/**
 * The loop's MPSC task queue: a producer offers while the consumer polls (spinning over the window
 * between a producer's claim and its write). An item queued before the race ("x") comes first;
 * every item is taken exactly once.
 */
@JCStressTest
@Outcome(id = "x, a, null", expect = Expect.ACCEPTABLE, desc = "poll took x; a was taken after")
@Outcome(expect = Expect.FORBIDDEN, desc = "an item was lost, reordered or taken twice")
@State
public class TaskQueueOfferVsPoll {
    private final TaskQueue queue = new TaskQueue();

    {
        queue.offer("x");
    }

    @Actor
    public void producer() {
        queue.offer("a");
    }

    @Actor
    public void consumer(LLL_Result r) {
        r.r1 = queue.pollSpinning();
    }

    @Arbiter
    public void arbiter(LLL_Result r) {
        r.r2 = queue.pollSpinning();
        r.r3 = queue.pollSpinning();
    }
}
