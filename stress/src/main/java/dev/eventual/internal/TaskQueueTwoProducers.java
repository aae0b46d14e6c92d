package dev.eventual.internal;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LLL_Result;

/**
 * Two producers race on the task queue's claim (the getAndAdd of its tail index); the consumer
 * then finds both items, once each, in the order of their claims, and nothing else.
 */
@JCStressTest
@Outcome(id = "a, b, null", expect = Expect.ACCEPTABLE, desc = "a claimed first")
@Outcome(id = "b, a, null", expect = Expect.ACCEPTABLE, desc = "b claimed first")
@Outcome(expect = Expect.FORBIDDEN, desc = "an item was lost or duplicated")
@State
public class TaskQueueTwoProducers {
    private final TaskQueue queue = new TaskQueue();

    @Actor
    public void producerA() {
        queue.offer("a");
    }

    @Actor
    public void producerB() {
        queue.offer("b");
    }

    @Arbiter
    public void arbiter(LLL_Result r) {
        r.r1 = queue.pollSpinning();
        r.r2 = queue.pollSpinning();
        r.r3 = queue.pollSpinning();
    }
}
