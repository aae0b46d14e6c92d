package dev.eventual.testkit;

import static dev.eventual.Async.async;
import static dev.eventual.Async.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventual.AbortSignal;
import dev.eventual.AsyncTimeoutException;
import dev.eventual.EventLoop;
import dev.eventual.Promise;
import dev.eventual.RetryPolicy;
import dev.eventual.UnhandledRejectionHandler;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** TestLoop on virtual time, without the extension: the clock, and what follows it. */
class VirtualTimeTest {
    private TestLoop t;
    private VirtualClock clock;
    private EventLoop loop;
    private final List<String> log = new ArrayList<>();

    @BeforeEach
    void make() {
        t = TestLoop.virtualTime();
        clock = t.clock();
        loop = t.eventLoop();
    }

    @AfterEach
    void close() {
        t.close();
    }

    private void note(String what) {
        log.add(clock.nowMillis() + " " + what);
    }

    @Test
    void timersFireInDeadlineOrderAtTheirOwnTimeWithCheckpointsBetween() {
        loop.setTimeout(() -> {
            note("b");
            loop.queueMicrotask(() -> note("b.micro"));
        }, 50);
        loop.setTimeout(() -> note("c"), 100);
        loop.setTimeout(() -> {
            note("a");
            loop.queueMicrotask(() -> note("a.micro"));
            loop.setTimeout(() -> note("a.child"), 30); // due at 80: before c, inside the advance
        }, 50);
        loop.queueMicrotask(() -> note("top.micro"));
        assertThat(log).isEmpty(); // nothing runs until the test says so

        clock.advanceBy(Duration.ofMillis(99));

        assertThat(log).containsExactly("0 top.micro", "50 b", "50 b.micro", "50 a", "50 a.micro", "80 a.child");
        assertThat(clock.nowMillis()).isEqualTo(99);
        clock.advanceBy(Duration.ofMillis(1));
        assertThat(log).endsWith("100 c");
    }

    @Test
    void advanceToNextTimerAndRunUntilIdle() {
        loop.setTimeout(() -> note("x"), 1_000);
        loop.setTimeout(() -> note("y"), 3_000);
        assertThat(clock.advanceToNextTimer()).isTrue();
        assertThat(log).containsExactly("1000 x");
        clock.runUntilIdle();
        assertThat(log).containsExactly("1000 x", "3000 y");
        assertThat(clock.advanceToNextTimer()).isFalse();
        assertThat(clock.nowMillis()).isEqualTo(3_000);
    }

    @Test
    void anIntervalRunsOncePerPeriodOfVirtualTime() {
        int[] runs = {0};
        var interval = loop.setInterval(() -> runs[0]++, 1_000);
        clock.advanceBy(Duration.ofHours(1));
        assertThat(runs[0]).isEqualTo(3_600);
        interval.cancel();
        assertThat(t.pendingWork().isEmpty()).isTrue();
    }

    @Test
    void delayTimeoutAndAbortSignalTimeoutFollowTheVirtualClock() {
        Promise<Void> delay = Promise.delay(Duration.ofSeconds(5));
        Promise<Object> never = loop.<Object>withResolvers().promise();
        Promise<Object> timedOut = never.timeout(Duration.ofSeconds(30));
        AbortSignal signal = AbortSignal.timeout(Duration.ofMinutes(2));

        clock.advanceBy(Duration.ofMillis(4_999));
        assertThat(delay.isPending()).isTrue();
        clock.advanceBy(Duration.ofMillis(1));
        assertThat(delay.isFulfilled()).isTrue();

        clock.advanceBy(Duration.ofSeconds(25));
        assertThat(timedOut.isRejected()).isTrue();
        assertThatThrownBy(() -> t.await(timedOut)).isInstanceOf(AsyncTimeoutException.class); // unchecked: as it is

        assertThat(signal.aborted()).isFalse();
        clock.advanceBy(Duration.ofSeconds(90));
        assertThat(signal.aborted()).isTrue();
        assertThat(signal.reason()).isInstanceOf(AsyncTimeoutException.class);
    }

    @Test
    void retryWaitsItsBackoffInVirtualTimeAndKeepsItsBudget() {
        RetryPolicy policy = RetryPolicy.exponential(1_000, Duration.ofSeconds(1))
                .withMaxDelay(Duration.ofHours(1))
                .withMaxTotal(Duration.ofHours(24))
                .withRandom(new SplittableRandom(7));
        List<Long> attempts = new ArrayList<>();
        Promise<String> result = Promise.retry(policy, () -> {
            attempts.add(clock.nowMillis());
            return loop.rejected(new IOException("down"));
        });
        assertThatThrownBy(() -> t.await(result)).isInstanceOf(java.util.concurrent.CompletionException.class)
                .hasCauseInstanceOf(IOException.class);
        assertThat(attempts).hasSizeGreaterThan(5).isSorted();
        // given up because the next wait would end after the 24 h budget, not after 1,000 attempts
        assertThat(attempts.get(attempts.size() - 1)).isLessThanOrEqualTo(Duration.ofHours(24).toMillis());
        assertThat(attempts).hasSizeLessThan(1_000);
        assertThat(attempts.get(attempts.size() - 1)).isGreaterThan(Duration.ofHours(20).toMillis());
        assertThat(clock.nowMillis()).isEqualTo(attempts.get(attempts.size() - 1));
    }

    @Test
    void asyncBodiesAwaitVirtualDelays() {
        Promise<String> body = async(() -> {
            note("start");
            await(Promise.delay(Duration.ofMinutes(10)));
            note("after 10 min");
            await(Promise.delay(Duration.ofMinutes(5)));
            return "done at " + clock.nowMillis();
        });
        assertThat(t.await(body)).isEqualTo("done at 900000");
        assertThat(log).containsExactly("0 start", "600000 after 10 min");
    }

    @Test
    void asyncLocalValuesFollowTimersFiredByTheVirtualClock() {
        dev.eventual.AsyncLocal<String> request = dev.eventual.AsyncLocal.named("request");
        request.run("r1", () -> loop.setTimeout(() -> note("timer sees " + request.orElse("none")), 1_000));
        request.run("r2", () -> Promise.delay(Duration.ofSeconds(2)).thenAccept(v -> note("delay sees " + request.orElse("none"))));
        note("outside sees " + request.orElse("none"));
        clock.advanceBy(Duration.ofSeconds(2));
        assertThat(log).containsExactly("0 outside sees none", "1000 timer sees r1", "2000 delay sees r2");
    }

    @Test
    void outsideWorkIsWaitedForBeforeTheClockMoves() {
        CompletableFuture<String> outside = new CompletableFuture<>();
        Promise<String> answer = loop.from(outside);
        loop.setTimeout(() -> note("timer"), 10);
        answer.thenAccept(v -> note("answer " + v));
        Thread.ofPlatform().start(() -> {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                return;
            }
            outside.complete("ok");
        });
        clock.advanceBy(Duration.ofMillis(20));
        assertThat(log).containsExactly("0 answer ok", "10 timer");
    }

    @Test
    void outsideWorkThatNeverCompletesFailsAfterTheRealTimeLimitSayingWhy() {
        t.realTimeLimit(Duration.ofMillis(100));
        Promise<String> answer = loop.from(new CompletableFuture<String>());
        Promise<String> guarded = answer.timeout(Duration.ofSeconds(5));
        assertThatThrownBy(() -> t.await(guarded))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("await on test loop 'test' gave up after 100 ms of real time")
                .hasMessageContaining("virtual time does not move until it completes")
                .hasMessageContaining("1 outside operation(s) in flight")
                .hasMessageContaining("1 timer (next at 5000 ms)");
    }

    @Test
    void aPromiseOfAnotherLoopIsWaitedForInRealTime_whileThisLoopRunsAndItsClockStandsStill() {
        EventLoop other = EventLoop.start("other");
        try {
            loop.setTimeout(() -> note("virtual timer"), 1);
            Promise<String> fromOther = other.submit(() -> "computed on " + Thread.currentThread().getName());
            assertThat(t.await(fromOther)).isEqualTo("computed on other");
            Promise<Void> late = other.submit(() -> null).thenCompose(v -> Promise.delay(Duration.ofMillis(20)));
            assertThatThrownBy(() -> t.realTimeLimit(Duration.ofMillis(1)).await(
                    other.submit(() -> null).thenCompose(v -> Promise.delay(Duration.ofSeconds(30)))))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("the promise of event loop 'other' did not settle within the real-time limit of 1 ms");
            t.realTimeLimit(Duration.ofSeconds(10));
            dev.eventual.testkit.EventualAssertions.assertThat(late).settlesWithin(Duration.ofSeconds(10)).isFulfilled();
            assertThat(clock.nowMillis()).isZero();
            clock.advanceBy(Duration.ofMillis(1));
            assertThat(log).containsExactly("1 virtual timer");
        } finally {
            other.close();
        }
    }

    @Test
    void awaitOnAPromiseNothingCanSettleFailsAtOnce() {
        Promise<Object> never = loop.<Object>withResolvers().promise();
        assertThatThrownBy(() -> t.await(never))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("the promise can never settle");
    }

    @Test
    void drivingFromInsideACallbackIsRefused() {
        loop.setTimeout(() -> clock.advanceBy(Duration.ofSeconds(1)), 1);
        clock.advanceBy(Duration.ofMillis(1));
        assertThat(t.callbackErrors()).singleElement().asInstanceOf(
                org.assertj.core.api.InstanceOfAssertFactories.THROWABLE)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("inside a callback of the loop");
        assertThat(clock.nowMillis()).isEqualTo(1);
    }

    @Test
    void aCallbackThatClosesTheLoopEndsTheAdvance_andPendingPromisesReadAsRejected() {
        Promise<Void> pending = Promise.delay(Duration.ofHours(1));
        loop.setTimeout(() -> {
            note("closing");
            loop.close();
        }, 10);
        loop.setTimeout(() -> note("never"), 20);
        clock.advanceBy(Duration.ofMinutes(1));
        assertThat(log).containsExactly("10 closing");
        assertThat(loop.isClosed()).isTrue();
        assertThat(pending.isRejected()).isTrue();
        assertThatThrownBy(() -> clock.advanceBy(Duration.ofSeconds(1)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("is closed");
    }

    @Test
    void unhandledRejectionsAreCollected() {
        loop.rejected(new IOException("lost"));
        t.runCurrent();
        assertThat(t.unhandledRejections()).singleElement().asString().contains("lost");
    }

    @Test
    void onUnhandledRejectionSeesEachReportWhereItComesInTheOrderOfCallbacks() {
        t.onUnhandledRejection(new UnhandledRejectionHandler() {
            @Override
            public void unhandled(Promise<?> promise, Throwable reason) {
                note("unhandled " + reason.getMessage());
            }

            @Override
            public void handledLater(Promise<?> promise, Throwable reason) {
                note("handled later " + reason.getMessage());
            }
        });
        Promise<Object> lost = loop.rejected(new IOException("lost"));
        loop.queueMicrotask(() -> note("top.micro"));
        loop.setTimeout(() -> {
            note("timer");
            lost.caught(e -> null);
            loop.queueMicrotask(() -> note("timer.micro"));
        }, 10);
        t.runUntilIdle();
        // Reported after the checkpoint that left it unhandled; handled later after the timer's.
        assertThat(log).containsExactly("0 top.micro", "0 unhandled lost", "10 timer", "10 timer.micro",
                "10 handled later lost");
        assertThat(t.unhandledRejections()).isEmpty();
    }

    @Test
    void aRealTimeLoopWaitsOnTheRealClock() {
        t.close();
        t = TestLoop.realTime();
        long start = System.nanoTime();
        t.await(Promise.delay(Duration.ofMillis(30)));
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(Duration.ofMillis(29).toNanos());
        assertThatThrownBy(() -> t.clock()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("runs on real time");
    }
}
