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
 * at most {@link #maxAttempts()} attempts, waiting between them an exponential backoff with
 * <em>full jitter</em> (the wait before retry {@code n} is uniform in
 * {@code [0, min(maxDelay, initialDelay * 2^(n-1))]}, as in "Exponential Backoff And Jitter",
 * AWS Architecture Blog, 2015), never starting a wait that would end after {@link #maxTotal()}
 * from the first attempt, and retrying only reasons {@link #retryIf()} accepts (by default every
 * reason but a {@link CancellationException}).
 *
 * <p>Immutable: each {@code with...} method returns a new policy. Thread-safe if its predicate
 * and random generator are.
 *
 * <h2>Nulls</h2>
 * No parameter may be {@code null} ({@link NullPointerException} naming it).
 */
public final class RetryPolicy {
    private final int maxAttempts;
    private final Duration initialDelay;
    private final Duration maxDelay;
    private final Duration maxTotal;
    private final Predicate<? super Throwable> retryIf;
    /** Null: ThreadLocalRandom of the thread that computes the wait (the loop's). */
    private final RandomGenerator random;

    private RetryPolicy(int maxAttempts, Duration initialDelay, Duration maxDelay, Duration maxTotal,
                        Predicate<? super Throwable> retryIf, RandomGenerator random) {
        this.maxAttempts = maxAttempts;
        this.initialDelay = initialDelay;
        this.maxDelay = maxDelay;
        this.maxTotal = maxTotal;
        this.retryIf = retryIf;
        this.random = random;
    }

    /**
     * Returns a policy of at most {@code maxAttempts} attempts with exponential backoff from
     * {@code initialDelay}, full jitter, waits capped at 30 s, no limit on the total time, retrying
     * every reason but a {@link CancellationException}.
     *
     * @param maxAttempts how many attempts in all, at least 1
     * @param initialDelay the cap of the first wait; not negative
     * @return the policy
     * @throws IllegalArgumentException if {@code maxAttempts < 1} or the delay is negative
     */
    public static RetryPolicy exponential(int maxAttempts, Duration initialDelay) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be >= 1: " + maxAttempts);
        }
        return new RetryPolicy(maxAttempts, nonNegative(initialDelay, "initialDelay"), Duration.ofSeconds(30),
                ChronoUnit.FOREVER.getDuration(), e -> !(e instanceof CancellationException), null);
    }

    /**
     * Returns this policy with waits capped at {@code maxDelay}.
     *
     * @param maxDelay the longest wait; not negative
     * @return a new policy
     */
    public RetryPolicy withMaxDelay(Duration maxDelay) {
        return new RetryPolicy(maxAttempts, initialDelay, nonNegative(maxDelay, "maxDelay"), maxTotal, retryIf, random);
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
        return new RetryPolicy(maxAttempts, initialDelay, maxDelay, nonNegative(maxTotal, "maxTotal"), retryIf, random);
    }

    /**
     * Returns this policy retrying only the reasons {@code retryIf} accepts; it runs on the loop's
     * thread, and if it throws, the result rejects with that exception.
     *
     * @param retryIf receives each rejection reason
     * @return a new policy
     */
    public RetryPolicy withRetryIf(Predicate<? super Throwable> retryIf) {
        return new RetryPolicy(maxAttempts, initialDelay, maxDelay, maxTotal, Objects.requireNonNull(retryIf, "retryIf"), random);
    }

    /**
     * Returns this policy drawing its jitter from {@code random} (a seeded generator makes the
     * waits reproducible in tests).
     *
     * @param random the generator, used on the loop's thread
     * @return a new policy
     */
    public RetryPolicy withRandom(RandomGenerator random) {
        return new RetryPolicy(maxAttempts, initialDelay, maxDelay, maxTotal, retryIf, Objects.requireNonNull(random, "random"));
    }

    /** How many attempts in all, at least 1. */
    public int maxAttempts() {
        return maxAttempts;
    }

    /** The cap of the first wait. */
    public Duration initialDelay() {
        return initialDelay;
    }

    /** The cap of every wait. */
    public Duration maxDelay() {
        return maxDelay;
    }

    /** The total time budget ({@code ChronoUnit.FOREVER}'s duration when unlimited). */
    public Duration maxTotal() {
        return maxTotal;
    }

    /** Which reasons are retried. */
    public Predicate<? super Throwable> retryIf() {
        return retryIf;
    }

    /**
     * Returns the wait before retry {@code retry} (1 for the wait after the first attempt): full
     * jitter, uniform in {@code [0, min(maxDelay, initialDelay * 2^(retry-1))]} milliseconds.
     *
     * @param retry the retry's number, at least 1
     * @return the wait in milliseconds
     */
    public long backoffMillis(int retry) {
        if (retry < 1) {
            throw new IllegalArgumentException("retry must be >= 1: " + retry);
        }
        long base = initialDelay.toMillis();
        long cap = maxDelay.toMillis();
        int shift = Math.min(retry - 1, 62);
        long ceiling = base == 0 ? 0 : (base > (cap >> shift) ? cap : Math.min(cap, base << shift));
        RandomGenerator r = random != null ? random : ThreadLocalRandom.current();
        return ceiling == 0 ? 0 : r.nextLong(ceiling + 1);
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
                + ", maxTotal=" + (maxTotal.equals(ChronoUnit.FOREVER.getDuration()) ? "unlimited" : maxTotal) + "]";
    }
}
