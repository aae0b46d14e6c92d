package dev.eventual.timing;

import static dev.eventual.testkit.EventualAssertions.assertThat;

import dev.eventual.AbortController;
import dev.eventual.AbortSignal;
import dev.eventual.AsyncTimeoutException;
import dev.eventual.EventLoop;
import dev.eventual.Promise;
import dev.eventual.RetryPolicy;
import dev.eventual.Timeout;
import dev.eventual.testkit.EventualTest;
import dev.eventual.testkit.TestLoop;
import dev.eventual.testkit.VirtualClock;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;

/**
 * The core's time-dependent tests whose point is ordering or logic, not the real clock, moved
 * here from RetryTest, CancellationTest, AbortSignalTest and EventLoopTest onto virtual time: each
 * now also checks the virtual time every event happens at, and none depends on how fast the
 * machine is. The core keeps the real-time tests that prove the real clock works (a run loop
 * waits for its timers, an unref'd timer does not keep it alive, retry with real waits).
 */
@EventualTest
class TimeLogicOnVirtualTimeTest {
    private static final Duration LONG = Duration.ofSeconds(60);

    // ------------------------------------------------------------------ from RetryTest

    @Test
    void retry_startsNoWaitBeyondTheTotalTime(TestLoop t) {
        int[] calls = {0};
        Promise<Object> r = Promise.retry(RetryPolicy.exponential(10, LONG).withMaxTotal(Duration.ofMillis(5))
                        .withRandom(new SplittableRandom(1)),
                () -> Promise.reject(new IOException("down " + ++calls[0])));
        t.runCurrent();
        assertThat(r).isRejectedWith(IOException.class).withMessage("down 1"); // the wait would end past 5 ms
        assertThat(t.now()).isZero();
        assertThat(calls[0]).isEqualTo(1);
    }

    @Test
    void retry_waitsItsBackoffs_andGivesUpWhenTheNextWaitWouldPassTheBudget(VirtualClock clock) {
        RetryPolicy policy = RetryPolicy.exponential(100, Duration.ofSeconds(1)).withMaxTotal(Duration.ofMinutes(2))
                .withRandom(new SplittableRandom(5));
        RetryPolicy same = RetryPolicy.exponential(100, Duration.ofSeconds(1)).withMaxTotal(Duration.ofMinutes(2))
                .withRandom(new SplittableRandom(5));
        List<Long> at = new ArrayList<>();
        Promise<Object> r = Promise.retry(policy, () -> {
            at.add(clock.nowMillis());
            return Promise.reject(new IOException("down"));
        });
        assertThat(r).settlesWithin(Duration.ofMinutes(2)).isRejected().withMessage("down");
        long expected = 0;
        List<Long> expectedAt = new ArrayList<>(List.of(0L));
        for (int retry = 1; retry < at.size(); retry++) {
            expected += same.backoffMillis(retry); // the same draws: each attempt starts exactly after its wait
            expectedAt.add(expected);
        }
        assertThat(at).isEqualTo(expectedAt);
        assertThat(at.get(at.size() - 1) + same.backoffMillis(at.size())).isGreaterThan(120_000); // the next would pass 2 min
    }

    @Test
    void retry_abortedBySignal_rejectsWithTheReason_andCancelsTheAttemptInFlight(EventLoop loop, VirtualClock clock) {
        List<Promise<Void>> inFlight = new ArrayList<>();
        AbortController c = new AbortController();
        Promise<Void> r = Promise.retry(RetryPolicy.exponential(5, Duration.ofMillis(2)), c.signal(), () -> {
            Promise<Void> attempt = Promise.delay(LONG);
            inFlight.add(attempt);
            return attempt;
        });
        loop.setTimeout(() -> c.abort(new RuntimeException("user")), 1);
        clock.advanceBy(Duration.ofMillis(1));
        assertThat(r).isRejected().withMessage("user");
        assertThat(inFlight).singleElement().satisfies(p -> assertThat(p).isCancelled());
    }

    @Test
    void cancel_ofARetryWaitingToTryAgain_clearsItsTimer(TestLoop t, EventLoop loop, VirtualClock clock) {
        int[] calls = {0};
        Promise<Object> r = Promise.retry(RetryPolicy.exponential(5, LONG).withMaxDelay(LONG)
                        .withRandom(new SplittableRandom(3)),
                () -> Promise.reject(new IOException("down " + ++calls[0])));
        t.runCurrent();
        assertThat(t.pendingWork().timers()).isEqualTo(1); // the wait before attempt 2
        clock.advanceBy(Duration.ofMillis(1));
        r.cancel();
        assertThat(r).isCancelled();
        assertThat(t).hasNoPendingTimers();
        assertThat(calls[0]).isEqualTo(1);
    }

    // ------------------------------------------------------------------ from CancellationTest

    @Test
    void timeout_rejectsWithAnAsyncTimeoutExceptionNamingTheDuration_andCancelsItsUnsharedSource(VirtualClock clock) {
        Promise<Void> source = Promise.delay(LONG);
        Promise<Void> timed = source.timeout(Duration.ofMillis(10));
        clock.advanceBy(Duration.ofMillis(9));
        assertThat(timed).isPending();
        clock.advanceBy(Duration.ofMillis(1));
        assertThat(timed).isRejectedWith(AsyncTimeoutException.class).withMessage("timed out after 10 ms");
        assertThat(source).isCancelled();
    }

    @Test
    void timeout_ofASharedSource_rejects_butTheSourceKeepsRunningForItsOtherConsumer(VirtualClock clock) {
        List<String> log = new ArrayList<>();
        Promise<String> shared = Promise.delay(Duration.ofMillis(40)).then(v -> "value");
        shared.thenAccept(v -> log.add(clock.nowMillis() + " other consumer got " + v));
        shared.timeout(Duration.ofMillis(5)).caught(AsyncTimeoutException.class, e -> {
            log.add(clock.nowMillis() + " timed out");
            return null;
        });
        clock.runUntilIdle();
        assertThat(log).containsExactly("5 timed out", "40 other consumer got value");
    }

    // ------------------------------------------------------------------ from AbortSignalTest

    @Test
    void timeoutSignal_abortsADelayWithAnAsyncTimeoutException_andTheDelaysTimerIsCleared(TestLoop t, VirtualClock clock) {
        Promise<Void> delay = Promise.delay(LONG, AbortSignal.timeout(Duration.ofMillis(10)));
        clock.advanceBy(Duration.ofMillis(10));
        assertThat(delay).isRejectedWith(AsyncTimeoutException.class).withMessageContaining("10 ms");
        assertThat(t).hasNoPendingTimers();
    }

    @Test
    void any_ofAControllerAndATimeout_abortsWithWhicheverComesFirst(VirtualClock clock) {
        List<String> log = new ArrayList<>();
        AbortController user = new AbortController();
        AbortSignal first = AbortSignal.any(user.signal(), AbortSignal.timeout(Duration.ofMillis(10)));
        Promise.delay(LONG, first).caught(e -> {
            log.add(clock.nowMillis() + " first: " + e.getClass().getSimpleName());
            return null;
        });
        AbortController user2 = new AbortController();
        AbortSignal second = AbortSignal.any(user2.signal(), AbortSignal.timeout(LONG));
        Promise.delay(LONG, second).caught(e -> {
            log.add(clock.nowMillis() + " second: " + e.getClass().getSimpleName());
            return null;
        });
        user2.abort();
        clock.advanceBy(LONG); // the unref'd timeout timers fire on the way
        assertThat(log).containsExactly("0 second: CancellationException", "10 first: AsyncTimeoutException");
        assertThat(second.reason()).isInstanceOf(CancellationException.class);
    }

    // ------------------------------------------------------------------ from EventLoopTest

    @Test
    void timers_equalDelaysFireInOrder_andAnIntervalStopsWhenCancelled(TestLoop t, EventLoop loop, VirtualClock clock) {
        List<String> log = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            int n = i;
            loop.setTimeout(() -> log.add(clock.nowMillis() + " t" + n), 3);
        }
        int[] runs = {0};
        Timeout[] interval = new Timeout[1];
        interval[0] = loop.setInterval(() -> {
            log.add(clock.nowMillis() + " interval " + ++runs[0]);
            if (runs[0] == 3) {
                loop.clearInterval(interval[0]);
            }
        }, 1);
        clock.runUntilIdle();
        List<String> expected = new ArrayList<>(List.of("1 interval 1", "2 interval 2"));
        for (int i = 0; i < 20; i++) {
            expected.add("3 t" + i); // set before the interval: its third run comes after them
        }
        expected.add("3 interval 3");
        assertThat(log).isEqualTo(expected);
        assertThat(t).isIdle();
    }
}
