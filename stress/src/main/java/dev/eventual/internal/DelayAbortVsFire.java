package dev.eventual.internal;

import dev.eventual.AbortController;
import dev.eventual.EventLoop;
import dev.eventual.Promise;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IZ_Result;

/**
 * A {@code Promise.delay} of 1 ms, which is its own timer-queue entry (no TimerTask behind it),
 * aborted from another thread while its loop may be firing it. The abort's signal belongs to a
 * closed loop, so its algorithm runs on the aborting thread itself: the abort's reject and the
 * timer's fulfil race on the promise's settling CAS, and the aborting thread, off the delay's
 * loop, posts the entry's removal. Either the timer won (fulfilled) or the abort did (rejected,
 * and the timer's later run changes nothing); both ways the entry has left the queue once the
 * loop has run what was posted before the arbiter's look.
 */
@JCStressTest
@Outcome(id = "1, true", expect = Expect.ACCEPTABLE, desc = "fired before the abort")
@Outcome(id = "2, true", expect = Expect.ACCEPTABLE, desc = "aborted before it fired")
@Outcome(expect = Expect.FORBIDDEN, desc = "still pending, or the entry left behind in the queue")
@State
public class DelayAbortVsFire {
    /** The delays' loop, shared by the instances of one forked VM (as dev.eventual.stress.StressLoops). */
    private static final EventLoop RUNNING = EventLoop.builder().name("stress-delay").daemon(true).start();
    /** A closed loop: a signal of it runs its abort algorithms on the aborting thread. */
    private static final EventLoop CLOSED = closed();

    private static EventLoop closed() {
        EventLoop loop = EventLoop.builder().name("stress-delay-closed").daemon(true).start();
        loop.close();
        return loop;
    }

    private final AbortController controller = new AbortController(CLOSED);
    private final Promise<?> delay;

    public DelayAbortVsFire() {
        try {
            delay = RUNNING.submit(() -> {
                Promise<Void> d = Promise.delay(Duration.ofMillis(1), controller.signal());
                d.caught(e -> null); // the abort's rejection is expected: not reported as unhandled
                return List.of(d);
            }).toCompletableFuture().get(10, TimeUnit.SECONDS).get(0);
        } catch (Exception e) {
            throw new IllegalStateException("could not start the delay on the stress loop", e);
        }
    }

    @Actor
    public void abort() {
        controller.abort();
    }

    @Arbiter
    public void arbiter(IZ_Result r) {
        try {
            // Past the deadline (a later timer fired), then a look on the loop, behind the removal
            // the abort may have posted (FIFO).
            RUNNING.submit(() -> Promise.delay(Duration.ofMillis(5)))
                    .toCompletableFuture().get(10, TimeUnit.SECONDS);
            Delay d = (Delay) delay;
            List<Integer> seen = RUNNING.submit(() -> List.of(
                    !d.isSettled() ? 0 : d.settledResult() instanceof Failure ? 2 : 1, d.timerSlot()))
                    .toCompletableFuture().get(10, TimeUnit.SECONDS);
            r.r1 = seen.get(0);
            r.r2 = seen.get(1) == -1;
        } catch (Exception e) {
            r.r1 = -1;
        }
    }
}
