package dev.eventual;

import static dev.eventual.Async.async;
import static dev.eventual.Async.await;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** AsyncLocal: a value seen by everything registered inside run(...), wherever it runs, and by nothing else. */
class AsyncLocalTest {
    private static final AsyncLocal<String> REQUEST = AsyncLocal.named("request");
    private static final AsyncLocal<Integer> USER = AsyncLocal.named("user");

    @Test
    void get_isNullOutsideRun_theValueInside_andTheOuterValueIsBackAfter_evenWhenTheBodyThrows() {
        assertThat(REQUEST.get()).isNull();
        assertThat(REQUEST.isBound()).isFalse();
        assertThat(REQUEST.orElse("none")).isEqualTo("none");
        REQUEST.run("outer", () -> {
            assertThat(REQUEST.get()).isEqualTo("outer");
            assertThat(REQUEST.call("inner", REQUEST::get)).isEqualTo("inner");
            assertThatThrownBy(() -> REQUEST.run("failing", () -> {
                throw new IllegalStateException("body failed");
            })).hasMessage("body failed");
            assertThat(REQUEST.get()).isEqualTo("outer");
            assertThat(USER.get()).as("another AsyncLocal").isNull();
            USER.run(7, () -> assertThat(REQUEST.get() + USER.get()).isEqualTo("outer7"));
        });
        assertThat(REQUEST.get()).isNull();
        assertThatThrownBy(() -> REQUEST.run(null, () -> {})).isInstanceOf(NullPointerException.class).hasMessage("value");
        assertThat(REQUEST).hasToString("AsyncLocal[request]");
    }

    @Test
    void promiseHandlersRegisteredInsideRun_seeTheValueWhenTheyRunLater_thoseRegisteredOutsideDoNot() {
        List<String> log = new ArrayList<>();
        EventLoop.run(() -> {
            Deferred<String> ok = Promise.withResolvers();
            Deferred<String> bad = Promise.withResolvers();
            ok.promise().thenAccept(v -> log.add("outside: " + REQUEST.get()));
            REQUEST.run("r1", () -> {
                ok.promise().then(v -> log.add("then: " + REQUEST.get()));
                ok.promise().thenAccept(v -> log.add("thenAccept: " + REQUEST.get()));
                ok.promise().thenCompose(v -> {
                    log.add("thenCompose: " + REQUEST.get());
                    return Promise.resolve(v);
                });
                ok.promise().then(v -> log.add("then(ok, err) ok: " + REQUEST.get()), e -> false);
                ok.promise().lastly(() -> log.add("lastly: " + REQUEST.get()));
                ok.promise().asCallback((e, v) -> log.add("asCallback: " + REQUEST.get()));
                bad.promise().caught(e -> String.valueOf(log.add("caught: " + REQUEST.get())));
                bad.promise().caught(IllegalStateException.class, e -> String.valueOf(log.add("caught(type): " + REQUEST.get())));
                bad.promise().then(v -> false, e -> log.add("then(ok, err) err: " + REQUEST.get()));
            });
            bad.promise().caught(e -> String.valueOf(log.add("outside caught: " + REQUEST.get())));
            ok.resolve("v"); // settled outside run: what counts is where the handler was registered
            bad.reject(new IllegalStateException("no"));
        });
        assertThat(log).containsExactly("outside: null", "then: r1", "thenAccept: r1", "thenCompose: r1",
                "then(ok, err) ok: r1", "lastly: r1", "asCallback: r1", "caught: r1", "caught(type): r1",
                "then(ok, err) err: r1", "outside caught: null");
    }

    @Test
    void timersMicrotasksAndTasks_registeredInsideRun_seeTheValue_everyRunOfAnIntervalToo() {
        List<String> log = new ArrayList<>();
        EventLoop.run(() -> {
            EventLoop loop = EventLoop.current();
            REQUEST.run("r2", () -> {
                loop.setTimeout(() -> log.add("timeout: " + REQUEST.get()), 1);
                loop.queueMicrotask(() -> log.add("microtask: " + REQUEST.get()));
                loop.execute(() -> log.add("task: " + REQUEST.get()));
                loop.submit(() -> log.add("submit: " + REQUEST.get()));
                int[] runs = {0};
                Timeout[] interval = new Timeout[1];
                interval[0] = loop.setInterval(() -> {
                    log.add("interval: " + REQUEST.get());
                    if (++runs[0] == 2) {
                        interval[0].cancel();
                    }
                }, 2);
            });
            loop.setTimeout(() -> log.add("outside timeout: " + REQUEST.get()), 1);
            loop.queueMicrotask(() -> log.add("outside microtask: " + REQUEST.get()));
        });
        assertThat(log).containsExactlyInAnyOrder("microtask: r2", "outside microtask: null", "task: r2",
                "submit: r2", "timeout: r2", "outside timeout: null", "interval: r2", "interval: r2");
    }

    @Test
    void asyncBody_seesTheValueOfItsAsyncCall_acrossEveryAwait_andCallbacksItRegistersSeeItToo() {
        List<String> log = new ArrayList<>();
        EventLoop.run(() -> {
            REQUEST.run("r3", () -> async(() -> {
                log.add("prefix: " + REQUEST.get());
                await(Promise.resolve(null));
                log.add("after a microtask: " + REQUEST.get());
                Deferred<Void> timer = Promise.withResolvers();
                EventLoop.current().setTimeout(() -> {
                    log.add("its timer: " + REQUEST.get());
                    timer.resolve(null);
                }, 2);
                await(timer.promise());
                log.add("after a timer: " + REQUEST.get());
            }));
            async(() -> log.add("body started outside run: " + REQUEST.get()));
        });
        assertThat(log).containsExactly("prefix: r3", "body started outside run: null", "after a microtask: r3",
                "its timer: r3", "after a timer: r3");
    }

    @Test
    void runInsideABody_scopesTheValueAcrossItsAwaits_andTheLoopDoesNotSeeItMeanwhile() {
        List<String> log = new ArrayList<>();
        EventLoop.run(() -> {
            async(() -> {
                REQUEST.run("in body", () -> {
                    await(Promise.resolve(null));
                    log.add("body after await, inside run: " + REQUEST.get());
                });
                log.add("body after run: " + REQUEST.get());
            });
            log.add("loop while the body is suspended inside run: " + REQUEST.get());
        });
        assertThat(log).containsExactly("loop while the body is suspended inside run: null",
                "body after await, inside run: in body", "body after run: null");
    }

    @Test
    void interleavedBodies_eachSeeOnlyTheirOwnValue_atEveryStep() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        int bodies = 200;
        int steps = 10;
        int[][] delays = new int[bodies][steps];
        for (int[] d : delays) {
            for (int s = 0; s < steps; s++) {
                d[s] = random.nextInt(4); // 0: a microtask turn, else a timer of that many ms
            }
        }
        List<String> wrong = new ArrayList<>();
        int[] checks = {0};
        EventLoop.run(() -> {
            EventLoop loop = EventLoop.current();
            for (int b = 0; b < bodies; b++) {
                int id = b;
                USER.run(id, () -> async(() -> {
                    for (int s = 0; s < steps; s++) {
                        Deferred<Void> step = Promise.withResolvers();
                        if (delays[id][s] == 0) {
                            loop.queueMicrotask(() -> step.resolve(null));
                        } else {
                            loop.setTimeout(() -> step.resolve(null), delays[id][s]);
                        }
                        await(step.promise().thenAccept(v -> {
                            if (!Integer.valueOf(id).equals(USER.get())) {
                                wrong.add("handler of body " + id + " saw " + USER.get());
                            }
                        }));
                        checks[0]++;
                        if (!Integer.valueOf(id).equals(USER.get())) {
                            wrong.add("body " + id + " saw " + USER.get() + " at step " + s);
                        }
                    }
                }));
            }
            loop.setTimeout(() -> {
                if (USER.get() != null) {
                    wrong.add("a timer set outside every run saw " + USER.get());
                }
            }, 2);
        });
        assertThat(wrong).as("seed %d", seed).isEmpty();
        assertThat(checks[0]).isEqualTo(bodies * steps);
    }

    @Test
    void valueBoundOnAThreadOfNoLoop_followsTheTaskItHandsToALoop() throws Exception {
        try (EventLoop loop = EventLoop.builder().daemon(true).start()) {
            AtomicReference<String> seen = new AtomicReference<>();
            AtomicReference<String> seenByBody = new AtomicReference<>();
            CountDownLatch ran = new CountDownLatch(1);
            REQUEST.run("from main", () -> {
                loop.execute(() -> seen.set(REQUEST.get()));
                async(loop, () -> {
                    await(Promise.resolve(null));
                    seenByBody.set(REQUEST.get());
                    ran.countDown();
                });
            });
            loop.execute(() -> {
                if (REQUEST.get() != null) {
                    seen.set("leaked into a task registered outside: " + REQUEST.get());
                }
            });
            assertThat(ran.await(10, SECONDS)).isTrue();
            assertThat(seen.get()).isEqualTo("from main");
            assertThat(seenByBody.get()).isEqualTo("from main");
        }
    }
}
