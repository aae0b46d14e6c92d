package dev.eventual.stress;

import dev.eventual.Deferred;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIZ_Result;

/**
 * A handler registered from one thread while another thread settles the promise: whichever comes
 * first (the push before the settling CAS, or the settled state seen by the registration), the
 * handler runs exactly once, with the value, on the loop's thread.
 */
@JCStressTest
@Outcome(id = "1, 42, true", expect = Expect.ACCEPTABLE, desc = "ran once, with the value, on the loop thread")
@Outcome(expect = Expect.FORBIDDEN, desc = "lost, run twice, wrong value, or off the loop thread")
@State
public class SettleVsRegister {
    private final Deferred<Integer> deferred = StressLoops.RUNNING.withResolvers();
    private final AtomicInteger runs = new AtomicInteger();
    private final CountDownLatch ran = new CountDownLatch(1);
    private volatile int seen;
    private volatile boolean onLoop;

    @Actor
    public void settle() {
        deferred.tryResolve(42);
    }

    @Actor
    public void register() {
        deferred.promise().thenAccept(v -> {
            seen = v;
            onLoop = StressLoops.RUNNING.inEventLoop();
            runs.incrementAndGet();
            ran.countDown();
        });
    }

    @Arbiter
    public void arbiter(IIZ_Result r) {
        try {
            ran.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        r.r1 = runs.get();
        r.r2 = seen;
        r.r3 = onLoop;
    }
}
