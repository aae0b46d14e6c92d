package dev.eventual;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Promise.retry and RetryPolicy: attempts, backoff and its jitter modes, default reasons, hook, limits, signal, cancel. */
class RetryTest {
    private static final Duration LONG = Duration.ofSeconds(60);

    private static void runPromptly(Runnable main) {
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> EventLoop.builder()
                .unhandledRejections(UnhandledRejectionPolicy.THROW).run(main),
                "EventLoop.run did not return: a stopped retry still keeps the loop alive");
    }

    private static RetryPolicy quick(int attempts) {
        return RetryPolicy.exponential(attempts, Duration.ofMillis(2)).withRandom(new SplittableRandom(7));
    }

    @Test
    void retry_triesAgainAfterRejections_andFulfilsWithTheFirstSuccess() {
        AtomicInteger calls = new AtomicInteger();
        List<String> log = new ArrayList<>();
        runPromptly(() -> Promise.retry(quick(5), () -> calls.incrementAndGet() < 3
                        ? Promise.<String>reject(new IOException("flaky " + calls.get()))
                        : Promise.resolve("ok on " + calls.get()))
                .thenAccept(log::add));
        assertThat(log).containsExactly("ok on 3");
        assertThat(calls.get()).isEqualTo(3);
    }

    @Test
    void retry_givesUpAfterMaxAttempts_withTheLastReason() {
        AtomicInteger calls = new AtomicInteger();
        AtomicReference<Throwable> reason = new AtomicReference<>();
        runPromptly(() -> Promise.retry(quick(4), () -> {
            throw new IllegalStateException("attempt " + calls.incrementAndGet());
        }).caught(e -> {
            reason.set(e);
            return null;
        }));
        assertThat(calls.get()).isEqualTo(4);
        assertThat(reason.get()).hasMessage("attempt 4");
    }

    @Test
    void retry_doesNotRetryAReasonThePolicyRefuses() {
        AtomicInteger calls = new AtomicInteger();
        AtomicReference<Throwable> reason = new AtomicReference<>();
        runPromptly(() -> Promise.retry(quick(5).withRetryIf(e -> e instanceof IOException),
                () -> Promise.reject(new IllegalArgumentException("fatal " + calls.incrementAndGet())))
                .caught(e -> {
                    reason.set(e);
                    return null;
                }));
        assertThat(calls.get()).isEqualTo(1);
        assertThat(reason.get()).hasMessage("fatal 1");
    }

    @Test
    void retry_withAnAbortedSignal_makesNoAttempt() {
        AtomicInteger calls = new AtomicInteger();
        runPromptly(() -> Promise.retry(quick(5), AbortSignal.abort(), () -> {
            calls.incrementAndGet();
            return Promise.resolve("x");
        }).caught(CancellationException.class, e -> null));
        assertThat(calls.get()).isZero();
    }

    @Test
    void backoff_isFullJitter_uniformBetweenZeroAndTheCappedExponential() {
        RetryPolicy policy = RetryPolicy.exponential(10, Duration.ofMillis(100)).withMaxDelay(Duration.ofMillis(1000))
                .withRandom(new SplittableRandom(42));
        long[] ceilings = {100, 200, 400, 800, 1000, 1000};
        for (int retry = 1; retry <= ceilings.length; retry++) {
            long max = 0;
            for (int i = 0; i < 2000; i++) {
                long wait = policy.backoffMillis(retry);
                assertThat(wait).as("retry %d", retry).isBetween(0L, ceilings[retry - 1]);
                max = Math.max(max, wait);
            }
            assertThat(max).as("retry %d reaches near its ceiling", retry).isGreaterThan(ceilings[retry - 1] * 9 / 10);
        }
        assertThat(policy.backoffMillis(200)).isBetween(0L, 1000L); // no overflow far out
    }

    @Test
    void backoff_withoutJitter_isTheExactCappedExponential() {
        RetryPolicy policy = RetryPolicy.exponential(10, Duration.ofMillis(100)).withMaxDelay(Duration.ofMillis(1000))
                .withJitter(RetryPolicy.Jitter.NONE);
        List<Long> waits = new ArrayList<>();
        for (int retry = 1; retry <= 6; retry++) {
            waits.add(policy.backoffMillis(retry));
        }
        assertThat(waits).containsExactly(100L, 200L, 400L, 800L, 1000L, 1000L);
        assertThat(policy.backoffMillis(200)).isEqualTo(1000L);
    }

    @Test
    void backoff_equalJitter_staysBetweenHalfTheCeilingAndTheCeiling_andReachesBothEnds() {
        RetryPolicy policy = RetryPolicy.exponential(10, Duration.ofMillis(100)).withMaxDelay(Duration.ofMillis(1000))
                .withJitter(RetryPolicy.Jitter.EQUAL).withRandom(new SplittableRandom(42));
        long[] ceilings = {100, 200, 400, 800, 1000};
        for (int retry = 1; retry <= ceilings.length; retry++) {
            long c = ceilings[retry - 1];
            long min = Long.MAX_VALUE;
            long max = 0;
            for (int i = 0; i < 2000; i++) {
                long wait = policy.backoffMillis(retry);
                assertThat(wait).as("retry %d", retry).isBetween(c / 2, c);
                min = Math.min(min, wait);
                max = Math.max(max, wait);
            }
            assertThat(min).as("retry %d low end", retry).isLessThan(c / 2 + c / 20 + 1);
            assertThat(max).as("retry %d high end", retry).isGreaterThan(c - c / 20 - 1);
        }
    }

    @Test
    void backoff_decorrelatedJitter_drawsBetweenTheBaseAndThreeTimesThePreviousWait_cappedAtMaxDelay() {
        RetryPolicy policy = RetryPolicy.exponential(10, Duration.ofMillis(100)).withMaxDelay(Duration.ofMillis(1000))
                .withJitter(RetryPolicy.Jitter.DECORRELATED).withRandom(new SplittableRandom(42));
        long previous = 100;
        for (int retry = 1; retry <= 2000; retry++) {
            long wait = policy.backoffMillis(retry, previous);
            assertThat(wait).as("retry %d after %d ms", retry, previous).isBetween(100L, Math.min(1000L, previous * 3));
            previous = wait;
        }
        assertThat(policy.backoffMillis(1, 900)).isBetween(100L, 1000L);
        assertThat(policy.backoffMillis(1, Long.MAX_VALUE / 2)).isBetween(100L, 1000L); // no overflow
    }

    @Test
    void retry_withoutJitter_waitsExactly_andTheHookSeesAttemptDelayAndReasonBeforeEachRetry() {
        List<String> log = new ArrayList<>();
        AtomicInteger calls = new AtomicInteger();
        RetryPolicy policy = RetryPolicy.exponential(4, Duration.ofMillis(2)).withJitter(RetryPolicy.Jitter.NONE)
                .withOnRetry((attempt, delay, reason) ->
                        log.add("retry after attempt " + attempt + " in " + delay.toMillis() + " ms: " + reason.getMessage()));
        runPromptly(() -> Promise.<String>retry(policy, () -> {
            int n = calls.incrementAndGet();
            log.add("attempt " + n);
            return Promise.reject(new IOException("flaky " + n));
        }).caught(e -> {
            log.add("gave up: " + e.getMessage());
            return null;
        }));
        assertThat(log).containsExactly("attempt 1", "retry after attempt 1 in 2 ms: flaky 1",
                "attempt 2", "retry after attempt 2 in 4 ms: flaky 2",
                "attempt 3", "retry after attempt 3 in 8 ms: flaky 3",
                "attempt 4", "gave up: flaky 4");
    }

    @Test
    void retry_byDefault_doesNotRetryAnError_butRetriesATimeout() {
        AtomicInteger errorCalls = new AtomicInteger();
        AtomicInteger timeoutCalls = new AtomicInteger();
        List<Throwable> reasons = new ArrayList<>();
        runPromptly(() -> {
            Promise.retry(quick(4), () -> {
                errorCalls.incrementAndGet();
                throw new NoClassDefFoundError("com/fasterxml/jackson/databind/ObjectMapper");
            }).caught(e -> {
                reasons.add(e);
                return null;
            });
            Promise.retry(quick(4), () -> {
                timeoutCalls.incrementAndGet();
                return Promise.delay(LONG).timeout(Duration.ofMillis(1));
            }).caught(e -> {
                reasons.add(e);
                return null;
            });
        });
        assertThat(errorCalls.get()).as("an Error is not retried").isEqualTo(1);
        assertThat(timeoutCalls.get()).as("a timeout is retried").isEqualTo(4);
        assertThat(reasons).hasSize(2).anySatisfy(e -> assertThat(e).isInstanceOf(NoClassDefFoundError.class))
                .anySatisfy(e -> assertThat(e).isInstanceOf(AsyncTimeoutException.class));
        assertThat(RetryPolicy.retriesByDefault(new CancellationException())).isFalse();
        assertThat(RetryPolicy.retriesByDefault(new IOException())).isTrue();
    }

    @Test
    void retry_whoseHookThrows_stopsAndRejectsWithWhatTheHookThrew() {
        AtomicInteger calls = new AtomicInteger();
        AtomicReference<Throwable> reason = new AtomicReference<>();
        IllegalStateException broken = new IllegalStateException("logger broken");
        runPromptly(() -> Promise.retry(quick(4).withOnRetry((a, d, r) -> {
            throw broken;
        }), () -> {
            calls.incrementAndGet();
            return Promise.reject(new IOException("flaky"));
        }).caught(e -> {
            reason.set(e);
            return null;
        }));
        assertThat(calls.get()).isEqualTo(1);
        assertThat(reason.get()).isSameAs(broken);
    }

    @Test
    void retry_withDecorrelatedJitter_waitsWithinItsBounds_asTheHookReports() {
        List<Long> waits = new ArrayList<>();
        RetryPolicy policy = RetryPolicy.exponential(6, Duration.ofMillis(1)).withMaxDelay(Duration.ofMillis(20))
                .withJitter(RetryPolicy.Jitter.DECORRELATED).withRandom(new SplittableRandom(3))
                .withOnRetry((a, d, r) -> waits.add(d.toMillis()));
        runPromptly(() -> Promise.retry(policy, () -> Promise.reject(new IOException("x"))).caught(e -> null));
        assertThat(waits).hasSize(5);
        long previous = 1;
        for (long w : waits) {
            assertThat(w).isBetween(1L, Math.min(20L, previous * 3));
            previous = w;
        }
    }

    @Test
    void policy_refusesBadArguments_showingTheValue() {
        assertThatThrownBy(() -> RetryPolicy.exponential(0, Duration.ZERO)).hasMessage("maxAttempts must be >= 1: 0");
        assertThatThrownBy(() -> RetryPolicy.exponential(1, Duration.ofMillis(-5)))
                .hasMessage("initialDelay must be >= 0: PT-0.005S");
        assertThatThrownBy(() -> RetryPolicy.exponential(1, Duration.ZERO).backoffMillis(1, -3))
                .hasMessage("previousMillis must be >= 0: -3");
        assertThatThrownBy(() -> RetryPolicy.exponential(1, Duration.ZERO).withJitter(null)).hasMessage("jitter");
    }
}
