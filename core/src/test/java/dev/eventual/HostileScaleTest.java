package dev.eventual;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/**
 * Hostile use, part 4: too many handlers on one promise, too many threads on one settle. The
 * defined outcomes (Promise javadoc, "Threading"; Deferred javadoc, "Threading"): a million
 * handlers on one promise each run once, in registration order, in one checkpoint, without deep
 * recursion; of 64 threads settling the same promise at once exactly one wins, every other call
 * says it lost, and every handler sees the winner's outcome exactly once.
 */
class HostileScaleTest {
    private static final int HANDLERS = 1_000_000;
    private static final int THREADS = 64;
    private static final int PROMISES = 2_000;

    @Test
    void aMillionHandlersOnOnePromise_eachRunsOnce_inRegistrationOrder_withTheValue() {
        int[] ran = {0};
        int[] wrong = {0};
        EventLoop.run(() -> {
            Deferred<Integer> d = Promise.withResolvers();
            for (int i = 0; i < HANDLERS; i++) {
                int index = i;
                d.promise().thenAccept(v -> {
                    if (ran[0]++ != index || v != 42) {
                        wrong[0]++;
                    }
                });
            }
            d.resolve(42);
        });
        assertThat(ran[0]).isEqualTo(HANDLERS);
        assertThat(wrong[0]).as("handlers out of order or with a wrong value").isZero();
    }

    @Test
    void aMillionHandlersRegisteredOffTheLoop_whileAnotherThreadRejects_allRunOnceInOrder_andNoneIsUnhandled() throws Exception {
        AtomicInteger unhandled = new AtomicInteger();
        int[] ran = {0}; // loop-confined
        int[] wrong = {0};
        CountDownLatch allRan = new CountDownLatch(HANDLERS);
        IllegalStateException reason = new IllegalStateException("rejected mid-registration");
        try (EventLoop loop = EventLoop.builder().name("many-handlers").daemon(true)
                .onUnhandledRejection(new UnhandledRejectionHandler() {
                    @Override
                    public void unhandled(Promise<?> promise, Throwable r) {
                        unhandled.incrementAndGet();
                    }

                    @Override
                    public void handledLater(Promise<?> promise, Throwable r) {}
                }).start()) {
            Deferred<Integer> d = loop.withResolvers();
            CountDownLatch halfway = new CountDownLatch(1);
            Thread registrar = Thread.ofPlatform().name("registrar").start(() -> {
                for (int i = 0; i < HANDLERS; i++) {
                    int index = i;
                    d.promise().caught(e -> {
                        if (ran[0]++ != index || e != reason) {
                            wrong[0]++;
                        }
                        allRan.countDown();
                        return 0;
                    });
                    if (i == HANDLERS / 2) {
                        halfway.countDown();
                    }
                }
            });
            assertThat(halfway.await(30, SECONDS)).isTrue();
            d.reject(reason); // from the test thread, while the registrar goes on
            registrar.join();
            assertThat(allRan.await(60, SECONDS)).as("every handler ran").isTrue();
            int[] totals = loop.submit(() -> new int[] {ran[0], wrong[0]}).toCompletableFuture().get(10, SECONDS);
            assertThat(totals[0]).as("handler runs").isEqualTo(HANDLERS);
            assertThat(totals[1]).as("handlers out of order or with a wrong reason").isZero();
        }
        assertThat(unhandled.get()).isZero();
    }

    @Test
    void sixtyFourThreadsSettlingTheSamePromisesAtOnce_exactlyOneWinsEach_andEveryHandlerSeesTheWinnerOnce() throws Exception {
        AtomicIntegerArray wins = new AtomicIntegerArray(PROMISES);
        AtomicIntegerArray winner = new AtomicIntegerArray(PROMISES);
        AtomicIntegerArray runs = new AtomicIntegerArray(PROMISES * THREADS);
        AtomicIntegerArray seen = new AtomicIntegerArray(PROMISES * THREADS);
        AtomicInteger offLoop = new AtomicInteger();
        CountDownLatch allRan = new CountDownLatch(PROMISES * THREADS);
        try (EventLoop loop = EventLoop.builder().name("sixty-four").daemon(true).start()) {
            List<Deferred<Integer>> deferreds = new ArrayList<>(PROMISES);
            for (int i = 0; i < PROMISES; i++) {
                deferreds.add(loop.withResolvers());
            }
            CyclicBarrier start = new CyclicBarrier(THREADS);
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int id = t;
                threads.add(Thread.ofPlatform().name("settler-" + t).start(() -> {
                    try {
                        start.await(30, SECONDS);
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                    for (int i = 0; i < PROMISES; i++) {
                        Deferred<Integer> d = deferreds.get(i);
                        int index = i;
                        d.promise().asCallback((error, value) -> {
                            // Compared with the winner at the end: the winner records itself only
                            // after its settle returned, possibly after this handler ran.
                            seen.set(index * THREADS + id, error != null ? Integer.parseInt(error.getMessage()) : value);
                            if (!loop.inEventLoop()) {
                                offLoop.incrementAndGet();
                            }
                            runs.incrementAndGet(index * THREADS + id);
                            allRan.countDown();
                        });
                        boolean won = switch ((i + id) % 3) {
                            case 0 -> d.tryResolve(id);
                            case 1 -> d.tryReject(new IllegalStateException(Integer.toString(id)));
                            default -> d.tryFollow(loop.resolved(id));
                        };
                        if (won) {
                            winner.set(index, id);
                            wins.incrementAndGet(index);
                        }
                    }
                }));
            }
            for (Thread t : threads) {
                t.join();
            }
            assertThat(allRan.await(60, SECONDS)).as("every handler ran").isTrue();
            // Anything run twice would have run by the time the loop drains this task.
            loop.submit(() -> null).toCompletableFuture().get(10, SECONDS);
        }
        int wrongWins = 0;
        for (int i = 0; i < PROMISES; i++) {
            if (wins.get(i) != 1) {
                wrongWins++;
            }
        }
        int wrongRuns = 0;
        int wrongOutcomes = 0;
        for (int i = 0; i < PROMISES * THREADS; i++) {
            if (runs.get(i) != 1) {
                wrongRuns++;
            }
            if (seen.get(i) != winner.get(i / THREADS)) {
                wrongOutcomes++;
            }
        }
        assertThat(wrongWins).as("promises without exactly one winner").isZero();
        assertThat(wrongRuns).as("handlers not run exactly once").isZero();
        assertThat(wrongOutcomes).as("handlers that saw another outcome than the winner's").isZero();
        assertThat(offLoop.get()).as("handlers run off the loop thread").isZero();
    }
}
