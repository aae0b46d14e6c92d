package dev.eventual.soak;

import dev.eventual.EventLoop;
import dev.eventual.Timeout;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Issue 15.3: once a burst of 1,000,000 is over, a loop's queues let go of the arrays the burst
 * grew. A started loop, idle; the used heap after GC is the baseline. Then three bursts, each
 * from one task of the loop: 1,000,000 timers set and then cleared; 1,000,000 timers that fire
 * (1 ms); 1,000,000 microtasks queued at once. After each, the loop is left idle for
 * {@link #IDLE_MILLIS} (two of its 1 s trim windows and a half), and the used heap after GC
 * must be within {@link #TOLERANCE_MB} of the baseline. Finally the loop closes. Run alone:
 * {@code stress/soak queue-shrink}.
 */
final class QueueShrinkSoak {
    static final double TOLERANCE_MB = 1.0;
    private static final int BURST = 1_000_000;
    private static final long IDLE_MILLIS = 2_500;

    private QueueShrinkSoak() {}

    static SoakResult.Outcome run() {
        EventLoop loop = EventLoop.builder().name("soak-shrink").daemon(true).start();
        try {
            loop.submit(() -> null).toCompletableFuture().join(); // started and idle
            double baseline = Heap.usedAfterGcMb();
            List<String> figures = new ArrayList<>();
            boolean passed = true;
            String[] names = {"1,000,000 timers set then cleared", "1,000,000 timers fired", "1,000,000 microtasks at once"};
            for (int burst = 0; burst < 3; burst++) {
                double peak = runBurst(loop, burst);
                sleep(IDLE_MILLIS);
                double after = Heap.usedAfterGcMb();
                boolean ok = after - baseline <= TOLERANCE_MB;
                passed &= ok;
                figures.add(String.format(Locale.ROOT, "%s: %.1f MB with the burst's queues, %.1f MB after %d ms idle (%+.2f MB)%s",
                        names[burst], peak, after, IDLE_MILLIS, after - baseline, ok ? "" : " OVER"));
            }
            return new SoakResult.Outcome(passed, String.format(Locale.ROOT,
                    "baseline %.1f MB (an idle started loop); %s; tolerance %.1f MB", baseline, String.join("; ", figures), TOLERANCE_MB));
        } finally {
            loop.close();
        }
    }

    /** Runs burst {@code kind} from one task, waits for it to be over, returns the heap after GC right then. */
    private static double runBurst(EventLoop loop, int kind) {
        CountDownLatch over = new CountDownLatch(1);
        loop.execute(() -> {
            switch (kind) {
                case 0 -> {
                    Timeout[] timers = new Timeout[BURST];
                    for (int i = 0; i < BURST; i++) {
                        timers[i] = loop.setTimeout(() -> {}, 60_000);
                    }
                    for (Timeout t : timers) {
                        t.cancel();
                    }
                    over.countDown();
                }
                case 1 -> {
                    int[] fired = new int[1];
                    for (int i = 0; i < BURST; i++) {
                        loop.setTimeout(() -> {
                            if (++fired[0] == BURST) {
                                over.countDown();
                            }
                        }, 1);
                    }
                }
                default -> {
                    for (int i = 0; i < BURST; i++) {
                        loop.queueMicrotask(() -> {});
                    }
                    loop.queueMicrotask(over::countDown); // the last one
                }
            }
        });
        try {
            if (!over.await(120, TimeUnit.SECONDS)) {
                throw new IllegalStateException("burst " + kind + " did not end within 120 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return Heap.usedAfterGcMb();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
