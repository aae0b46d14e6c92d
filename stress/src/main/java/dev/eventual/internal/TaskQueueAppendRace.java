package dev.eventual.internal;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LLLLL_Result;

/**
 * Two producers race to append the same new segment of the task queue: segments of two slots,
 * the first filled with x and y, then a and b offered concurrently (both claim slots of the
 * second segment, so both may find it missing and race the CAS that appends it). The consumer
 * then finds every item once, the first segment's first, then a and b in their claim order.
 */
@JCStressTest
@Outcome(id = "x, y, a, b, null", expect = Expect.ACCEPTABLE, desc = "a claimed first")
@Outcome(id = "x, y, b, a, null", expect = Expect.ACCEPTABLE, desc = "b claimed first")
@Outcome(expect = Expect.FORBIDDEN, desc = "an item lost, duplicated or out of order")
@State
public class TaskQueueAppendRace {
    private final TaskQueue queue = new TaskQueue(2);

    {
        queue.offer("x");
        queue.offer("y");
    }

    @Actor
    public void producerA() {
        queue.offer("a");
    }

    @Actor
    public void producerB() {
        queue.offer("b");
    }

    @Arbiter
    public void arbiter(LLLLL_Result r) {
        r.r1 = queue.pollSpinning();
        r.r2 = queue.pollSpinning();
        r.r3 = queue.pollSpinning();
        r.r4 = queue.pollSpinning();
        r.r5 = queue.pollSpinning();
    }
}
