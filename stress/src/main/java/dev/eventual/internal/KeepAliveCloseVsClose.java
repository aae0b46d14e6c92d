package dev.eventual.internal;

import dev.eventual.KeepAlive;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * Two threads close the same labelled {@link KeepAlive}, and the second then takes another: the CAS on
 * the holder's {@code released} lets exactly one close release it, so the loop's count (what its
 * sleep protocol reads) and its set of holders (what describe() lists) both end with the other
 * reference alone: never a count of 0 or -1, never a holder left behind or both removed.
 * The loop is never started: keepAlive and close only touch its counters and set. Two actors:
 * the machine that runs the suite has two CPUs.
 */
@JCStressTest
@Outcome(id = "1, 1", expect = Expect.ACCEPTABLE, desc = "released once; the other reference is counted and listed")
@Outcome(expect = Expect.FORBIDDEN, desc = "released twice or not at all, or the count and the set disagree")
@State
public class KeepAliveCloseVsClose {
    private final EventLoopImpl loop = new EventLoopImpl(new LoopConfig(), false);
    private final KeepAlive held = loop.keepAlive("held");

    @Actor
    public void first() {
        held.close();
    }

    @Actor
    public void second() {
        held.close();
        loop.keepAlive("another"); // while the first close may still be releasing
    }

    @Arbiter
    public void arbiter(II_Result r) {
        r.r1 = loop.keepAliveCount();
        r.r2 = loop.keepAliveHolders.size();
    }
}
