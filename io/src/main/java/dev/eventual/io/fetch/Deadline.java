package dev.eventual.io.fetch;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The deadline of one fetch's {@link Request.Builder#timeout timeout}: it starts at the call to
 * {@code fetch} and, once passed, runs the exchange's expiry action on a timer thread shared by
 * every {@link FetchClient} (one daemon thread, "eventual-fetch-timeout", started with the first
 * timeout). Cancelled when the exchange and its body have ended, which removes it from the
 * timer's queue, so finished fetches are not kept until their deadline.
 *
 * <p>Thread-safe: {@link #cancel()} and {@link #passed()} may be called from any thread; the
 * timer's own future orders the expiry against a cancel (one of them wins).
 */
final class Deadline {
    private final long startNanos;
    private final long timeoutNanos;
    private final Duration timeout;
    private final ScheduledFuture<?> task;

    /** Starts a deadline {@code timeout} from now that runs {@code onExpiry} (which must not throw). */
    Deadline(Duration timeout, Runnable onExpiry) {
        this.startNanos = System.nanoTime();
        this.timeout = timeout;
        this.timeoutNanos = saturatedNanos(timeout);
        this.task = Scheduler.INSTANCE.schedule(onExpiry, timeoutNanos, TimeUnit.NANOSECONDS);
    }

    Duration timeout() {
        return timeout;
    }

    /** Whether the deadline has passed (its expiry action may not have run yet). */
    boolean passed() {
        return System.nanoTime() - startNanos >= timeoutNanos;
    }

    /** Stops the deadline; idempotent, harmless after the expiry. */
    void cancel() {
        task.cancel(false);
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE / 2; // about 146 years: never
        }
    }

    /** The shared timer, created on the first timeout. */
    private static final class Scheduler {
        static final ScheduledThreadPoolExecutor INSTANCE = create();

        private static ScheduledThreadPoolExecutor create() {
            ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1,
                    r -> Thread.ofPlatform().daemon().name("eventual-fetch-timeout").unstarted(r));
            timer.setRemoveOnCancelPolicy(true); // a cancelled deadline leaves the queue at once
            return timer;
        }
    }
}
