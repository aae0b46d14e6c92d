package dev.eventual.internal;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LLL_Result;

/**
 * A producer fails between its claim and its write (an error injected through the test hook,
 * as an OutOfMemoryError or a StackOverflowError would be raised there), then offers "a"; the
 * consumer polls meanwhile. Segments of one slot, so each offer also appends a segment, and the
 * failed offer's SKIP write appends its own. The failed offer queues nothing: the consumer sees
 * "a" once, in any of its three polls, never "b" or the SKIP marker, and never waits on a hole
 * (the arbiter's pollSpinning would hang).
 */
@JCStressTest
@Outcome(id = "a, null, null", expect = Expect.ACCEPTABLE, desc = "the first poll took a")
@Outcome(id = "null, a, null", expect = Expect.ACCEPTABLE, desc = "the second poll took a")
@Outcome(id = "null, null, a", expect = Expect.ACCEPTABLE, desc = "a was readable after both polls")
@Outcome(expect = Expect.FORBIDDEN, desc = "the failed item or its SKIP came out, or a was lost or duplicated")
@State
public class TaskQueueFailedOfferVsPoll {
    private static final Runnable FAIL = () -> {
        throw new OutOfMemoryError("injected after the claim");
    };
    private final TaskQueue queue = new TaskQueue(1);

    @Actor
    public void producer() {
        try {
            queue.offer("b", FAIL);
        } catch (OutOfMemoryError expected) {
            // the offer failed: "b" was not queued
        }
        queue.offer("a");
    }

    @Actor
    public void consumer(LLL_Result r) {
        r.r1 = queue.poll();
        r.r2 = queue.poll();
    }

    @Arbiter
    public void arbiter(LLL_Result r) {
        r.r3 = queue.pollSpinning();
        if (queue.pollSpinning() != null) {
            r.r3 = "more than one item";
        }
    }
}
