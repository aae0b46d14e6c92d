package dev.eventual.stress;

import dev.eventual.Deferred;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LI_Result;

/**
 * A second handler is pushed onto the reaction stack while another thread settles the promise:
 * the push CAS races with the settling CAS that takes the stack. Both handlers run exactly once,
 * and since "a" was registered before the race, in registration order (A+ 2.2.6).
 */
@JCStressTest
@Outcome(id = "[a, b], 2", expect = Expect.ACCEPTABLE, desc = "both ran once, in registration order")
@Outcome(expect = Expect.FORBIDDEN, desc = "a handler was lost, ran twice, or out of order")
@State
public class TwoRegistrationsVsSettle {
    private final Deferred<String> deferred = StressLoops.RUNNING.withResolvers();
    private final ConcurrentLinkedQueue<String> log = new ConcurrentLinkedQueue<>();
    private final CountDownLatch done = new CountDownLatch(2);

    {
        deferred.promise().thenAccept(v -> {
            log.add("a");
            done.countDown();
        });
    }

    @Actor
    public void registerB() {
        deferred.promise().thenAccept(v -> {
            log.add("b");
            done.countDown();
        });
    }

    @Actor
    public void settle() {
        deferred.tryResolve("v");
    }

    @Arbiter
    public void arbiter(LI_Result r) {
        try {
            done.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        r.r1 = log.toString();
        r.r2 = log.size();
    }
}
