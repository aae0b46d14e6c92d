package dev.eventual.stress;

import dev.eventual.Promise;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.L_Result;

/**
 * Promises/A+ 2.3.3.3.3 across threads: two threads call an adopted stage's callback at once,
 * one with a promise (which leaves the adopting promise pending, following it) and one with a
 * plain value. The first call wins (the resolver's one CAS), whichever it is; the other is
 * ignored, even though the adopting promise is still pending when it comes. The state
 * constructor waits until the adoption job has registered the callback.
 */
@JCStressTest
@Outcome(id = "p", expect = Expect.ACCEPTABLE, desc = "the call with the promise came first and was followed")
@Outcome(id = "o", expect = Expect.ACCEPTABLE, desc = "the call with the value came first")
@Outcome(expect = Expect.FORBIDDEN, desc = "both calls counted, or neither, or the promise never settled")
@State
public class StageCallbackRace {
    private final CountDownLatch registered = new CountDownLatch(1);
    private volatile BiConsumer<? super Object, ? super Throwable> callback;
    private final CompletableFuture<Object> stage = new CompletableFuture<>() {
        @Override
        public CompletableFuture<Object> whenComplete(BiConsumer<? super Object, ? super Throwable> action) {
            callback = action;
            registered.countDown();
            return this;
        }
    };
    private final Promise<Object> promise = StressLoops.RUNNING.from(stage);

    public StageCallbackRace() {
        await(registered);
    }

    @Actor
    public void withPromise() {
        callback.accept(StressLoops.RUNNING.resolved("p"), null);
    }

    @Actor
    public void withValue() {
        callback.accept("o", null);
    }

    @Arbiter
    public void arbiter(L_Result r) {
        try {
            r.r1 = promise.toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            r.r1 = e.toString();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the adoption job did not register on the stage within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
