package dev.eventual;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Bad input gets a clear error at the call, and nothing thrown by user code is lost. */
class BadInputTest {

    @Test
    void nullHandlers_failAtTheCall_namingTheParameter() {
        EventLoop.run(() -> {
            Promise<Integer> p = Promise.resolve(1);
            assertThatThrownBy(() -> p.then(null)).isInstanceOf(NullPointerException.class).hasMessage("onFulfilled");
            assertThatThrownBy(() -> p.then(v -> v, null)).isInstanceOf(NullPointerException.class).hasMessage("onRejected");
            assertThatThrownBy(() -> p.thenCompose(null)).isInstanceOf(NullPointerException.class).hasMessage("onFulfilled");
            assertThatThrownBy(() -> p.thenAccept(null)).isInstanceOf(NullPointerException.class).hasMessage("onFulfilled");
            assertThatThrownBy(() -> p.caught(null)).isInstanceOf(NullPointerException.class).hasMessage("onRejected");
            assertThatThrownBy(() -> p.caught(null, e -> 0)).isInstanceOf(NullPointerException.class).hasMessage("type");
            assertThatThrownBy(() -> p.lastly(null)).isInstanceOf(NullPointerException.class).hasMessage("onSettled");
            assertThatThrownBy(() -> p.asCallback(null)).isInstanceOf(NullPointerException.class).hasMessage("callback");
            assertThatThrownBy(() -> Promise.reject(null)).isInstanceOf(NullPointerException.class).hasMessage("reason");
            assertThatThrownBy(() -> Promise.all((Iterable<Promise<Object>>) null)).isInstanceOf(NullPointerException.class).hasMessage("promises");
            assertThatThrownBy(() -> Promise.all(p, null)).isInstanceOf(NullPointerException.class).hasMessage("Promise.all input 1");
            assertThatThrownBy(() -> Promise.from(null)).isInstanceOf(NullPointerException.class).hasMessage("stage");
            Deferred<Integer> d = Promise.withResolvers();
            assertThatThrownBy(() -> d.tryReject(null)).isInstanceOf(NullPointerException.class).hasMessage("reason");
            assertThatThrownBy(() -> d.tryFollow(null)).isInstanceOf(NullPointerException.class).hasMessage("other");
            EventLoop loop = EventLoop.current();
            assertThatThrownBy(() -> loop.execute(null)).isInstanceOf(NullPointerException.class).hasMessage("task");
            assertThatThrownBy(() -> loop.setTimeout(null, 1)).isInstanceOf(NullPointerException.class).hasMessage("callback");
            assertThatThrownBy(() -> loop.queueMicrotask(null)).isInstanceOf(NullPointerException.class).hasMessage("callback");
            d.resolve(0);
        });
    }

    @Test
    void negativeDelay_failsWithTheValueInTheMessage() {
        EventLoop.run(() -> {
            assertThatThrownBy(() -> EventLoop.current().setTimeout(() -> {}, -5))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("delayMillis must be >= 0: -5");
            assertThatThrownBy(() -> EventLoop.current().setInterval(() -> {}, -1))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("periodMillis must be >= 0: -1");
        });
    }

    @Test
    void resolveWithItself_rejectsWithAClearError() {
        Throwable[] reason = new Throwable[1];
        EventLoop.run(() -> {
            Deferred<Object> d = Promise.withResolvers();
            assertThat(d.tryResolve(d.promise())).isTrue();
            d.promise().caught(e -> reason[0] = e);
        });
        assertThat(reason[0]).isInstanceOf(ChainingCycleException.class).hasMessageContaining("chaining cycle")
                .hasMessageContaining("resolved with itself");
    }

    @Test
    void handlerReturningItsOwnPromise_rejectsWithAClearError() {
        Throwable[] reason = new Throwable[1];
        EventLoop.run(() -> {
            List<Promise<Object>> self = new ArrayList<>();
            Promise<Object> p = Promise.resolve(1).thenCompose(v -> self.get(0));
            self.add(p);
            p.caught(e -> reason[0] = e);
        });
        assertThat(reason[0]).isInstanceOf(ChainingCycleException.class).hasMessageContaining("chaining cycle");
    }

    @Test
    void throwingHandler_rejectsTheDerivedPromiseWithThatSameException_andTheLoopGoesOn() {
        IllegalStateException thrown = new IllegalStateException("from the handler");
        Error error = new AssertionError("an Error is a value too");
        List<Object> seen = new ArrayList<>();
        EventLoop.run(() -> {
            Promise.resolve(1).then(v -> { throw thrown; }).caught(e -> {
                seen.add(e);
                return null;
            });
            Promise.resolve(1).then((Function<Integer, Integer>) v -> { throw error; }).caught(e -> {
                seen.add(e);
                return null;
            });
            EventLoop.current().setTimeout(() -> seen.add("the loop went on"), 1);
        });
        assertThat(seen).hasSize(3);
        assertThat(seen.get(0)).isSameAs(thrown);
        assertThat(seen.get(1)).isSameAs(error);
        assertThat(seen.get(2)).isEqualTo("the loop went on");
    }

    @Test
    void throwingTaskTimerOrMicrotask_goesToTheTaskErrorHandler_andTheLoopGoesOn() {
        List<String> errors = new CopyOnWriteArrayList<>();
        List<String> log = new ArrayList<>();
        EventLoop.builder().onTaskError(e -> errors.add(e.getMessage())).run(() -> {
            EventLoop loop = EventLoop.current();
            loop.execute(() -> { throw new IllegalStateException("task"); });
            loop.setTimeout(() -> { throw new IllegalStateException("timer"); }, 1);
            loop.queueMicrotask(() -> { throw new IllegalStateException("microtask"); });
            loop.setTimeout(() -> log.add("after the failures"), 2);
        });
        assertThat(errors).containsExactly("microtask", "task", "timer");
        assertThat(log).containsExactly("after the failures");
    }

    @Test
    void queueMicrotaskFromAnotherThread_failsNamingTheLoopAndTheThread() throws Exception {
        try (EventLoop loop = EventLoop.builder().name("confined").daemon(true).start()) {
            CompletableFuture<Throwable> failure = new CompletableFuture<>();
            Thread other = Thread.ofPlatform().name("intruder").start(() -> {
                try {
                    loop.queueMicrotask(() -> {});
                    failure.complete(null);
                } catch (Throwable t) {
                    failure.complete(t);
                }
            });
            other.join();
            assertThat(failure.get(10, SECONDS)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("'confined'").hasMessageContaining("'intruder'").hasMessageContaining("execute(");
        }
    }

    @Test
    void blockingOnThePromiseFromItsLoopThread_failsFastInsteadOfDeadlocking() {
        Throwable[] failure = new Throwable[1];
        EventLoop.run(() -> {
            Deferred<String> d = Promise.withResolvers();
            try {
                d.promise().toCompletableFuture().join();
            } catch (IllegalStateException e) {
                failure[0] = e;
            }
            d.resolve("done");
        });
        assertThat(failure[0]).hasMessageContaining("event loop 'main'").hasMessageContaining("would block it forever")
                .hasMessageContaining("then(");
    }

    @Test
    void runInsideALoopCallback_failsClearly() {
        Throwable[] failure = new Throwable[1];
        EventLoop.run(() -> {
            try {
                EventLoop.run(() -> {});
            } catch (IllegalStateException e) {
                failure[0] = e;
            }
        });
        assertThat(failure[0]).hasMessageContaining("already runs event loop 'main'");
    }

    @Test
    void promiseFactoriesWithoutALoop_sayWhatToCallInstead() {
        assertThatThrownBy(() -> Promise.withResolvers()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Promise.withResolvers needs an event loop").hasMessageContaining("loop.withResolvers()");
        assertThatThrownBy(() -> Promise.resolve(1)).hasMessageContaining("Promise.resolve needs an event loop");
        assertThatThrownBy(EventLoop::current).hasMessageContaining("EventLoop.current needs an event loop");
    }

    @Test
    void resolveAfterResolve_throws_tryResolveSaysFalse() throws Exception {
        try (EventLoop loop = EventLoop.builder().daemon(true).start()) {
            Deferred<Integer> d = loop.withResolvers();
            d.resolve(1);
            assertThat(d.tryResolve(2)).isFalse();
            assertThat(d.tryReject(new RuntimeException())).isFalse();
            assertThatThrownBy(() -> d.resolve(3)).isInstanceOf(IllegalStateException.class).hasMessageContaining("already resolved");
            CountDownLatch seen = new CountDownLatch(1);
            d.promise().thenAccept(v -> {
                if (v == 1) {
                    seen.countDown();
                }
            });
            assertThat(seen.await(10, SECONDS)).isTrue();
        }
    }
}
