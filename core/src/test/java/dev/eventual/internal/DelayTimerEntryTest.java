package dev.eventual.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventual.AbortController;
import dev.eventual.EventLoop;
import dev.eventual.Promise;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link Delay} is its own entry of its loop's {@link TimerQueue} (no {@link TimerTask} behind
 * it), and leaves the queue once it has settled: at once when it settles on the loop's turn, by a
 * task posted to the loop when an abort comes from another thread (see Delay's overview).
 */
class DelayTimerEntryTest {
    private static final long LIVENESS_SECONDS = 30;

    private static <T> T onLoop(EventLoopImpl loop, java.util.concurrent.Callable<T> task) throws Exception {
        return loop.submit(task).toCompletableFuture().get(LIVENESS_SECONDS, TimeUnit.SECONDS);
    }

    /** What {@code p} was rejected with (null if fulfilled), waiting for it to settle. */
    private static Throwable failure(Promise<?> p) throws Exception {
        return p.toCompletableFuture().handle((v, e) -> e).get(LIVENESS_SECONDS, TimeUnit.SECONDS);
    }

    private static List<TimerEntry> entries(EventLoopImpl loop) {
        List<TimerEntry> out = new ArrayList<>();
        loop.timers.forEachLive((e, deadline) -> out.add(e));
        return out;
    }

    @Test
    void aPendingDelay_isTheQueuesEntry_andCancellingItOnTheLoop_emptiesItsSlotAtOnce() throws Exception {
        try (EventLoop l = EventLoop.start("delay-entry")) {
            EventLoopImpl loop = (EventLoopImpl) l;
            List<Object> seen = onLoop(loop, () -> {
                Promise<Void> p = Promise.delay(Duration.ofHours(1));
                List<Object> s = new ArrayList<>(entries(loop));
                s.add(p);
                p.cancel();
                s.add(loop.timers.size());
                s.add(loop.timers.referencedCount());
                s.add(((Delay) p).timerSlot());
                return s;
            });
            assertThat(seen.get(0)).as("the queue's one entry is the delay's promise itself").isSameAs(seen.get(1));
            assertThat(seen).hasSize(5);
            assertThat(seen.subList(2, 5)).as("live timers, referenced timers, the delay's slot, after cancel")
                    .containsExactly(0, 0, -1);
        }
    }

    @Test
    void anAbortOnAnotherLoop_takesTheDelayOutOfItsQueue_byATaskPostedToIt() throws Exception {
        try (EventLoop l = EventLoop.start("delay-abort"); EventLoop signals = EventLoop.start("signal-loop")) {
            EventLoopImpl loop = (EventLoopImpl) l;
            AbortController controller = new AbortController(signals); // its algorithms run on signals' thread
            Promise<?> p = onLoop(loop, () -> List.of(Promise.delay(Duration.ofHours(1), controller.signal()))).get(0);
            assertThat(onLoop(loop, () -> loop.timers.size())).isEqualTo(1);
            controller.abort();
            assertThat(failure(p)).as("the abort's rejection").isInstanceOf(CancellationException.class);
            // The delay settled on the other loop's thread, which then posted the removal to this
            // loop. The future completes when the settling's own task has run here, which may be
            // before that thread posts the removal: so first let the abort's algorithm (a task of
            // the signal loop) end; a later task of this loop then runs after the removal (FIFO).
            onLoop((EventLoopImpl) signals, () -> null);
            assertThat(onLoop(loop, () -> List.of(loop.timers.size(), loop.timers.referencedCount(),
                    ((Delay) p).timerSlot()))).containsExactly(0, 0, -1);
        }
    }

    @Test
    void aDelayThatFires_leavesTheQueue_andIsFulfilled() throws Exception {
        try (EventLoop l = EventLoop.start("delay-fires")) {
            EventLoopImpl loop = (EventLoopImpl) l;
            Promise<?> p = onLoop(loop, () -> List.of(Promise.delay(Duration.ofMillis(1)))).get(0);
            assertThat(p.toCompletableFuture().get(LIVENESS_SECONDS, TimeUnit.SECONDS)).isNull();
            assertThat(onLoop(loop, () -> loop.timers.size() + loop.timers.slots())).isZero();
            assertThat(((Delay) p).timerSlot()).isEqualTo(-1);
        }
    }

    @Test
    void aCancelledDelay_isRejectedWithCancellation_notFulfilledLater() throws Exception {
        try (EventLoop l = EventLoop.start("delay-cancel")) {
            EventLoopImpl loop = (EventLoopImpl) l;
            Promise<?> p = onLoop(loop, () -> {
                Promise<Void> d = Promise.delay(Duration.ofMillis(1));
                d.cancel();
                return List.of(d);
            }).get(0);
            Thread.sleep(20);
            assertThat(failure(p)).isInstanceOf(CancellationException.class);
        }
    }
}
