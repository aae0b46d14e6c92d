package dev.eventual.bench;

import dev.eventual.EventLoop;
import dev.eventual.Timeout;
import io.netty.util.HashedWheelTimer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Retained heap per pending timer (scenario 5's memory goal): schedules {@code n} one-hour timers,
 * forces collection, and divides the growth of the used heap by {@code n}. Prints one line per
 * implementation, {@code name bytes-per-timer}, which {@code bench/run} puts into BENCHMARKS.md.
 *
 * <p>Run: {@code java -cp bench/target/benchmarks.jar dev.eventual.bench.TimerFootprint [n]}.
 */
public final class TimerFootprint {
    private TimerFootprint() {}

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        // One method per implementation: its handles are unreachable when it returns, so they are
        // not counted in the next one's baseline.
        System.out.printf("eventual %.1f%n", eventual(n));
        System.out.printf("netty %.1f%n", netty(n));
        System.out.printf("completableFuture %.1f%n", scheduledExecutor(n));
    }

    private static final Runnable NOTHING = () -> {};

    private static double eventual(int n) throws Exception {
        try (EventLoop loop = EventLoop.builder().name("footprint").daemon(true).start()) {
            Timeout[] timers = new Timeout[n];
            long before = UsedHeap.afterGc();
            CountDownLatch scheduled = new CountDownLatch(1);
            loop.execute(() -> {
                for (int i = 0; i < n; i++) {
                    timers[i] = loop.setTimeout(NOTHING, 3_600_000);
                }
                scheduled.countDown();
            });
            scheduled.await();
            long after = UsedHeap.afterGc();
            CountDownLatch cancelled = new CountDownLatch(1);
            loop.execute(() -> {
                for (Timeout t : timers) {
                    t.cancel();
                }
                cancelled.countDown();
            });
            cancelled.await();
            return (after - before) / (double) n;
        }
    }

    private static double netty(int n) throws Exception {
        HashedWheelTimer wheel = new HashedWheelTimer();
        wheel.start();
        try {
            io.netty.util.Timeout[] timeouts = new io.netty.util.Timeout[n];
            long before = UsedHeap.afterGc();
            for (int i = 0; i < n; i++) {
                timeouts[i] = wheel.newTimeout(t -> { }, 1, TimeUnit.HOURS);
            }
            Thread.sleep(300); // the wheel moves new timeouts into its buckets on its next tick
            long after = UsedHeap.afterGc();
            return (after - before) / (double) n;
        } finally {
            wheel.stop();
        }
    }

    private static double scheduledExecutor(int n) throws Exception {
        ScheduledThreadPoolExecutor stpe = new ScheduledThreadPoolExecutor(1);
        try {
            ScheduledFuture<?>[] futures = new ScheduledFuture<?>[n];
            long before = UsedHeap.afterGc();
            for (int i = 0; i < n; i++) {
                futures[i] = stpe.schedule(NOTHING, 1, TimeUnit.HOURS);
            }
            long after = UsedHeap.afterGc();
            return (after - before) / (double) n;
        } finally {
            stpe.shutdownNow();
        }
    }
}
