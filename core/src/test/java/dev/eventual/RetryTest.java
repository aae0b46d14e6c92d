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

/** Promise.retry and RetryPolicy: attempts, backoff with full jitter, limits, signal, cancel. */
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
    void policy_refusesBadArguments_showingTheValue() {
        assertThatThrownBy(() -> RetryPolicy.exponential(0, Duration.ZERO)).hasMessage("maxAttempts must be >= 1: 0");
        assertThatThrownBy(() -> RetryPolicy.exponential(1, Duration.ofMillis(-5)))
                .hasMessage("initialDelay must be >= 0: PT-0.005S");
    }
}
