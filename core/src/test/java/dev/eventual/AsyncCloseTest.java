package dev.eventual;

import static dev.eventual.Async.async;
import static dev.eventual.Async.await;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Rule 8 with rule 7: a loop that closes ends its suspended async bodies, and keeps none of them. */
class AsyncCloseTest {

    /** Collects until every reference is cleared, or gives up after 10 s; returns how many are left. */
    private static long survivorsAfterGc(List<? extends WeakReference<?>> refs) throws InterruptedException {
        long deadline = System.nanoTime() + SECONDS.toNanos(10);
        long alive;
        do {
            System.gc();
            Thread.sleep(20);
            alive = refs.stream().filter(r -> r.get() != null).count();
        } while (alive > 0 && System.nanoTime() < deadline);
        return alive;
    }

    @Test
    void close_whileBodiesAreSuspended_rejectsTheirPromises_runsTheirFinallyBlocks_andEndsTheirThreads() throws Exception {
        int n = 1_000;
        EventLoop loop = EventLoop.builder().name("closing").daemon(true).start();
        List<Promise<String>> promises = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        int[] caught = {0};
        int[] finallyBlocks = {0};
        int[] laterAwaitsThatThrewAtOnce = {0};
        CountDownLatch allSuspended = new CountDownLatch(1);
        loop.execute(() -> {
            Deferred<String> never = loop.withResolvers();
            for (int i = 0; i < n; i++) {
                boolean onATimer = i % 2 == 0;
                promises.add(async(() -> {
                    threads.add(Thread.currentThread());
                    try {
                        if (onATimer) {
                            Deferred<String> inAnHour = Promise.withResolvers();
                            loop.setTimeout(() -> inAnHour.resolve("late"), 3_600_000);
                            return await(inAnHour.promise());
                        }
                        return await(never.promise());
                    } catch (EventLoopClosedException e) {
                        caught[0]++;
                        throw e;
                    } finally {
                        finallyBlocks[0]++;
                        try {
                            await(Promise.resolve(null));
                        } catch (EventLoopClosedException e) {
                            laterAwaitsThatThrewAtOnce[0]++;
                        }
                    }
                }));
            }
            allSuspended.countDown();
        });
        assertThat(allSuspended.await(10, SECONDS)).isTrue();

        loop.close(); // returns once the loop has stopped; its termination orders what the bodies wrote

        assertThat(promises).hasSize(n).allSatisfy(p -> assertThat(p.peek()).hasValueSatisfying(s ->
                assertThat(((Settled.Rejected<String>) s).reason()).isInstanceOf(EventLoopClosedException.class)
                        .hasMessageContaining("'closing'")));
        assertThat(caught[0]).isEqualTo(n);
        assertThat(finallyBlocks[0]).isEqualTo(n);
        assertThat(laterAwaitsThatThrewAtOnce[0]).isEqualTo(n);
        for (Thread t : threads) {
            t.join(SECONDS.toMillis(10));
        }
        assertThat(threads).hasSize(n).noneMatch(Thread::isAlive);
    }

    @Test
    void closedLoop_retainsNoThreadOfItsBodies_evenWhileTheAwaitedPromiseIsStillReachable() throws Exception {
        int n = 1_000;
        EventLoop loop = EventLoop.builder().daemon(true).start();
        Deferred<String> never = loop.withResolvers(); // stays reachable below: it holds every body as a reaction
        List<WeakReference<Thread>> threads = new ArrayList<>();
        CountDownLatch allSuspended = new CountDownLatch(1);
        loop.execute(() -> {
            for (int i = 0; i < n; i++) {
                async(() -> {
                    threads.add(new WeakReference<>(Thread.currentThread()));
                    await(never.promise());
                });
            }
            allSuspended.countDown();
        });
        assertThat(allSuspended.await(10, SECONDS)).isTrue();
        loop.close();

        assertThat(threads).hasSize(n);
        assertThat(survivorsAfterGc(threads)).as("body threads still reachable after close and GC").isZero();
        assertThat(never.promise().isRejected()).isTrue();
    }

    @Test
    void bodiesThatEnded_areNotRetainedByTheirLiveLoop() throws Exception {
        int n = 1_000;
        try (EventLoop loop = EventLoop.builder().daemon(true).start()) {
            List<WeakReference<Thread>> threads = new ArrayList<>();
            List<WeakReference<Object>> bodies = new ArrayList<>();
            Promise<Void> done = async(loop, () -> {
                List<Promise<Void>> all = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    Object token = new Object(); // retained by the body's code while it runs
                    bodies.add(new WeakReference<>(token));
                    all.add(async(() -> {
                        threads.add(new WeakReference<>(Thread.currentThread()));
                        await(Promise.resolve(token));
                    }));
                }
                await(Promise.all(all));
            });
            await(done);
            assertThat(threads).hasSize(n);
            assertThat(survivorsAfterGc(threads)).as("threads of ended bodies still reachable").isZero();
            assertThat(survivorsAfterGc(bodies)).as("values held by ended bodies still reachable").isZero();
        }
    }

    @Test
    void runMode_aBodyAwaitingWhatNeverSettles_doesNotKeepTheLoopAlive_andIsEndedWhenRunReturns() {
        List<Object> log = new ArrayList<>();
        AtomicInteger finallyRan = new AtomicInteger();
        List<Promise<Object>> body = new ArrayList<>();
        EventLoop.run(() -> {
            Deferred<Object> never = Promise.withResolvers();
            body.add(async(() -> {
                try {
                    return await(never.promise());
                } finally {
                    finallyRan.incrementAndGet();
                }
            }));
            log.add("main done");
        });
        assertThat(log).containsExactly("main done");
        assertThat(finallyRan.get()).isEqualTo(1);
        assertThat(body.get(0).peek()).hasValueSatisfying(s ->
                assertThat(((Settled.Rejected<Object>) s).reason()).isInstanceOf(EventLoopClosedException.class));
    }

    @Test
    void closeFromInsideABody_letsTheClosingCheckpointRun_thenEndsTheBodyAtItsNextAwait() {
        List<String> log = new ArrayList<>();
        EventLoop.run(() -> {
            EventLoop loop = EventLoop.current();
            loop.setTimeout(() -> log.add("timer never runs"), 50);
            async(() -> {
                loop.close(); // from the body: returns at once, as from any callback of the loop
                log.add("body goes on after close()");
                await(Promise.resolve(null)); // resumes in the closing checkpoint, as a handler would run
                log.add("resumed in the closing checkpoint");
                try {
                    Deferred<Object> later = Promise.withResolvers();
                    loop.setTimeout(() -> later.resolve(null), 1);
                    await(later.promise());
                } catch (EventLoopClosedException e) {
                    log.add("await threw: " + e.getMessage());
                }
            });
        });
        assertThat(log).containsExactly("body goes on after close()", "resumed in the closing checkpoint",
                "await threw: event loop 'main' closed while this async body was suspended in await");
    }

    @Test
    void closingBodyThatStartsAnotherBody_endsThatOneToo() {
        List<String> log = new ArrayList<>();
        EventLoop.run(() -> {
            Deferred<Object> never = Promise.withResolvers();
            async(() -> {
                try {
                    await(never.promise());
                } finally {
                    async(() -> {
                        log.add("cleanup body starts");
                        try {
                            await(Promise.resolve(null));
                        } catch (EventLoopClosedException e) {
                            log.add("cleanup body's await threw at once");
                        }
                    });
                }
            });
        });
        assertThat(log).containsExactly("cleanup body starts", "cleanup body's await threw at once");
    }
}
