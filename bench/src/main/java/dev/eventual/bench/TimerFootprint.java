package dev.eventual.bench;

import dev.eventual.EventLoop;
import dev.eventual.Timer;
import io.netty.util.HashedWheelTimer;
import io.netty.util.Timeout;
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

    private static long usedAfterGc() throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(50);
            Runtime rt = Runtime.getRuntime();
            used = Math.min(used, rt.totalMemory() - rt.freeMemory());
        }
        return used;
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        Runnable nothing = () -> {};

        try (EventLoop loop = EventLoop.builder().name("footprint").daemon(true).start()) {
            Timer[] timers = new Timer[n];
            long before = usedAfterGc();
            CountDownLatch scheduled = new CountDownLatch(1);
            loop.execute(() -> {
                for (int i = 0; i < n; i++) {
                    timers[i] = loop.setTimeout(nothing, 3_600_000);
                }
                scheduled.countDown();
            });
            scheduled.await();
            long after = usedAfterGc();
            System.out.printf("eventual %.1f%n", (after - before) / (double) n);
            CountDownLatch cancelled = new CountDownLatch(1);
            loop.execute(() -> {
                for (Timer t : timers) {
                    t.cancel();
                }
                cancelled.countDown();
            });
            cancelled.await();
        }

        HashedWheelTimer wheel = new HashedWheelTimer();
        wheel.start();
        Timeout[] timeouts = new Timeout[n];
        long before = usedAfterGc();
        for (int i = 0; i < n; i++) {
            timeouts[i] = wheel.newTimeout(t -> { }, 1, TimeUnit.HOURS);
        }
        Thread.sleep(300); // the wheel moves new timeouts into its buckets on its next tick
        long after = usedAfterGc();
        System.out.printf("netty %.1f%n", (after - before) / (double) n);
        wheel.stop();

        ScheduledThreadPoolExecutor stpe = new ScheduledThreadPoolExecutor(1);
        ScheduledFuture<?>[] futures = new ScheduledFuture<?>[n];
        before = usedAfterGc();
        for (int i = 0; i < n; i++) {
            futures[i] = stpe.schedule(nothing, 1, TimeUnit.HOURS);
        }
        after = usedAfterGc();
        System.out.printf("completableFuture %.1f%n", (after - before) / (double) n);
        stpe.shutdownNow();
    }
}
