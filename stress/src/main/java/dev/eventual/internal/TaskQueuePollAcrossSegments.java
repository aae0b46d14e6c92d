package dev.eventual.internal;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LLL_Result;

/**
 * The consumer crosses into a segment that a producer is appending: segments of one slot, x
 * queued before the race, then a producer offers a (its claim needs a new segment) while the
 * consumer polls twice, spinning over a claimed but unwritten slot or unlinked segment. The
 * consumer gets x, then a or nothing (a not claimed yet); a is never lost or taken twice.
 */
@JCStressTest
@Outcome(id = "x, a, null", expect = Expect.ACCEPTABLE, desc = "the consumer took a")
@Outcome(id = "x, null, a", expect = Expect.ACCEPTABLE, desc = "a was claimed after the consumer's second poll")
@Outcome(expect = Expect.FORBIDDEN, desc = "an item lost, duplicated or out of order")
@State
public class TaskQueuePollAcrossSegments {
    private final TaskQueue queue = new TaskQueue(1);

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
        r.r2 = queue.pollSpinning();
    }

    @Arbiter
    public void arbiter(LLL_Result r) {
        r.r3 = queue.pollSpinning();
    }
}
