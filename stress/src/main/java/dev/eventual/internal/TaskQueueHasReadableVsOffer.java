package dev.eventual.internal;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LLL_Result;

/**
 * The loop's idle spin asks {@link TaskQueue#hasReadable} whether to go back to polling, while a
 * producer offers. When it answers yes, the poll that follows takes the item (its acquire read
 * saw the producer's release write, so poll's does too); when it answers no, the item is still
 * there for a later poll. Two placements of the head: inside a segment, and just past the end of
 * one, where the answer comes through the next segment's link, which the producer may still be
 * appending.
 */
public class TaskQueueHasReadableVsOffer {

    /** The idle spin's step: ask, and poll only on a yes. */
    static void takeIfReadable(TaskQueue queue, LLL_Result r) {
        boolean readable = queue.hasReadable();
        r.r1 = readable;
        r.r2 = readable ? queue.poll() : "skipped";
    }

    @JCStressTest
    @Outcome(id = "true, a, null", expect = Expect.ACCEPTABLE, desc = "seen readable, taken at once")
    @Outcome(id = "false, skipped, a", expect = Expect.ACCEPTABLE, desc = "not readable yet, taken later")
    @Outcome(expect = Expect.FORBIDDEN, desc = "readable but poll found nothing, or the item was lost")
    @State
    public static class InsideSegment {
        private final TaskQueue queue = new TaskQueue(4);

        {
            queue.offer("x");
            queue.poll(); // the head is now slot 1 of the first segment
        }

        @Actor
        public void producer() {
            queue.offer("a");
        }

        @Actor
        public void consumer(LLL_Result r) {
            takeIfReadable(queue, r);
        }

        @Arbiter
        public void arbiter(LLL_Result r) {
            r.r3 = queue.pollSpinning();
        }
    }

    @JCStressTest
    @Outcome(id = "true, a, null", expect = Expect.ACCEPTABLE, desc = "seen readable, taken at once")
    @Outcome(id = "false, skipped, a", expect = Expect.ACCEPTABLE, desc = "not readable yet, taken later")
    @Outcome(expect = Expect.FORBIDDEN, desc = "readable but poll found nothing, or the item was lost")
    @State
    public static class PastSegmentEnd {
        private final TaskQueue queue = new TaskQueue(1);

        {
            queue.offer("x");
            queue.poll(); // the head is past the first one-slot segment; the next is not appended
        }

        @Actor
        public void producer() {
            queue.offer("a"); // appends the second segment, then writes its slot
        }

        @Actor
        public void consumer(LLL_Result r) {
            takeIfReadable(queue, r);
        }

        @Arbiter
        public void arbiter(LLL_Result r) {
            r.r3 = queue.pollSpinning();
        }
    }
}
