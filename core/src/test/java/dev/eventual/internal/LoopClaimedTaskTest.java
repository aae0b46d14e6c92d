package dev.eventual.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventual.EventLoop;
import dev.eventual.Timeout;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A task whose producer has claimed its place in the queue but not yet written it (a producer
 * descheduled mid-offer) is waited for, not skipped and not slept on (see {@link EventLoopImpl}'s
 * overview): the tasks behind it wait too (FIFO), timers keep firing meanwhile, and once it is
 * written it runs with no wake-up from its producer. The write below deliberately omits the
 * wake-up a real post sends after it, so a loop that parked with the claim open would never run
 * it.
 */
class LoopClaimedTaskTest {
    private static final long LIVENESS_SECONDS = 30;

    @Test
    void aClaimedTask_holdsBackLaterTasks_notTimers_andRunsOnceWritten_withoutAWakeUp()
            throws InterruptedException {
        EventLoopImpl loop = (EventLoopImpl) EventLoop.start("claimed");
        List<String> ran = new CopyOnWriteArrayList<>();
        CountDownLatch firedWhileClaimed = new CountDownLatch(1);
        CountDownLatch timerSet = new CountDownLatch(1);
        CountDownLatch bothRan = new CountDownLatch(2);
        AtomicReference<Timeout> interval = new AtomicReference<>();
        // Set on the loop, before the claim: a timer set from outside is itself a task behind it.
        // It stops itself, on the loop thread, the first time it runs with the claim open, so no
        // timer is left to wake a loop that parked (the check after the write below).
        loop.execute(() -> {
            interval.set(loop.setInterval(() -> {
                if (!loop.tasks.isEmpty() && !loop.tasks.hasReadable()) {
                    interval.get().cancel();
                    firedWhileClaimed.countDown();
                }
            }, 5));
            timerSet.countDown();
        });
        assertThat(timerSet.await(LIVENESS_SECONDS, TimeUnit.SECONDS)).isTrue();

        Runnable write = loop.tasks.claimForTest((Runnable) () -> {
            ran.add("claimed first");
            bothRan.countDown();
        });
        boolean written = false;
        try {
            loop.execute(() -> {
                ran.add("posted after the claim");
                bothRan.countDown();
            });

            // The loop goes round its idle path many times while the claim is open.
            assertThat(firedWhileClaimed.await(LIVENESS_SECONDS, TimeUnit.SECONDS))
                    .as("a timer fires while a claimed task is unwritten").isTrue();
            assertThat(ran).as("nothing runs ahead of the claimed task").isEmpty();

            write.run();
            written = true;
            assertThat(bothRan.await(LIVENESS_SECONDS, TimeUnit.SECONDS))
                    .as("the claimed task and the one behind it run once it is written").isTrue();
            assertThat(ran).containsExactly("claimed first", "posted after the claim");
        } finally {
            if (!written) {
                write.run(); // else close would wait for the claimed slot for ever
            }
            loop.close();
        }
    }
}
