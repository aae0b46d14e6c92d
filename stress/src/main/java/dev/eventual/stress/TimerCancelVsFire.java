package dev.eventual.stress;

import dev.eventual.Timeout;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IZ_Result;

/**
 * Cancelling a 1 ms timeout from another thread while the loop may be firing it. The timer's
 * state CAS decides: either the callback ran (and the timer reads inactive), or the cancel won
 * and the callback never runs. A follow-up timer proves the loop got past the deadline.
 */
@JCStressTest
@Outcome(id = "1, false", expect = Expect.ACCEPTABLE, desc = "fired before the cancel")
@Outcome(id = "0, false", expect = Expect.ACCEPTABLE, desc = "cancelled before it fired")
@Outcome(expect = Expect.FORBIDDEN, desc = "ran after a winning cancel, ran twice, or still active")
@State
public class TimerCancelVsFire {
    private final AtomicInteger ran = new AtomicInteger();
    private final Timeout timer = StressLoops.RUNNING.setTimeout(ran::incrementAndGet, 1);

    @Actor
    public void cancel() {
        timer.cancel();
    }

    @Arbiter
    public void arbiter(IZ_Result r) {
        CountDownLatch later = new CountDownLatch(1);
        StressLoops.RUNNING.setTimeout(later::countDown, 5);
        try {
            later.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        r.r1 = ran.get();
        r.r2 = timer.isActive();
    }
}
