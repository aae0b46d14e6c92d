package dev.eventual;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/** Rule 3 under load: settles from many threads, handlers registered by the loop meanwhile. */
class CrossThreadSettleTest {
    private static final int PROMISES = 1_000_000;
    private static final int SETTLERS = 4;

    @Test
    void fourThreadsSettlingAMillionPromises_whileTheLoopRegisters_runEachHandlerExactlyOnce() throws Exception {
        AtomicIntegerArray runs = new AtomicIntegerArray(PROMISES);
        AtomicInteger offLoop = new AtomicInteger();
        CountDownLatch allRan = new CountDownLatch(PROMISES);
        try (EventLoop loop = EventLoop.builder().name("cross-thread").daemon(true).start()) {
            List<Deferred<Integer>> deferreds = new ArrayList<>(PROMISES);
            for (int i = 0; i < PROMISES; i++) {
                deferreds.add(loop.withResolvers());
            }
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> settlers = new ArrayList<>();
            for (int t = 0; t < SETTLERS; t++) {
                int first = t;
                settlers.add(Thread.ofPlatform().start(() -> {
                    await(go);
                    for (int i = first; i < PROMISES; i += SETTLERS) {
                        deferreds.get(i).resolve(i);
                    }
                }));
            }
            // The loop registers every handler while the settlers run.
            loop.execute(() -> {
                go.countDown();
                for (int i = 0; i < PROMISES; i++) {
                    int index = i;
                    deferreds.get(i).promise().thenAccept(v -> {
                        if (!loop.inEventLoop() || v != index) {
                            offLoop.incrementAndGet();
                        }
                        runs.incrementAndGet(index);
                        allRan.countDown();
                    });
                }
            });
            assertThat(allRan.await(60, SECONDS)).as("every handler ran").isTrue();
            for (Thread settler : settlers) {
                settler.join();
            }
            // Anything run twice would have run by the time the loop drains this task.
            CountDownLatch drained = new CountDownLatch(1);
            loop.execute(drained::countDown);
            assertThat(drained.await(60, SECONDS)).isTrue();
        }
        int wrong = 0;
        for (int i = 0; i < PROMISES; i++) {
            if (runs.get(i) != 1) {
                wrong++;
            }
        }
        assertThat(wrong).as("handlers not run exactly once").isZero();
        assertThat(offLoop.get()).as("handlers run off the loop thread or with a wrong value").isZero();
    }

    @Test
    void racingSettlers_exactlyOneWins_andLaterCallsSaySo() throws Exception {
        // Rejections lose races on purpose here; nobody needs to hear about them.
        try (EventLoop loop = EventLoop.builder().name("race").daemon(true)
                .unhandledRejections(UnhandledRejectionPolicy.IGNORE).start()) {
            for (int round = 0; round < 1_000; round++) {
                Deferred<Integer> d = loop.withResolvers();
                AtomicInteger wins = new AtomicInteger();
                CountDownLatch go = new CountDownLatch(1);
                List<Thread> threads = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    int value = t;
                    threads.add(Thread.ofPlatform().start(() -> {
                        await(go);
                        boolean won = value % 2 == 0 ? d.tryResolve(value) : d.tryReject(new RuntimeException("" + value));
                        if (won) {
                            wins.incrementAndGet();
                        }
                    }));
                }
                go.countDown();
                for (Thread t : threads) {
                    t.join();
                }
                assertThat(wins.get()).as("winners in round %d", round).isEqualTo(1);
                assertThat(d.promise().isPending()).isFalse();
                d.promise().caught(e -> null);
            }
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(60, SECONDS)) {
                throw new AssertionError("start signal never came");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
