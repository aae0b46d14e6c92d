package dev.eventual.internal;

import dev.eventual.KeepAlive;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * The end test of a run-mode loop against a hand-off from another thread (rule 7). The first
 * actor is that thread as an adoption resolver or a resolve from outside does it: it posts its
 * task ({@link EventLoopImpl#post}: the task queue's getAndAdd claim), then releases the
 * keep-alive it posted under (the count's getAndAdd -1). The second actor is the loop's idle check
 * ({@code EventLoopImpl.sleepUntilWork}) with its two reads in the loop's order: the keep-alive
 * count, then the task queue's tail index. A loop that sees the last release must see the task:
 * (0, empty) would end {@code EventLoop.run} with the task unrun, the A+ 2.3.3 outcome that was
 * once lost under load. All four accesses are volatile, so sequentially consistent: the release
 * follows the claim in the first actor's order, the tail read follows the count read in the
 * second's, so a count read after the release has the claim before it. The loop is never
 * started: post only claims, writes the slot and reads {@code sleeping} (0, no unpark). The
 * reads mirror sleepUntilWork's; a change to their order there must be made here too.
 */
@JCStressTest
@Outcome(id = "1, 0", expect = Expect.ACCEPTABLE, desc = "idle check before the hand-off: kept alive, queue empty (the loop parks and is woken)")
@Outcome(id = "1, 1", expect = Expect.ACCEPTABLE, desc = "idle check inside the hand-off: kept alive, task seen")
@Outcome(id = "0, 1", expect = Expect.ACCEPTABLE, desc = "idle check after the hand-off: released, task seen (the loop runs it)")
@Outcome(id = "0, 0", expect = Expect.FORBIDDEN, desc = "the release seen without the task posted before it: the loop would end with it unrun")
@State
public class RunExitIdleCheckVsHandOff {
    private final EventLoopImpl loop = new EventLoopImpl(new LoopConfig(), true);
    private final KeepAlive alive = loop.keepAlive("an adoption step waiting for its stage");

    @Actor
    public void handOff() {
        loop.post((Runnable) () -> {}); // the next step's job, or a settle's hand-off task
        alive.close();
    }

    @Actor
    public void idleCheck(II_Result r) {
        r.r1 = loop.keepAliveCount();
        r.r2 = loop.tasks.isEmpty() ? 0 : 1;
    }
}
