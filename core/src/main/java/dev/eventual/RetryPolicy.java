package dev.eventual;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * How {@link Promise#retry(RetryPolicy, java.util.function.Supplier) Promise.retry} tries again:
 * at most {@link #maxAttempts()} attempts, waiting between them an exponential backoff shaped by
 * a {@link Jitter} mode (by default {@link Jitter#FULL}: the wait before retry {@code n} is
 * uniform in {@code [0, min(maxDelay, initialDelay * 2^(n-1))]}), never starting a wait that
 * would end after {@link #maxTotal()} from the first attempt, and retrying only reasons
 * {@link #retryIf()} accepts (by default {@link #retriesByDefault}: every reason but a
 * {@link CancellationException} or an {@link Error}). The jitter modes are those of "Exponential
 * Backoff And Jitter" (Marc Brooker, AWS Architecture Blog, 2015).
 *
 * <pre>{@code
 * RetryPolicy policy = RetryPolicy.exponential(4, Duration.ofMillis(100))   // waits 100, 200, 400 ms
 *         .withJitter(RetryPolicy.Jitter.NONE)
 *         .withRetryIf(e -> RetryPolicy.retriesByDefault(e) && !(e instanceof IllegalArgumentException))
 *         .withOnRetry((attempt, delay, reason) ->
 *                 log.warn("attempt {} failed ({}); retrying in {} ms", attempt, reason, delay.toMillis()));
 * }</pre>
 *
 * <p>Immutable: each {@code with...} method returns a new policy. Thread-safe if its predicate,
 * hook and random generator are.
 *
 * <h2>Nulls</h2>
 * No parameter may be {@code null} ({@link NullPointerException} naming it).
 */
public final class RetryPolicy {

    /**
     * How the wait before a retry is drawn from its exponential ceiling
     * {@code c(n) = min(maxDelay, initialDelay * 2^(n-1))} for retry {@code n} (1 for the wait
     * after the first attempt). The names are those of the AWS article cited in the class javadoc.
     */
    public enum Jitter {
        /** No randomness: exactly {@code c(n)}: 100, 200, 400 ms for a 100 ms initial delay. */
        NONE,
        /** Uniform in {@code [0, c(n)]}: the article's recommendation, and the default. */
        FULL,
        /** {@code c(n)/2} plus uniform in {@code [0, c(n)/2]}: never less than half the ceiling. */
        EQUAL,
        /**
         * Uniform in {@code [initialDelay, 3 * previous wait]} (the first "previous" is
         * {@code initialDelay}), capped at {@code maxDelay}: each wait follows the last one
         * rather than the retry's number.
         */
        DECORRELATED
    }

    /**
     * Called before each retry, for logging or metrics ({@link #withOnRetry}).
     */
    @FunctionalInterface
    public interface OnRetry {
        /**
         * Called on the loop's thread when an attempt has failed with a reason that will be
         * retried, before the wait starts (not when the policy gives up).
         *
         * @param attempt the number of the attempt that failed, 1 for the first
         * @param delay the wait before the next attempt
         * @param reason what the failed attempt rejected with (or threw)
         */
        void beforeRetry(int attempt, Duration delay, Throwable reason);
    }

    private static final OnRetry NO_HOOK = (attempt, delay, reason) -> { };

    private final int maxAttempts;
    private final Duration initialDelay;
    private final Duration maxDelay;
    private final Duration maxTotal;
    private final Predicate<? super Throwable> retryIf;
    private final Jitter jitter;
    private final OnRetry onRetry;
    /** Null: ThreadLocalRandom of the thread that computes the wait (the loop's). */
    private final RandomGenerator random;

    private RetryPolicy(int maxAttempts, Duration initialDelay, Duration maxDelay, Duration maxTotal,
                        Predicate<? super Throwable> retryIf, Jitter jitter, OnRetry onRetry, RandomGenerator random) {
        this.maxAttempts = maxAttempts;
        this.initialDelay = initialDelay;
        this.maxDelay = maxDelay;
        this.maxTotal = maxTotal;
        this.retryIf = retryIf;
        this.jitter = jitter;
        this.onRetry = onRetry;
        this.random = random;
    }

    /**
     * Returns a policy of at most {@code maxAttempts} attempts with exponential backoff from
     * {@code initialDelay}, {@link Jitter#FULL full jitter}, waits capped at 30 s, no limit on the
     * total time, retrying the reasons {@link #retriesByDefault} accepts, with no hook.
     *
     * @param maxAttempts how many attempts in all, at least 1
     * @param initialDelay the ceiling of the first wait; not negative
     * @return the policy
     * @throws IllegalArgumentException if {@code maxAttempts < 1} or the delay is negative
     */
    public static RetryPolicy exponential(int maxAttempts, Duration initialDelay) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be >= 1: " + maxAttempts);
        }
        return new RetryPolicy(maxAttempts, nonNegative(initialDelay, "initialDelay"), Duration.ofSeconds(30),
                ChronoUnit.FOREVER.getDuration(), RetryPolicy::retriesByDefault, Jitter.FULL, NO_HOOK, null);
    }

    /**
     * The default of {@link #retryIf()}: whether a failure with {@code reason} may succeed on a
     * retry as far as the core can tell. {@code false} for a {@link CancellationException} (someone
     * asked the work to stop) and for an {@link Error} (a {@code NoClassDefFoundError} or an
     * {@code OutOfMemoryError} will not go away by waiting); {@code true} for everything else,
     * including an {@link AsyncTimeoutException}. Compose it with what you know of your own
     * failures ({@code fetch}'s transient errors, say): {@code withRetryIf(e -> retriesByDefault(e)
     * && myCheck(e))}.
     *
     * @param reason a rejection reason
     * @return whether the default policy retries it
     */
    public static boolean retriesByDefault(Throwable reason) {
        return !(reason instanceof CancellationException) && !(reason instanceof Error);
    }

    /**
     * Returns this policy with waits capped at {@code maxDelay}.
     *
     * @param maxDelay the longest wait; not negative
     * @return a new policy
     */
    public RetryPolicy withMaxDelay(Duration maxDelay) {
        return new RetryPolicy(maxAttempts, initialDelay, nonNegative(maxDelay, "maxDelay"), maxTotal, retryIf,
                jitter, onRetry, random);
    }

    /**
     * Returns this policy with a limit on the total time: no wait starts that would end more than
     * {@code maxTotal} after the first attempt started; the result then rejects with the last
     * reason. An attempt in flight is not cut short (combine with {@link Promise#timeout} for that).
     *
     * @param maxTotal the budget; not negative
     * @return a new policy
     */
    public RetryPolicy withMaxTotal(Duration maxTotal) {
        return new RetryPolicy(maxAttempts, initialDelay, maxDelay, nonNegative(maxTotal, "maxTotal"), retryIf,
                jitter, onRetry, random);
    }

    /**
     * Returns this policy retrying only the reasons {@code retryIf} accepts (it replaces the
     * default, {@link #retriesByDefault}); it runs on the loop's thread, and if it throws, the
     * result rejects with that exception.
     *
     * @param retryIf receives each rejection reason
     * @return a new policy
     */
    public RetryPolicy withRetryIf(Predicate<? super Throwable> retryIf) {
        return new RetryPolicy(maxAttempts, initialDelay, maxDelay, maxTotal, Objects.requireNonNull(retryIf, "retryIf"),
                jitter, onRetry, random);
    }

    /**
     * Returns this policy drawing its waits with {@code jitter} ({@link Jitter#NONE} for fixed
     * waits).
     *
     * @param jitter the mode
     * @return a new policy
     */
    public RetryPolicy withJitter(Jitter jitter) {
        return new RetryPolicy(maxAttempts, initialDelay, maxDelay, maxTotal, retryIf,
                Objects.requireNonNull(jitter, "jitter"), onRetry, random);
    }

    /**
     * Returns this policy calling {@code onRetry} before each retry (see {@link OnRetry} for what
     * it receives, on which thread and when). If it throws, the retries stop and the result
     * rejects with that exception, as when {@link #retryIf()} throws.
     *
     * @param onRetry the hook
     * @return a new policy
     */
    public RetryPolicy withOnRetry(OnRetry onRetry) {
        return new RetryPolicy(maxAttempts, initialDelay, maxDelay, maxTotal, retryIf, jitter,
                Objects.requireNonNull(onRetry, "onRetry"), random);
    }

    /**
     * Returns this policy drawing its jitter from {@code random} (a seeded generator makes the
     * waits reproducible in tests).
     *
     * @param random the generator, used on the loop's thread
     * @return a new policy
     */
    public RetryPolicy withRandom(RandomGenerator random) {
        return new RetryPolicy(maxAttempts, initialDelay, maxDelay, maxTotal, retryIf, jitter, onRetry,
                Objects.requireNonNull(random, "random"));
    }

    /**
     * How many attempts in all, at least 1.
     *
     * @return the most attempts, the first one included; at least 1
     */
    public int maxAttempts() {
        return maxAttempts;
    }

    /**
     * The ceiling of the first wait.
     *
     * @return the ceiling of the wait before the first retry (the lower bound of every wait
     *     for {@link Jitter#DECORRELATED})
     */
    public Duration initialDelay() {
        return initialDelay;
    }

    /**
     * The cap of every wait.
     *
     * @return the upper bound of any one wait between attempts
     */
    public Duration maxDelay() {
        return maxDelay;
    }

    /**
     * The total time budget ({@code ChronoUnit.FOREVER}'s duration when unlimited).
     *
     * @return the time budget for all attempts and waits; {@code ChronoUnit.FOREVER.getDuration()}
     *     when unlimited
     */
    public Duration maxTotal() {
        return maxTotal;
    }

    /**
     * Which reasons are retried.
     *
     * @return the predicate a rejection reason must pass to be retried
     */
    public Predicate<? super Throwable> retryIf() {
        return retryIf;
    }

    /**
     * How waits are drawn.
     *
     * @return the jitter: {@link Jitter#NONE}, {@link Jitter#FULL} (the default),
     *     {@link Jitter#EQUAL} or {@link Jitter#DECORRELATED}
     */
    public Jitter jitter() {
        return jitter;
    }

    /**
     * The hook called before each retry (one that does nothing unless set).
     *
     * @return the hook called before each retry; one that does nothing when none was set
     */
    public OnRetry onRetry() {
        return onRetry;
    }

    /**
     * Returns the wait before retry {@code retry} (1 for the wait after the first attempt) as the
     * {@link #jitter()} mode draws it from the ceiling {@code min(maxDelay, initialDelay *
     * 2^(retry-1))}; for {@link Jitter#DECORRELATED}, which follows the previous wait rather than
     * the number, this is the first wait's draw (use {@link #backoffMillis(int, long)}).
     *
     * @param retry the retry's number, at least 1
     * @return the wait in milliseconds
     */
    public long backoffMillis(int retry) {
        return backoffMillis(retry, initialDelay.toMillis());
    }

    /**
     * Returns the wait before retry {@code retry} given the previous wait (for the first retry,
     * pass {@code initialDelay}); only {@link Jitter#DECORRELATED} uses {@code previousMillis}.
     *
     * @param retry the retry's number, at least 1
     * @param previousMillis the previous wait in milliseconds, not negative
     * @return the wait in milliseconds, between 0 and {@code maxDelay}
     */
    public long backoffMillis(int retry, long previousMillis) {
        if (retry < 1) {
            throw new IllegalArgumentException("retry must be >= 1: " + retry);
        }
        if (previousMillis < 0) {
            throw new IllegalArgumentException("previousMillis must be >= 0: " + previousMillis);
        }
        long base = initialDelay.toMillis();
        long cap = maxDelay.toMillis();
        RandomGenerator r = random != null ? random : ThreadLocalRandom.current();
        if (jitter == Jitter.DECORRELATED) {
            long high = previousMillis > Long.MAX_VALUE / 3 ? Long.MAX_VALUE : Math.max(base, previousMillis * 3);
            long draw = high <= base ? base : base + r.nextLong(high - base + 1);
            return Math.min(cap, draw);
        }
        int shift = Math.min(retry - 1, 62);
        long ceiling = base == 0 ? 0 : (base > (cap >> shift) ? cap : Math.min(cap, base << shift));
        return switch (jitter) {
            case NONE -> ceiling;
            case FULL -> ceiling == 0 ? 0 : r.nextLong(ceiling + 1);
            case EQUAL -> ceiling / 2 + (ceiling == 0 ? 0 : r.nextLong(ceiling - ceiling / 2 + 1));
            case DECORRELATED -> throw new AssertionError("handled above");
        };
    }

    private static Duration nonNegative(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative()) {
            throw new IllegalArgumentException(name + " must be >= 0: " + d);
        }
        return d;
    }

    @Override
    public String toString() {
        return "RetryPolicy[maxAttempts=" + maxAttempts + ", initialDelay=" + initialDelay + ", maxDelay=" + maxDelay
                + ", maxTotal=" + (maxTotal.equals(ChronoUnit.FOREVER.getDuration()) ? "unlimited" : maxTotal)
                + ", jitter=" + jitter + "]";
    }
}
