package dev.eventual.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.eventual.EventLoop;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The loop's sleep protocol loses no wake-up (see {@link EventLoopImpl}'s overview): tasks posted from other
 * threads at every moment of the loop's way to sleep (while it still runs tasks, within its idle
 * spin, between its sleeping flag and its park, while parked) all run. A lost wake-up shows as a
 * task that never runs; the waits below are liveness bounds of many seconds, not timings. The
 * one-poster test fails within its first hundred rounds when the loop skips its re-check of the
 * queue after raising its sleeping flag (tried: round 58).
 */
class LoopWakeUpTest {
    private static final int ROUNDS = 20_000;
    /** Gaps before each post: uniform up to 3 us, so posts land all over the idle spin (1 us) and its end. */
    private static final int MAX_GAP_NANOS = 3_000;
    private static final long LIVENESS_NANOS = TimeUnit.SECONDS.toNanos(30);

    private volatile int ranRound;

    @Test
    void onePoster_everyTaskRuns_whateverItsGapToTheLoopGoingIdle() {
        EventLoop loop = EventLoop.start("wake-up");
        try {
            SplittableRandom random = new SplittableRandom(7);
            for (int round = 1; round <= ROUNDS; round++) {
                busyWait(random.nextInt(MAX_GAP_NANOS));
                int r = round;
                loop.execute(() -> ranRound = r);
                // Spin, not park: the next post follows this task's run within nanoseconds, so the
                // gaps above are measured from about when the loop started going idle.
                long deadline = System.nanoTime() + LIVENESS_NANOS;
                while (ranRound != r) {
                    if (System.nanoTime() - deadline >= 0) {
                        fail("task of round %d never ran: a lost wake-up", r);
                    }
                    Thread.onSpinWait();
                }
            }
        } finally {
            loop.close();
        }
    }

    @Test
    void twoPosters_everyTaskRuns_whenTheirPostsRaceTheLoopGoingIdle() throws InterruptedException {
        EventLoop loop = EventLoop.start("wake-up-2");
        try {
            AtomicInteger ran = new AtomicInteger();
            CountDownLatch posted = new CountDownLatch(2);
            Runnable poster = () -> {
                SplittableRandom random = new SplittableRandom(Thread.currentThread().threadId());
                for (int i = 0; i < ROUNDS; i++) {
                    busyWait(random.nextInt(MAX_GAP_NANOS));
                    loop.execute(ran::incrementAndGet);
                }
                posted.countDown();
            };
            Thread.ofPlatform().start(poster);
            Thread.ofPlatform().start(poster);
            assertThat(posted.await(60, TimeUnit.SECONDS)).isTrue();
            CountDownLatch last = new CountDownLatch(1);
            loop.execute(last::countDown); // FIFO: runs after every task posted before it
            assertThat(last.await(30, TimeUnit.SECONDS)).as("the loop stopped running tasks").isTrue();
            assertThat(ran.get()).isEqualTo(2 * ROUNDS);
        } finally {
            loop.close();
        }
    }

    private static void busyWait(long nanos) {
        long end = System.nanoTime() + nanos;
        while (System.nanoTime() - end < 0) {
            Thread.onSpinWait();
        }
    }
}
