package dev.eventual.internal;

import dev.eventual.AbortSignal;
import dev.eventual.Promise;
import dev.eventual.RetryPolicy;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The promise of {@code Promise.retry(policy[, signal], attempt)}: calls {@code attempt} for a
 * promise, settles like the first that fulfils, and between rejections waits on a timer as the
 * policy says (backoff and its jitter mode, attempt and total-time limits, which reasons to retry,
 * the hook called before each retry).
 *
 * <p>States, loop-confined (the loop thread of this promise): an attempt in flight
 * ({@code current} non-null, this registered on it), or a wait ({@code timer} non-null), or
 * settled. A reaction from an attempt of another loop is handed to this loop first.
 *
 * <p>Cancellation (rule 6): cancelling this promise clears the wait and releases the attempt in
 * flight under the consumer rule. The signal aborting does the same after rejecting this promise
 * with the signal's reason; its algorithm may run on another thread, so it only settles (CAS) and
 * hands the rest to this loop.
 */
public final class Retry<T> extends TimedPromise<T> implements Reaction {
    private final RetryPolicy policy;
    private final Supplier<? extends Promise<? extends T>> attempt;
    private final long startMillis;
    private int attempts;
    /** The last wait, for decorrelated jitter; starts at the initial delay. Loop thread only. */
    private long previousWait;
    private PromiseImpl<?> current;

    private Retry(EventLoopImpl loop, RetryPolicy policy, Supplier<? extends Promise<? extends T>> attempt) {
        super(loop);
        this.policy = policy;
        this.attempt = attempt;
        this.previousWait = policy.initialDelay().toMillis();
        this.startMillis = loop.clock(); // the loop's clock, so that a virtual one moves the budget too
    }

    public static <T> Promise<T> start(EventLoopImpl loop, RetryPolicy policy, AbortSignal abortSignal,
                                Supplier<? extends Promise<? extends T>> attempt) {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(attempt, "attempt");
        Retry<T> retry = new Retry<>(loop, policy, attempt);
        if (abortSignal != null) {
            Signal s = Signal.of(abortSignal);
            retry.signal = s;
            retry.subscription = s.subscribe(retry::aborted, Signal.ALGORITHM);
            if (retry.subscription == null) {
                retry.tryReject(s.reason()); // aborted already: no attempt at all
                return retry;
            }
        }
        retry.next();
        return retry;
    }

    /** Loop thread: starts the next attempt, unless settled meanwhile. */
    private void next() {
        timer = null;
        if (isSettled()) {
            return;
        }
        attempts++;
        PromiseImpl<?> p;
        try {
            p = PromiseImpl.of(Objects.requireNonNull(attempt.get(), "retry attempt returned null instead of a promise"),
                    "attempt");
        } catch (Throwable t) {
            failed(t);
            return;
        }
        current = p;
        p.register(this);
    }

    @Override
    public void react(Object r) {
        if (loop.inEventLoop()) {
            settled(r);
        } else {
            loop.runOnLoop(() -> settled(r));
        }
    }

    private void settled(Object r) {
        current = null;
        if (isSettled()) {
            return; // cancelled or aborted meanwhile
        }
        if (r instanceof Failure f) {
            failed(f.reason);
        } else if (complete(r)) {
            unsubscribe();
        }
    }

    /** Loop thread: an attempt failed with {@code reason}; retry after a wait, or give up. */
    private void failed(Throwable reason) {
        long wait;
        try {
            if (attempts >= policy.maxAttempts() || !policy.retryIf().test(reason)) {
                giveUp(reason);
                return;
            }
            wait = policy.backoffMillis(attempts, previousWait);
        } catch (Throwable t) {
            giveUp(t);
            return;
        }
        long elapsedMillis = loop.clock() - startMillis;
        long budget;
        try {
            budget = policy.maxTotal().toMillis();
        } catch (ArithmeticException unlimited) { // ChronoUnit.FOREVER: no budget
            budget = Long.MAX_VALUE;
        }
        if (wait > budget - elapsedMillis) {
            giveUp(reason);
            return;
        }
        try {
            policy.onRetry().beforeRetry(attempts, Duration.ofMillis(wait), reason);
        } catch (Throwable t) {
            giveUp(t); // a failing hook stops the retries loudly, as a failing retryIf does
            return;
        }
        if (isSettled()) {
            return; // the hook cancelled the retry (or aborted its signal)
        }
        previousWait = wait;
        timer = loop.addTimer(this::next, wait, false, "wait", "retry");
    }

    private void giveUp(Throwable reason) {
        if (tryReject(reason)) {
            unsubscribe();
        }
    }

    /** The signal aborted: reject, then stop the rest on the loop. */
    private void aborted() {
        subscription = null;
        if (tryReject(signal.reason())) {
            loop.runOnLoop(() -> {
                PromiseImpl<?> inFlight = producerCancelled();
                if (inFlight != null) {
                    inFlight.releaseConsumer();
                }
            });
        }
    }

    @Override
    public boolean needsOutcome() {
        return !isSettled();
    }

    @Override
    PromiseImpl<?> producerCancelled() {
        clearTimer();
        unsubscribe();
        PromiseImpl<?> inFlight = current;
        current = null;
        return inFlight;
    }

    @Override
    public String toString() {
        return "Retry[attempt " + attempts + " of " + policy.maxAttempts() + ", " + super.toString() + "]";
    }
}
