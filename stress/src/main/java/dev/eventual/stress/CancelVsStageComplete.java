package dev.eventual.stress;

import dev.eventual.Promise;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZL_Result;

/**
 * Rule 6 with a producer: cancelling {@code loop.from(future)} while another thread completes the
 * future. The promise settles once; only a cancel that won tells the producer, on the loop, and
 * the future is then cancelled unless it was completed first. The arbiter waits for the loop to
 * run the cancel's hook (a task queued before its own).
 */
@JCStressTest
@Outcome(id = "true, false, FULFILLED, future done", expect = Expect.ACCEPTABLE, desc = "completed first; cancel ignored")
@Outcome(id = "true, true, CANCELLED, future done", expect = Expect.ACCEPTABLE,
        desc = "future completed, but the cancel settled the promise first; the future stays completed")
@Outcome(id = "false, true, CANCELLED, future cancelled", expect = Expect.ACCEPTABLE, desc = "cancel won and cancelled the future")
@Outcome(expect = Expect.FORBIDDEN, desc = "a winning cancel left the promise fulfilled, or nobody won, or the future was not told")
@State
public class CancelVsStageComplete {
    private final CompletableFuture<String> future = new CompletableFuture<>();
    private final Promise<String> promise = StressLoops.RUNNING.from(future);

    @Actor
    public void complete(ZZL_Result r) {
        r.r1 = future.complete("value");
    }

    @Actor
    public void cancel(ZZL_Result r) {
        r.r2 = promise.cancel();
    }

    @Arbiter
    public void arbiter(ZZL_Result r) {
        CountDownLatch hookRan = new CountDownLatch(1);
        StressLoops.RUNNING.execute(hookRan::countDown);
        try {
            hookRan.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        String state = switch (promise.state()) {
            case FULFILLED -> "FULFILLED";
            case REJECTED -> "CANCELLED";
            case PENDING -> "PENDING";
        };
        r.r3 = state + ", " + (future.isCancelled() ? "future cancelled" : future.isDone() ? "future done" : "future pending");
    }
}
