package dev.eventual;

import static dev.eventual.Async.async;
import static dev.eventual.Async.await;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Rule 8: async bodies, await, their order, their failures and their threads. */
class AsyncTest {

    static <T> Promise<T> delay(long ms, T value) {
        Deferred<T> d = Promise.withResolvers();
        EventLoop.current().setTimeout(() -> d.resolve(value), ms);
        return d.promise();
    }

    @Test
    void async_runsTheBodyInsideTheCallUntilItsFirstAwait_thenReturns() {
        List<String> log = new ArrayList<>();
        EventLoop.run(() -> {
            log.add("before");
            Promise<String> p = async(() -> {
                log.add("body: synchronous prefix");
                String v = await(Promise.resolve("x"));
                log.add("body: resumed with " + v);
                return v + "!";
            });
            log.add("async returned " + p.state());
            p.thenAccept(v -> log.add("fulfilled with " + v));
        });
        assertThat(log).containsExactly("before", "body: synchronous prefix", "async returned PENDING",
                "body: resumed with x", "fulfilled with x!");
    }

    @Test
    void async_bodyThatDoesNotAwait_returnsASettledPromise() {
        List<Object> log = new ArrayList<>();
        EventLoop.run(() -> {
            Promise<Integer> p = async(() -> 42);
            log.add(p.state());
            log.add(p.peek().orElseThrow());
            Promise<Void> v = async(() -> {
                log.add("void body ran");
            });
            log.add(v.state());
        });
        assertThat(log).containsExactly(Promise.State.FULFILLED, new Settled.Fulfilled<>(42), "void body ran",
                Promise.State.FULFILLED);
    }

    @Test
    void await_resumesAsAMicrotask_inTheTurnOfAThenRegisteredAtThatPoint() {
        List<String> log = new ArrayList<>();
        EventLoop.run(() -> {
            Promise<String> p = Promise.resolve("v");
            p.thenAccept(v -> log.add("then 1"));
            async(() -> {
                await(p);
                log.add("body resumed");
            });
            p.thenAccept(v -> log.add("then 2"));
            EventLoop.current().queueMicrotask(() -> log.add("microtask"));
            log.add("sync end");
        });
        assertThat(log).containsExactly("sync end", "then 1", "body resumed", "then 2", "microtask");
    }

    @Test
    void await_suspendsOnlyTheBody_theLoopRunsTimersAndOtherBodiesMeanwhile() {
        List<String> log = new ArrayList<>();
        EventLoop.run(() -> {
            async(() -> {
                log.add("slow starts");
                log.add("slow got " + await(delay(40, "late")));
            });
            async(() -> {
                log.add("fast starts");
                log.add("fast got " + await(delay(5, "early")));
            });
            EventLoop.current().setTimeout(() -> log.add("timer 20"), 20);
        });
        assertThat(log).containsExactly("slow starts", "fast starts", "fast got early", "timer 20", "slow got late");
    }

    @Test
    void insideABody_theApiBehavesAsOnTheLoopThread_onAVirtualThreadNamedAfterTheLoop() {
        AtomicReference<Thread> bodyThread = new AtomicReference<>();
        List<Object> log = new ArrayList<>();
        EventLoop.builder().name("demo").run(() -> {
            EventLoop loop = EventLoop.current();
            async(() -> {
                bodyThread.set(Thread.currentThread());
                log.add(EventLoop.current() == loop);
                log.add(loop.inEventLoop());
                loop.queueMicrotask(() -> log.add("microtask queued in the body"));
                Promise.resolve(1).thenAccept(v -> log.add("handler registered in the body"));
                await(Promise.resolve(null));
                log.add(EventLoop.current() == loop && loop.inEventLoop());
            });
        });
        assertThat(log).containsExactly(true, true, "microtask queued in the body", "handler registered in the body", true);
        assertThat(bodyThread.get().isVirtual()).isTrue();
        assertThat(bodyThread.get().getName()).isEqualTo("demo/async");
    }

    // ------------------------------------------------------------------ failures

    @Test
    void async_bodyThatThrows_rejectsItsPromise_evenBeforeItsFirstAwait_andDoesNotThrowFromAsync() {
        IllegalStateException early = new IllegalStateException("early");
        IOException late = new IOException("late, checked");
        List<Object> log = new ArrayList<>();
        EventLoop.run(() -> {
            Promise<Object> p1 = async(() -> {
                throw early;
            });
            log.add(p1.state());
            async(() -> {
                await(Promise.resolve(null));
                throw late;
            }).caught(e -> log.add(e));
            p1.caught(e -> log.add(e));
        });
        assertThat(log).containsExactly(Promise.State.REJECTED, early, late);
    }

    @Test
    void await_rejectedWithAnUncheckedReason_throwsThatSameException() {
        IllegalArgumentException reason = new IllegalArgumentException("bad");
        AtomicReference<Throwable> caught = new AtomicReference<>();
        EventLoop.run(() -> async(() -> {
            try {
                await(Promise.reject(reason));
            } catch (IllegalArgumentException e) {
                caught.set(e);
            }
        }));
        assertThat(caught.get()).isSameAs(reason);
    }

    @Test
    void await_rejectedWithACheckedReason_throwsAwaitException_whoseCauseIsTheOriginal() {
        IOException reason = new IOException("disk");
        AtomicReference<Throwable> caught = new AtomicReference<>();
        EventLoop.run(() -> async(() -> {
            try {
                await(Promise.reject(reason));
            } catch (AwaitException e) {
                caught.set(e.getCause());
            }
        }));
        assertThat(caught.get()).isSameAs(reason);
    }

    @Test
    void await_ofATimeoutSignalsAbort_throwsTheAsyncTimeoutExceptionItself_unwrapped() {
        AtomicReference<AbortSignal> signal = new AtomicReference<>();
        AtomicReference<Throwable> caught = new AtomicReference<>();
        EventLoop.run(() -> async(() -> {
            signal.set(AbortSignal.timeout(java.time.Duration.ofMillis(5)));
            try {
                await(Promise.delay(java.time.Duration.ofSeconds(30), signal.get()));
            } catch (AsyncTimeoutException e) {
                caught.set(e);
            }
        }));
        assertThat(caught.get()).isSameAs(signal.get().reason()).hasMessage("signal timed out after 5 ms");
        assertThat(((AsyncTimeoutException) caught.get()).name()).isEqualTo("TimeoutError");
    }

    @Test
    void await_ofAPromiseTimeout_throwsTheAsyncTimeoutExceptionItself_unwrapped() {
        AtomicReference<Throwable> caught = new AtomicReference<>();
        EventLoop.run(() -> async(() -> {
            try {
                await(Promise.delay(java.time.Duration.ofSeconds(30)).timeout(java.time.Duration.ofMillis(5)));
            } catch (AsyncTimeoutException e) {
                caught.set(e);
            }
        }));
        assertThat(caught.get()).isInstanceOf(AsyncTimeoutException.class).hasMessage("timed out after 5 ms");
    }

    @Test
    void await_withATimeoutSignal_throwsTheAsyncTimeoutExceptionItself_andThrowIfAbortedToo() {
        AtomicReference<Throwable> fromAwait = new AtomicReference<>();
        AtomicReference<Throwable> fromThrowIfAborted = new AtomicReference<>();
        EventLoop.run(() -> async(() -> {
            AbortSignal signal = AbortSignal.timeout(java.time.Duration.ofMillis(5));
            try {
                await(Promise.delay(java.time.Duration.ofSeconds(30)), signal); // the delay keeps run alive; the signal is unref'd
            } catch (AsyncTimeoutException e) {
                fromAwait.set(e);
            }
            try {
                signal.throwIfAborted();
            } catch (AsyncTimeoutException e) {
                fromThrowIfAborted.set(e);
            }
        }));
        assertThat(fromAwait.get()).isInstanceOf(AsyncTimeoutException.class);
        assertThat(fromThrowIfAborted.get()).isSameAs(fromAwait.get());
    }

    @Test
    void awaitException_escapingABody_rejectsItsPromiseWithTheOriginalReason() {
        IOException reason = new IOException("disk");
        AtomicReference<Throwable> rejection = new AtomicReference<>();
        EventLoop.run(() -> async(() -> await(Promise.reject(reason))).caught(e -> {
            rejection.set(e);
            return null;
        }));
        assertThat(rejection.get()).isSameAs(reason);
    }

    @Test
    void errors_travelThroughNestedBodies_unchanged_checkedAndUnchecked() {
        IOException checked = new IOException("deep, checked");
        IllegalStateException unchecked = new IllegalStateException("deep, unchecked");
        List<Object> log = new ArrayList<>();
        EventLoop.run(() -> {
            for (Throwable reason : List.of(checked, unchecked)) {
                Promise<Object> level3 = async(() -> {
                    await(delay(1, null));
                    if (reason instanceof IOException io) {
                        throw io;
                    }
                    throw (RuntimeException) reason;
                });
                Promise<Object> level2 = async(() -> {
                    Object v = await(level3);
                    log.add("unreachable: " + v);
                    return v;
                });
                async(() -> {
                    try {
                        await(level2);
                    } catch (AwaitException e) {
                        log.add(e.getCause());
                    } catch (IllegalStateException e) {
                        log.add(e);
                    } finally {
                        log.add("finally");
                    }
                    return await(level2); // uncaught this time: rejects level 1 with the reason itself
                }).caught(e -> log.add(e == reason ? "level 1 rejected with the original" : "wrong: " + e));
            }
        });
        assertThat(log).containsExactly(checked, "finally", "level 1 rejected with the original",
                unchecked, "finally", "level 1 rejected with the original");
    }

    @Test
    void unhandledRejectionOfABody_isReportedLikeAnyOther() {
        IllegalStateException boom = new IllegalStateException("nobody handles this");
        assertThatThrownBy(() -> EventLoop.builder().unhandledRejections(UnhandledRejectionPolicy.THROW).run(() -> async(() -> {
            await(Promise.resolve(null));
            throw boom;
        }))).isInstanceOf(UnhandledRejectionException.class).hasCause(boom);
    }

    // ------------------------------------------------------------------ nesting

    @Test
    void async_insideABody_theCallingBodyWaitsForTheChildsPrefix_notTheLoop() {
        List<String> log = new ArrayList<>();
        EventLoop.run(() -> {
            async(() -> {
                log.add("parent start");
                Promise<String> child = async(() -> {
                    log.add("child start");
                    await(Promise.resolve(null));
                    log.add("child resumed");
                    return "child result";
                });
                log.add("parent after async (child " + child.state() + ")");
                log.add("parent got " + await(child));
            });
            log.add("main after async");
        });
        assertThat(log).containsExactly("parent start", "child start", "parent after async (child PENDING)",
                "main after async", "child resumed", "parent got child result");
    }

    @Test
    void handlerThatThrowsInsideABody_rejectsItsDerivedPromise_andTheBodyGoesOn() {
        IllegalStateException boom = new IllegalStateException("handler failed");
        List<Object> log = new ArrayList<>();
        EventLoop.run(() -> async(() -> {
            Promise<Object> derived = Promise.resolve(1).then(v -> {
                throw boom;
            });
            try {
                await(derived);
            } catch (IllegalStateException e) {
                log.add(e);
            }
            log.add("body goes on");
        }));
        assertThat(log).containsExactly(boom, "body goes on");
    }

    // ------------------------------------------------------------------ where await may be called

    @Test
    void await_onTheLoopThreadOutsideABody_failsAtOnce_withAMessageThatSaysWhatToWriteInstead() {
        List<Throwable> errors = new ArrayList<>();
        EventLoop.builder().name("strict").run(() -> {
            Deferred<String> pending = Promise.withResolvers();
            try {
                await(pending.promise());
            } catch (IllegalStateException e) {
                errors.add(e);
            }
            Promise.resolve(1).thenAccept(v -> {
                try {
                    await(pending.promise()); // in a handler: a loop callback, not a body
                } catch (IllegalStateException e) {
                    errors.add(e);
                }
                try {
                    await(CompletableFuture.completedFuture("stage"));
                } catch (IllegalStateException e) {
                    errors.add(e);
                }
            });
            pending.resolve("done"); // nothing is left waiting
        });
        assertThat(errors).hasSize(3).allSatisfy(e -> assertThat(e).hasMessageContainingAll(
                "await(...) called on the thread of event loop 'strict' outside an async body",
                "block the loop", "async(() -> { var value = await(promise); ... })", "promise.then("));
    }

    @Test
    void await_onAThreadOfNoLoop_blocksUntilSettled_andThrowsTheReasonAsInABody() throws Exception {
        try (EventLoop loop = EventLoop.builder().name("worker").daemon(true).start()) {
            Promise<String> value = async(loop, () -> {
                await(delay(5, null));
                return "from the loop";
            });
            assertThat(await(value)).isEqualTo("from the loop");

            IllegalStateException unchecked = new IllegalStateException("unchecked");
            assertThatThrownBy(() -> await(async(loop, () -> {
                throw unchecked;
            }))).isSameAs(unchecked);

            IOException checked = new IOException("checked");
            assertThatThrownBy(() -> await(async(loop, () -> {
                await(delay(1, null));
                throw checked;
            }))).isInstanceOf(AwaitException.class).hasCause(checked);

            assertThat(await(CompletableFuture.supplyAsync(() -> "stage"))).isEqualTo("stage");
        }
    }

    @Test
    void await_onAThreadOfNoLoop_interrupted_throwsAwaitException_andKeepsTheInterruptStatus() throws Exception {
        try (EventLoop loop = EventLoop.builder().daemon(true).start()) {
            Deferred<String> never = loop.withResolvers();
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            AtomicReference<Boolean> stillInterrupted = new AtomicReference<>();
            Thread waiter = Thread.ofPlatform().start(() -> {
                try {
                    await(never.promise());
                } catch (AwaitException e) {
                    thrown.set(e.getCause());
                    stillInterrupted.set(Thread.currentThread().isInterrupted());
                }
            });
            waiter.interrupt();
            waiter.join(SECONDS.toMillis(10));
            assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
            assertThat(stillInterrupted.get()).isTrue();
        }
    }

    @Test
    void async_offAnyLoop_failsWithAMessage_butAsyncOnANamedLoopStartsTheBodyThere() throws Exception {
        assertThatThrownBy(() -> async(() -> 1)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Async.async needs an event loop").hasMessageContaining("Async.async(loop, body)");
        try (EventLoop loop = EventLoop.builder().name("named").daemon(true).start()) {
            CountDownLatch ran = new CountDownLatch(1);
            AtomicReference<Boolean> onTheLoop = new AtomicReference<>();
            Promise<Void> p = async(loop, () -> {
                onTheLoop.set(loop.inEventLoop() && EventLoop.current() == loop);
                ran.countDown();
            });
            assertThat(p.loop()).isSameAs(loop);
            assertThat(ran.await(10, SECONDS)).isTrue();
            assertThat(onTheLoop.get()).isTrue();
        }
    }

    @Test
    void await_aPromiseOfAnotherLoop_resumesTheBodyOnItsOwnLoop_whichItKeepsAlive() throws Exception {
        try (EventLoop other = EventLoop.builder().name("other").daemon(true).start()) {
            Deferred<String> there = other.withResolvers();
            List<String> log = new ArrayList<>();
            EventLoop.run(() -> {
                EventLoop here = EventLoop.current();
                async(() -> {
                    String v = await(there.promise());
                    log.add(v + ", resumed on the body's loop: " + (EventLoop.current() == here && here.inEventLoop()));
                });
                // Nothing of this loop is pending but the await: run(...) must not return before it ends.
                Thread.ofPlatform().start(() -> other.setTimeout(() -> there.resolve("from the other loop"), 20));
            });
            assertThat(log).containsExactly("from the other loop, resumed on the body's loop: true");
        }
    }

    @Test
    void await_aCompletionStageCompletedOnAnotherThread_resumesOnTheLoop() {
        List<String> log = new ArrayList<>();
        EventLoop.run(() -> async(() -> {
            CompletableFuture<String> future = new CompletableFuture<>();
            Thread.ofPlatform().start(() -> future.complete("elsewhere"));
            log.add(await(future) + " " + EventLoop.current().inEventLoop());
            CompletableFuture<String> failed = CompletableFuture.failedFuture(new IOException("io"));
            try {
                await(failed);
            } catch (AwaitException e) {
                log.add(e.getCause().getMessage());
            }
        }));
        assertThat(log).containsExactly("elsewhere true", "io");
    }

    @Test
    void interruptStatusSetInsideABody_doesNotBreakItsTurns() {
        List<String> log = new ArrayList<>();
        EventLoop.run(() -> async(() -> {
            Thread.currentThread().interrupt();
            await(delay(2, null));
            log.add("first await: still interrupted " + Thread.currentThread().isInterrupted());
            Thread.interrupted();
            await(delay(2, null));
            log.add("second await");
        }));
        assertThat(log).containsExactly("first await: still interrupted true", "second await");
    }
}
