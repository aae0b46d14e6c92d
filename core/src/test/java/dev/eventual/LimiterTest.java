package dev.eventual;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Limiter: the cap, the queue, cancellation of queued and running tasks, the signal, progress,
 * threads. Its p-limit semantics are tested against the real package in
 * the testkit module's {@code ordering.LimiterNodeTest}; this class tests what JavaScript has no counterpart for.
 */
class LimiterTest {
    private static final Duration LONG = Duration.ofSeconds(60);

    private static void runPromptly(Runnable main) {
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> EventLoop.builder()
                .unhandledRejections(UnhandledRejectionPolicy.THROW).run(main),
                "EventLoop.run did not return: a limiter left work keeping the loop alive");
    }

    /** A task whose promise the test settles by hand, counting how often it was started. */
    private static final class Manual {
        final List<Deferred<String>> started = new ArrayList<>();

        Promise<String> start() {
            Deferred<String> d = Promise.withResolvers();
            started.add(d);
            return d.promise();
        }
    }

    @Nested
    class Cap {
        @Test
        void neverMoreThanConcurrencyActive_underARandomSchedule_andAllFinishInOrderOfTheirValues() {
            long seed = new SplittableRandom().nextLong();
            SplittableRandom random = new SplittableRandom(seed);
            AtomicInteger inFlight = new AtomicInteger();
            AtomicInteger most = new AtomicInteger();
            List<Integer> values = new ArrayList<>();
            runPromptly(() -> {
                Limiter limit = Limiter.of(3);
                List<Promise<Integer>> all = new ArrayList<>();
                for (int i = 0; i < 60; i++) {
                    int n = i;
                    long ms = random.nextInt(4);
                    all.add(limit.run(() -> {
                        most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                        assertThat(limit.active()).isLessThanOrEqualTo(3);
                        return Promise.delay(Duration.ofMillis(ms)).then(v -> {
                            inFlight.decrementAndGet();
                            return n;
                        });
                    }));
                }
                Promise.all(all).thenAccept(values::addAll);
            });
            assertThat(most.get()).as("most tasks in flight at once (seed %d)", seed).isEqualTo(3);
            assertThat(values).as("seed %d", seed).hasSize(60).isSorted();
        }

        @Test
        void tasksStartInCallOrder_asSlotsFree_neverInsideRun() {
            Manual m = new Manual();
            List<String> log = new ArrayList<>();
            runPromptly(() -> {
                Limiter limit = Limiter.of(2);
                for (String name : List.of("a", "b", "c", "d")) {
                    limit.run(() -> {
                        log.add("start " + name);
                        return m.start();
                    }).thenAccept(v -> log.add("done " + v));
                }
                log.add("after run " + m.started.size());
                Promise.delay(Duration.ofMillis(1)).thenAccept(v -> {
                    log.add("started " + m.started.size() + ", active " + limit.active() + ", pending " + limit.pending());
                    m.started.get(1).resolve("b");
                }).thenCompose(v -> Promise.delay(Duration.ofMillis(1))).thenAccept(v -> {
                    m.started.get(0).resolve("a");
                    m.started.get(2).resolve("c");
                }).thenCompose(v -> Promise.delay(Duration.ofMillis(1))).thenAccept(v -> {
                    m.started.get(3).resolve("d");
                });
            });
            assertThat(log).containsExactly("after run 0", "start a", "start b", "started 2, active 2, pending 2",
                    "start c", "done b", "start d", "done a", "done c", "done d");
        }

        @Test
        void aTaskReturningNull_rejectsWithANullPointerException_andGivesItsSlotBack() {
            AtomicReference<Throwable> reason = new AtomicReference<>();
            List<String> log = new ArrayList<>();
            runPromptly(() -> {
                Limiter limit = Limiter.of(1);
                limit.<String>run(() -> null).caught(e -> {
                    reason.set(e);
                    return null;
                });
                limit.run(() -> Promise.resolve("next")).thenAccept(log::add);
            });
            assertThat(reason.get()).isInstanceOf(NullPointerException.class).hasMessageContaining("returned null");
            assertThat(log).containsExactly("next");
        }

        @Test
        void badArguments_areRefused_showingTheValue() {
            runPromptly(() -> {
                assertThatThrownBy(() -> Limiter.of(0)).hasMessage("concurrency must be >= 1: 0");
                assertThatThrownBy(() -> Limiter.of(1).run(null)).hasMessage("task");
            });
            assertThatThrownBy(() -> Limiter.of(1)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("Limiter.of");
        }
    }

    @Nested
    class Cancellation {
        @Test
        void cancellingAQueuedTask_removesIt_itsTaskIsNeverCalled_andTheOthersRunInOrder() {
            List<String> log = new ArrayList<>();
            runPromptly(() -> {
                Limiter limit = Limiter.of(1);
                Promise<String> a = limit.run(() -> Promise.delay(Duration.ofMillis(5)).then(v -> "a"));
                Promise<String> b = limit.run(() -> {
                    log.add("b started");
                    return Promise.resolve("b");
                });
                Promise<String> c = limit.run(() -> Promise.resolve("c"));
                log.add("pending before " + limit.pending());
                assertThat(b.cancel()).isTrue();
                log.add("pending after " + limit.pending() + ", settled " + limit.settled());
                Promise.allSettled(a, b, c).thenAccept(rs -> rs.forEach(r -> log.add(String.valueOf(
                        r instanceof Settled.Fulfilled<?> f ? f.value() : ((Settled.Rejected<?>) r).reason().getClass().getSimpleName()))));
            });
            assertThat(log).containsExactly("pending before 2", "pending after 1, settled 1", "a",
                    "CancellationException", "c");
        }

        @Test
        void cancellingARunningTask_cancelsItsWork_andGivesTheSlotBackAtOnce() {
            AtomicReference<Promise<Void>> work = new AtomicReference<>();
            List<String> log = new ArrayList<>();
            runPromptly(() -> {
                Limiter limit = Limiter.of(1);
                Promise<Void> running = limit.run(() -> {
                    work.set(Promise.delay(LONG));
                    return work.get();
                });
                limit.run(() -> {
                    log.add("next started, active " + limit.active());
                    return Promise.resolve(null);
                });
                Promise.delay(Duration.ofMillis(1)).thenAccept(v -> {
                    running.cancel();
                    log.add("after cancel: active " + limit.active() + ", work " + work.get().state());
                });
            });
            assertThat(log).containsExactly("after cancel: active 1, work REJECTED", "next started, active 1");
        }

        @Test
        void clearQueue_rejectsTheQueuedWithAHandledCancellation_andLeavesTheRunningOne() {
            List<String> log = new ArrayList<>();
            Manual m = new Manual();
            runPromptly(() -> {
                Limiter limit = Limiter.of(1);
                Promise<String> first = limit.run(m::start);
                Promise<String> queued = limit.run(m::start);
                Promise.delay(Duration.ofMillis(1)).thenAccept(v -> {
                    limit.clearQueue();
                    log.add("cleared: pending " + limit.pending() + ", active " + limit.active());
                    log.add("queued " + queued.state());
                    m.started.get(0).resolve("first");
                });
                first.thenAccept(log::add);
                // No handler on `queued`: under THROW, an unhandled rejection would fail run().
            });
            assertThat(log).containsExactly("cleared: pending 0, active 1", "queued REJECTED", "first");
            assertThat(m.started).hasSize(1);
        }
    }

    @Nested
    class Signal {
        @Test
        void abort_rejectsQueuedTasksWithTheReason_laterRunsAtOnce_andTheRunningTaskFinishes() {
            List<String> log = new ArrayList<>();
            AtomicInteger calls = new AtomicInteger();
            runPromptly(() -> {
                AbortController c = new AbortController();
                Limiter limit = Limiter.of(1, c.signal());
                IllegalStateException why = new IllegalStateException("deadline");
                for (int i = 0; i < 3; i++) {
                    int n = i;
                    limit.run(() -> {
                        calls.incrementAndGet();
                        return Promise.delay(Duration.ofMillis(5)).then(v -> "task " + n);
                    }).then(v -> log.add("ok " + v), e -> log.add("rejected " + (e == why)));
                }
                Promise.delay(Duration.ofMillis(1)).thenAccept(v -> {
                    c.abort(why);
                    log.add("aborted: pending " + limit.pending() + ", active " + limit.active());
                    limit.run(() -> {
                        calls.incrementAndGet();
                        return Promise.resolve("late");
                    }).then(x -> log.add("late ran"), e -> log.add("late rejected " + (e == why)));
                });
            });
            assertThat(log).containsExactly("aborted: pending 0, active 1", "rejected true", "rejected true",
                    "late rejected true", "ok task 0");
            assertThat(calls.get()).isEqualTo(1);
        }

        @Test
        void anAlreadyAbortedSignal_rejectsEveryTaskWithoutCallingIt() {
            AtomicInteger calls = new AtomicInteger();
            AtomicReference<Throwable> reason = new AtomicReference<>();
            runPromptly(() -> Limiter.of(2, AbortSignal.abort()).run(() -> {
                calls.incrementAndGet();
                return Promise.resolve(1);
            }).caught(e -> {
                reason.set(e);
                return 0;
            }));
            assertThat(calls.get()).isZero();
            assertThat(reason.get()).isInstanceOf(CancellationException.class);
        }
    }

    @Nested
    class Progress {
        @Test
        void onChange_reportsTheCountsWithoutPolling_oncePerTurnOfChanges() {
            List<String> log = new ArrayList<>();
            runPromptly(() -> {
                Limiter limit = Limiter.of(2);
                limit.onChange(() -> log.add(limit.active() + " active, " + limit.pending() + " queued, "
                        + limit.settled() + " settled"));
                for (int i = 0; i < 4; i++) {
                    int ms = (i + 1) * 5;
                    limit.run(() -> Promise.delay(Duration.ofMillis(ms)));
                }
            });
            assertThat(log).containsExactly("2 active, 2 queued, 0 settled", "2 active, 1 queued, 1 settled",
                    "2 active, 0 queued, 2 settled", "1 active, 0 queued, 3 settled", "0 active, 0 queued, 4 settled");
        }

        @Test
        void aThrowingListener_goesToTheTaskErrorHandler_andTheOthersStillRun() {
            List<String> log = new ArrayList<>();
            List<Throwable> errors = new ArrayList<>();
            assertTimeoutPreemptively(Duration.ofSeconds(30), () -> EventLoop.builder().onTaskError(errors::add).run(() -> {
                Limiter limit = Limiter.of(1);
                limit.onChange(() -> {
                    throw new IllegalStateException("listener broke");
                });
                limit.onChange(() -> log.add("settled " + limit.settled()));
                limit.run(() -> Promise.resolve(1));
            }));
            assertThat(log).containsExactly("settled 0", "settled 1");
            assertThat(errors).hasSize(2).allSatisfy(e -> assertThat(e).hasMessage("listener broke"));
        }
    }

    @Nested
    class Threads {
        @Test
        void runFromAnotherThread_isHandedToTheLoop_andTheTaskRunsOnTheLoopThread() throws Exception {
            AtomicReference<Limiter> limiter = new AtomicReference<>();
            CompletableFuture<String> taskThread = new CompletableFuture<>();
            CompletableFuture<String> result = new CompletableFuture<>();
            EventLoop loop = EventLoop.start("limiter-loop");
            try {
                loop.execute(() -> limiter.set(Limiter.of(1)));
                while (limiter.get() == null) {
                    Thread.onSpinWait();
                }
                Promise<String> p = limiter.get().run(() -> {
                    taskThread.complete(Thread.currentThread().getName());
                    return Promise.resolve("from the loop");
                });
                p.toCompletableFuture().whenComplete((v, e) -> result.complete(v));
                assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo("from the loop");
                assertThat(taskThread.get(10, TimeUnit.SECONDS)).isEqualTo("limiter-loop");
                assertThatThrownBy(() -> limiter.get().active()).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("Limiter.active()").hasMessageContaining("limiter-loop");
            } finally {
                loop.close();
            }
        }

        @Test
        void manyThreadsRunningTasksAtOnce_allRunOnTheLoop_underTheCap_andAllSettle() throws Exception {
            int threads = 8;
            int perThread = 500;
            AtomicReference<Limiter> limiter = new AtomicReference<>();
            AtomicInteger inFlight = new AtomicInteger();
            AtomicInteger most = new AtomicInteger();
            AtomicInteger offLoop = new AtomicInteger();
            EventLoop loop = EventLoop.start("limiter-stress");
            try {
                CompletableFuture<Void> made = new CompletableFuture<>();
                loop.execute(() -> {
                    limiter.set(Limiter.of(4));
                    made.complete(null);
                });
                made.get(10, TimeUnit.SECONDS);
                List<CompletableFuture<Integer>> results = java.util.Collections.synchronizedList(new ArrayList<>());
                java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
                List<Thread> workers = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    workers.add(Thread.ofPlatform().start(() -> {
                        try {
                            go.await();
                        } catch (InterruptedException e) {
                            return;
                        }
                        for (int i = 0; i < perThread; i++) {
                            int n = i;
                            results.add(limiter.get().run(() -> {
                                if (!Thread.currentThread().getName().equals("limiter-stress")) {
                                    offLoop.incrementAndGet();
                                }
                                most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                                return Promise.delay(Duration.ofMillis(n % 2)).then(v -> {
                                    inFlight.decrementAndGet();
                                    return n;
                                });
                            }).toCompletableFuture());
                        }
                    }));
                }
                go.countDown();
                for (Thread w : workers) {
                    w.join(30_000);
                }
                CompletableFuture.allOf(results.toArray(new CompletableFuture<?>[0])).get(30, TimeUnit.SECONDS);
                assertThat(results).hasSize(threads * perThread);
                assertThat(offLoop.get()).as("tasks run off the loop thread").isZero();
                assertThat(most.get()).as("most tasks in flight at once").isBetween(1, 4);
                CompletableFuture<String> counts = new CompletableFuture<>();
                loop.execute(() -> counts.complete(limiter.get().active() + " " + limiter.get().pending() + " "
                        + limiter.get().settled()));
                assertThat(counts.get(10, TimeUnit.SECONDS)).isEqualTo("0 0 " + threads * perThread);
            } finally {
                loop.close();
            }
        }

        @Test
        void aTaskRunsInTheAsyncLocalContextOfItsRunCall() {
            AsyncLocal<String> requestId = AsyncLocal.named("requestId");
            List<String> log = new ArrayList<>();
            runPromptly(() -> {
                Limiter limit = Limiter.of(1);
                limit.run(() -> Promise.delay(Duration.ofMillis(2)));
                for (String id : List.of("r1", "r2")) {
                    requestId.run(id, () -> limit.run(() -> {
                        log.add(id + " sees " + requestId.get());
                        return Promise.resolve(null);
                    }));
                }
            });
            assertThat(log).containsExactly("r1 sees r1", "r2 sees r2");
        }

        @Test
        void aTaskWhosePromiseBelongsToAnotherLoop_keepsThisLoopRunningUntilItsResultArrives() throws Exception {
            EventLoop other = EventLoop.start("other-loop");
            try {
                List<String> log = new ArrayList<>();
                runPromptly(() -> {
                    Limiter limit = Limiter.of(1);
                    limit.run(() -> other.resolved(null).thenCompose(v -> Promise.delay(Duration.ofMillis(20)))
                            .then(v -> "from the other loop")).thenAccept(log::add);
                    Promise.map(List.of(1, 2), 2, n -> other.resolved(n).thenCompose(v ->
                            Promise.delay(Duration.ofMillis(20)).then(x -> v * 10))).thenAccept(v -> log.add("map " + v));
                });
                assertThat(log).containsExactlyInAnyOrder("from the other loop", "map [10, 20]");
            } finally {
                other.close();
            }
        }

        @Test
        void runAfterTheLoopClosed_rejectsWithEventLoopClosedException() {
            AtomicReference<Limiter> limiter = new AtomicReference<>();
            EventLoop.run(() -> limiter.set(Limiter.of(1)));
            Promise<String> p = limiter.get().run(() -> Promise.resolve("never"));
            assertThatThrownBy(() -> p.toCompletableFuture().get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(EventLoopClosedException.class);
        }
    }
}
