package dev.eventual;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Rule 1 (one thread), rule 7 (the loop ends when the work ends) and closing. */
class EventLoopTest {

    @Test
    void run_returnsWhenNoWorkIsLeft_afterAllTimersAndChains() {
        List<String> log = new ArrayList<>();
        EventLoop.run(() -> EventLoop.current().setTimeout(
                () -> Promise.resolve("x").thenAccept(v -> EventLoop.current().setTimeout(() -> log.add("last"), 2)), 2));
        assertThat(log).containsExactly("last");
    }

    @Test
    void run_doesNotWaitForAnUnrefdTimer_butAReferencedOneKeepsItAlive() {
        AtomicInteger fired = new AtomicInteger();
        EventLoop.run(() -> {
            Timeout t = EventLoop.current().setTimeout(fired::incrementAndGet, 60_000).unref();
            assertThat(t.hasRef()).isFalse();
            assertThat(t.isActive()).isTrue();
        });
        assertThat(fired.get()).isZero();

        EventLoop.run(() -> EventLoop.current().setTimeout(fired::incrementAndGet, 5).unref().ref());
        assertThat(fired.get()).isEqualTo(1);
    }

    @Test
    void keepAlive_keepsRunAliveUntilReleased_andWorkFromOtherThreadsRunsOnTheLoop() {
        List<String> log = new ArrayList<>();
        AtomicReference<Thread> loopThread = new AtomicReference<>();
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        EventLoop.run(() -> {
            EventLoop loop = EventLoop.current();
            loopThread.set(Thread.currentThread());
            KeepAlive alive = loop.keepAlive();
            Thread.ofPlatform().start(() -> loop.execute(() -> {
                ranOn.set(Thread.currentThread());
                log.add("from another thread");
                alive.close();
                alive.close(); // idempotent
            }));
        });
        assertThat(log).containsExactly("from another thread");
        assertThat(ranOn.get()).isSameAs(loopThread.get());
    }

    @Test
    void promiseFromACompletableFuture_keepsRunAlive_andDeliversOnTheLoopThread() {
        AtomicReference<String> value = new AtomicReference<>();
        AtomicReference<Thread> loopThread = new AtomicReference<>();
        AtomicReference<Thread> deliveredOn = new AtomicReference<>();
        EventLoop.run(() -> {
            loopThread.set(Thread.currentThread());
            CompletableFuture<String> future = new CompletableFuture<>();
            Thread.ofPlatform().start(() -> future.complete("from elsewhere"));
            Promise.from(future).thenAccept(v -> {
                deliveredOn.set(Thread.currentThread());
                value.set(v);
            });
        });
        assertThat(value.get()).isEqualTo("from elsewhere");
        assertThat(deliveredOn.get()).isSameAs(loopThread.get());
    }

    @Test
    void close_rejectsPendingPromises_andTellsWaitersOutsideTheLoop() throws Exception {
        EventLoop loop = EventLoop.builder().name("closing").daemon(true).start();
        Deferred<String> pending = loop.withResolvers();
        Promise<String> derived = pending.promise().then(v -> v + "!");
        CompletableFuture<String> waiter = derived.toCompletableFuture();

        loop.close();

        assertThat(loop.isClosed()).isTrue();
        assertThat(pending.promise().state()).isEqualTo(Promise.State.REJECTED);
        assertThat(pending.promise().peek()).hasValueSatisfying(s -> assertThat(((Settled.Rejected<String>) s).reason())
                .isInstanceOf(EventLoopClosedException.class).hasMessageContaining("'closing'"));
        assertThat(pending.tryResolve("too late")).isFalse();
        assertThatThrownBy(() -> waiter.get(10, SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(EventLoopClosedException.class);
        assertThat(loop.terminationFuture()).isCompleted();
    }

    @Test
    void toCompletableFuture_registeredAfterClose_completesExceptionallyAtOnce() throws Exception {
        EventLoop loop = EventLoop.builder().daemon(true).start();
        Deferred<Integer> pending = loop.withResolvers();
        loop.close();
        assertThatThrownBy(() -> pending.promise().toCompletableFuture().get(10, SECONDS))
                .hasCauseInstanceOf(EventLoopClosedException.class);
    }

    @Test
    void executeAfterClose_isRefused() {
        EventLoop loop = EventLoop.builder().name("refusing").daemon(true).start();
        loop.close();
        assertThatThrownBy(() -> loop.execute(() -> {})).isInstanceOf(RejectedExecutionException.class)
                .hasRootCauseInstanceOf(EventLoopClosedException.class).hasRootCauseMessage("execute refused: event loop 'refusing' is closed");
        assertThatThrownBy(() -> loop.setTimeout(() -> {}, 1)).isInstanceOf(RejectedExecutionException.class);
    }

    @Test
    void closeFromACallback_stopsAfterTheCurrentCheckpoint() {
        List<String> log = new ArrayList<>();
        EventLoop.run(() -> {
            EventLoop loop = EventLoop.current();
            loop.setTimeout(() -> log.add("never"), 50);
            Promise.resolve(1).thenAccept(v -> log.add("microtask of the closing task"));
            loop.close();
        });
        assertThat(log).containsExactly("microtask of the closing task");
    }

    @Test
    void mainThatThrows_isRethrownByRun_afterTheLoopClosed() {
        IllegalStateException boom = new IllegalStateException("main failed");
        assertThatThrownBy(() -> EventLoop.run(() -> { throw boom; })).isSameAs(boom);
    }

    @Test
    void callbacksOfOneLoop_neverRunConcurrently() throws Exception {
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(4 * 10_000);
        try (EventLoop loop = EventLoop.builder().daemon(true).start()) {
            Runnable body = () -> {
                if (inside.incrementAndGet() != 1) {
                    overlaps.incrementAndGet();
                }
                inside.decrementAndGet();
                done.countDown();
            };
            List<Thread> producers = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                producers.add(Thread.ofPlatform().start(() -> {
                    for (int i = 0; i < 10_000; i++) {
                        if (i % 2 == 0) {
                            loop.execute(body);
                        } else {
                            loop.withResolvers().promise().thenAccept(v -> body.run());
                            Deferred<Object> d = loop.withResolvers();
                            d.promise().thenAccept(v -> body.run());
                            d.resolve(i);
                            done.countDown(); // the first of the two promises above never settles
                        }
                    }
                }));
            }
            for (Thread p : producers) {
                p.join();
            }
            assertThat(done.await(30, SECONDS)).isTrue();
        }
        assertThat(overlaps.get()).isZero();
    }

    @Test
    void timers_ofTheLongestDelays_areNotDueAtOnce_onTheLoopOrFromAnotherThread() throws Exception {
        List<String> log = new ArrayList<>();
        EventLoop.run(() -> {
            EventLoop loop = EventLoop.current();
            Timeout never = loop.setTimeout(() -> log.add("Long.MAX_VALUE"), Long.MAX_VALUE);
            Timeout centuries = loop.setTimeout(() -> log.add("Long.MAX_VALUE / 2"), Long.MAX_VALUE / 2);
            loop.setTimeout(() -> {
                log.add("2 ms");
                never.cancel();
                centuries.cancel();
            }, 2);
        });
        assertThat(log).containsExactly("2 ms");

        List<String> fromOutside = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (EventLoop loop = EventLoop.builder().daemon(true).start()) {
            Timeout never = loop.setTimeout(() -> fromOutside.add("Long.MAX_VALUE"), Long.MAX_VALUE);
            CountDownLatch shortOne = new CountDownLatch(1);
            loop.setTimeout(() -> {
                fromOutside.add("2 ms");
                shortOne.countDown();
            }, 2);
            assertThat(shortOne.await(10, SECONDS)).isTrue();
            assertThat(never.isActive()).isTrue();
            never.cancel();
        }
        assertThat(fromOutside).containsExactly("2 ms");
    }

    @Test
    void timerCancelledFromAnotherThread_neverRuns() throws Exception {
        AtomicInteger ran = new AtomicInteger();
        try (EventLoop loop = EventLoop.builder().daemon(true).start()) {
            Timeout timer = loop.setTimeout(ran::incrementAndGet, 200);
            Thread.ofPlatform().start(timer::cancel).join();
            assertThat(timer.isActive()).isFalse();
            CountDownLatch later = new CountDownLatch(1);
            loop.setTimeout(later::countDown, 300);
            assertThat(later.await(10, SECONDS)).isTrue();
        }
        assertThat(ran.get()).isZero();
    }

    @Test
    void group_spreadsWorkRoundRobin_andClosesEveryLoop() throws Exception {
        EventLoopGroup group = EventLoopGroup.start("pool", 3);
        assertThat(group.loops()).extracting(EventLoop::name).containsExactly("pool-0", "pool-1", "pool-2");
        assertThat(List.of(group.next(), group.next(), group.next(), group.next()))
                .extracting(EventLoop::name).containsExactly("pool-0", "pool-1", "pool-2", "pool-0");
        CountDownLatch ran = new CountDownLatch(3);
        for (EventLoop loop : group.loops()) {
            loop.execute(() -> {
                if (loop.inEventLoop()) {
                    ran.countDown();
                }
            });
        }
        assertThat(ran.await(10, SECONDS)).isTrue();
        group.close();
        assertThat(group.loops()).allMatch(EventLoop::isClosed);
        assertThatThrownBy(() -> EventLoopGroup.start("x", 0)).hasMessage("size must be >= 1: 0");
    }
}
