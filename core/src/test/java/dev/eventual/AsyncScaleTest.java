package dev.eventual;

import static dev.eventual.Async.async;
import static dev.eventual.Async.await;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/** Rule 8 under load: mutual exclusion of bodies and callbacks, and many suspended bodies at once. */
class AsyncScaleTest {

    /** Loop-confined state, touched without locks by bodies and callbacks alike. */
    private static final class Shared {
        int counter;
        boolean inside;
        int overlaps;

        /** A read-modify-write with a window: if two runners overlapped, increments would be lost. */
        void increment(boolean yieldInside) {
            if (inside) {
                overlaps++;
            }
            inside = true;
            int v = counter;
            if (yieldInside) {
                Thread.yield(); // a body's carrier lets other virtual threads run right here
            }
            counter = v + 1;
            inside = false;
        }
    }

    @Test
    void bodiesAndCallbacks_neverRunAtTheSameTime_aCounterIncrementedWithoutLocksEndsExact() throws Exception {
        int bodies = 1_000;
        int steps = 12;
        int externalTasks = 1_000;
        Shared shared = new Shared();
        ExecutorService settlers = Executors.newFixedThreadPool(2);
        EventLoop loop = EventLoop.builder().name("exclusive").daemon(true).start();
        CountDownLatch callbacksRan = new CountDownLatch(bodies * 3 + externalTasks);
        Runnable callback = () -> {
            shared.increment(false);
            callbacksRan.countDown();
        };
        try {
            Promise<List<Object>> all = async(loop, () -> {
                List<Promise<Object>> running = new ArrayList<>();
                for (int b = 0; b < bodies; b++) {
                    running.add(async(() -> {
                        for (int s = 0; s < steps; s++) {
                            shared.increment(true);
                            switch (s % 4) {
                                case 0 -> await(Promise.resolve(null));
                                case 1 -> {
                                    Deferred<Object> timer = Promise.withResolvers();
                                    loop.setTimeout(() -> timer.resolve(null), 1);
                                    await(timer.promise());
                                }
                                case 2 -> { // settled on another thread: the outcome reaches the loop as a task
                                    Deferred<Object> elsewhere = Promise.withResolvers();
                                    settlers.execute(() -> elsewhere.resolve(null));
                                    await(elsewhere.promise());
                                }
                                default -> await(async(() -> { // a nested body, which awaits too
                                    shared.increment(true);
                                    await(Promise.resolve(null));
                                    shared.increment(true);
                                }));
                            }
                        }
                        return null;
                    }));
                    Promise.resolve(null).thenAccept(v -> callback.run());
                    loop.queueMicrotask(callback);
                    loop.setTimeout(callback, 1 + b % 5);
                }
                return await(Promise.all(running));
            });
            Thread producer = Thread.ofPlatform().start(() -> {
                for (int i = 0; i < externalTasks; i++) {
                    loop.execute(callback);
                }
            });

            assertThat(await(all)).hasSize(bodies); // this thread runs no loop: await blocks
            producer.join();
            assertThat(callbacksRan.await(30, SECONDS)).isTrue();
        } finally {
            loop.close(); // after the last timer: the close orders every write before the reads below
            settlers.shutdownNow();
        }
        int nestedBodies = steps / 4;
        int expected = bodies * (steps + 2 * nestedBodies) + bodies * 3 + externalTasks;
        assertThat(shared.overlaps).as("runs that overlapped another").isZero();
        assertThat(shared.counter).isEqualTo(expected);
    }

    @Test
    void oneHundredThousandBodies_suspendedAtOnce_eachAwaitingATimer_allComplete() {
        int n = 100_000;
        int[] completed = {0};
        int[] pendingWhenMainEnded = {0};
        EventLoop.run(() -> {
            EventLoop loop = EventLoop.current();
            List<Promise<Void>> bodies = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                long ms = 1 + i % 20;
                bodies.add(async(() -> {
                    Deferred<Void> timer = Promise.withResolvers();
                    loop.setTimeout(() -> timer.resolve(null), ms);
                    await(timer.promise());
                    completed[0]++;
                }));
            }
            // No timer can fire before this task ends: all n bodies are suspended at the same time.
            pendingWhenMainEnded[0] = (int) bodies.stream().filter(Promise::isPending).count();
        });
        assertThat(pendingWhenMainEnded[0]).isEqualTo(n);
        assertThat(completed[0]).isEqualTo(n);
    }
}
