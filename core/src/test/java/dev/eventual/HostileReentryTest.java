package dev.eventual;

import static dev.eventual.Async.async;
import static dev.eventual.Async.await;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/**
 * Hostile use, part 2: callbacks that re-enter the loop machinery. The defined outcomes:
 * {@code EventLoop.run} inside a callback or an async body fails with an
 * {@link IllegalStateException} (a thread runs one loop at a time) that takes the callback's
 * usual failure path; and {@code close()} of another loop, called from a loop thread, requests
 * the close and returns at once instead of blocking its own loop (so two loops that close each
 * other both end, rather than deadlock).
 */
class HostileReentryTest {

    @Test
    void runInsideAHandlerATimerOrAnAsyncBody_failsWithIllegalStateException_andTheOuterLoopGoesOn() {
        List<Object> seen = new ArrayList<>();
        EventLoop.run(() -> {
            EventLoop loop = EventLoop.current();
            Promise.resolve(1).then(v -> {
                EventLoop.run(() -> seen.add("an inner loop ran"));
                return v;
            }).asCallback((error, value) -> seen.add(error));
            loop.setTimeout(() -> {
                try {
                    EventLoop.builder().name("inner").run(() -> seen.add("an inner loop ran"));
                } catch (IllegalStateException e) {
                    seen.add(e);
                }
            }, 1);
            async(() -> {
                await(Promise.resolve(1));
                EventLoop.run(() -> seen.add("an inner loop ran"));
            }).asCallback((error, value) -> seen.add(error));
            loop.setTimeout(() -> seen.add("the outer loop went on"), 2);
        });
        assertThat(seen).hasSize(4).doesNotContain("an inner loop ran");
        assertThat(seen.subList(0, 3)).allSatisfy(e -> assertThat(e).isInstanceOfSatisfying(IllegalStateException.class,
                ise -> assertThat(ise).hasMessageContaining("already runs event loop 'main'")));
        assertThat(seen.get(3)).isEqualTo("the outer loop went on");
    }

    @Test
    void runInsideATaskOfAStartedLoop_rejectsTheSubmittedPromise_namingThatLoop() throws Exception {
        try (EventLoop loop = EventLoop.builder().name("started").daemon(true)
                .unhandledRejections(UnhandledRejectionPolicy.IGNORE).start()) {
            CompletableFuture<Integer> result = loop.submit(() -> {
                EventLoop.run(() -> {});
                return 1;
            }).toCompletableFuture();
            assertThatThrownBy(() -> result.get(10, SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(IllegalStateException.class).hasMessageContaining("already runs event loop 'started'");
            assertThat(loop.submit(() -> "still running").toCompletableFuture().get(10, SECONDS)).isEqualTo("still running");
        }
    }

    @Test
    void twoLoopsClosingEachOtherFromCallbacksAtOnce_bothEnd_insteadOfDeadlocking() throws Exception {
        EventLoop a = EventLoop.builder().name("a").daemon(true).start();
        EventLoop b = EventLoop.builder().name("b").daemon(true).start();
        CyclicBarrier bothInACallback = new CyclicBarrier(2);
        a.execute(() -> {
            awaitBarrier(bothInACallback);
            b.close(); // must not wait: b's callback is closing a at this very moment
        });
        b.execute(() -> {
            awaitBarrier(bothInACallback);
            a.close();
        });
        assertThat(a.terminationFuture()).succeedsWithin(Duration.ofSeconds(10));
        assertThat(b.terminationFuture()).succeedsWithin(Duration.ofSeconds(10));
        assertThat(a.isClosed()).isTrue();
        assertThat(b.isClosed()).isTrue();
    }

    @Test
    void closeOfAnotherLoopFromACallback_returnsBeforeThatLoopStopped_andItsTerminationFutureTellsWhenItDid() throws Exception {
        try (EventLoop caller = EventLoop.builder().name("caller").daemon(true).start()) {
            EventLoop other = EventLoop.builder().name("other").daemon(true).start();
            Deferred<String> pendingOnOther = other.withResolvers();
            CountDownLatch otherBusy = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            other.execute(() -> {
                otherBusy.countDown();
                awaitLatch(release); // other cannot stop before the caller's callback lets it go
            });
            awaitLatch(otherBusy);
            CompletableFuture<String> seen = caller.submit(() -> {
                other.close(); // waiting here would wait for the release below, forever
                String state = other.isClosed() ? "closed already" : "returned while other runs";
                release.countDown();
                return state;
            }).thenCompose(v -> caller.from(other.terminationFuture()).then(x -> v + ", then other ended"))
                    .toCompletableFuture();
            assertThat(seen.get(10, SECONDS)).isEqualTo("returned while other runs, then other ended");
            assertThat(other.isClosed()).isTrue();
            assertThat(pendingOnOther.promise().isRejected()).isTrue();
        }
    }

    private static void awaitLatch(CountDownLatch latch) {
        try {
            if (!latch.await(10, SECONDS)) {
                throw new AssertionError("latch never opened");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static void awaitBarrier(CyclicBarrier barrier) {
        try {
            barrier.await(10, SECONDS);
        } catch (Exception e) {
            throw new AssertionError("the other loop never reached its callback", e);
        }
    }
}
