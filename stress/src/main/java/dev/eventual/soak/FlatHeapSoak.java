package dev.eventual.soak;

import static java.util.concurrent.TimeUnit.MINUTES;

import dev.eventual.EventLoop;
import dev.eventual.UnhandledRejectionPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * A loop that runs mixed work ({@link MixedWork}) for {@code seconds} keeps a flat heap: the
 * used heap after a full GC at the end is at most {@link #TOLERANCE_MB} above the one after the
 * warm-up.
 *
 * <p>Two producer threads start operations as fast as {@link #IN_FLIGHT} permits allow; each
 * operation gives its permit back when it ends. To take a sample the soak takes every permit
 * (a fair semaphore, so the producers queue behind it), which means every operation started so
 * far has ended; then it lets the loop drain one more task, collects, reads the used heap and
 * gives the permits back. So each sample sees the same state, a quiescent loop, and what it
 * holds is what the loop retains, not work in flight. Samples: one after the warm-up (a tenth
 * of the run, at least 5 s: JIT, class loading, the queues growing to their working size), ten
 * more spread over the rest, the last one at the end.
 *
 * <p>Why {@value #TOLERANCE_MB} MB: the structures that legitimately keep their size are the
 * microtask ring and the timer heap (they keep their working size while the load lasts; see
 * QueueShrinkSoak for what they give back after it) and the
 * loop's set of promises with a {@code CompletableFuture} (pruned of settled ones as it grows),
 * all bounded by the operations in flight: 8 MB is about 2 KB per in-flight operation. A leak of
 * one object per operation would show many times over: a run makes tens of millions.
 */
final class FlatHeapSoak {
    static final double TOLERANCE_MB = 8;
    private static final int IN_FLIGHT = 4_096;
    private static final int PRODUCERS = 2;
    private static final int SAMPLES = 10;

    private FlatHeapSoak() {}

    static SoakResult.Outcome run(long seconds) {
        long start = System.nanoTime();
        Semaphore permits = new Semaphore(IN_FLIGHT, true);
        AtomicLong started = new AtomicLong();
        AtomicLong finished = new AtomicLong();
        MixedWork work = new MixedWork(EventLoop.builder().name("soak-mixed").daemon(true)
                .unhandledRejections(UnhandledRejectionPolicy.IGNORE));
        EventLoop loop = work.loop();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> producers = new ArrayList<>();
        for (int p = 0; p < PRODUCERS; p++) {
            SplittableRandom random = new SplittableRandom(42 + p);
            producers.add(Thread.ofPlatform().name("producer-" + p).start(() -> {
                for (;;) {
                    permits.acquireUninterruptibly();
                    if (stop.get()) { // set while the soak held every permit: seen by the acquire above
                        permits.release();
                        return;
                    }
                    started.incrementAndGet();
                    work.start(random.nextInt(MixedWork.KINDS), random.nextInt(1_000_000), () -> {
                        finished.incrementAndGet();
                        permits.release();
                    });
                }
            }));
        }
        List<Double> samples = new ArrayList<>();
        long warmUpMillis = Math.max(5_000, seconds * 100);
        long runMillis = seconds * 1_000;
        try {
            Thread.sleep(warmUpMillis);
            samples.add(sample(permits, loop));
            for (int i = 1; i <= SAMPLES; i++) {
                long due = warmUpMillis + (runMillis - warmUpMillis) * i / SAMPLES;
                long wait = due - (System.nanoTime() - start) / 1_000_000;
                if (wait > 0) {
                    Thread.sleep(wait);
                }
                samples.add(sample(permits, loop));
                }
            quiesce(permits); // again, for the final counts
            loop.submit(() -> null).toCompletableFuture().get(1, MINUTES);
            stop.set(true);
            permits.release(IN_FLIGHT);
            for (Thread t : producers) {
                t.join();
            }
        } catch (Exception e) {
            throw new IllegalStateException("soak 'flat-heap' could not finish", e);
        } finally {
            loop.close();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        double baseline = samples.get(0);
        double end = samples.get(samples.size() - 1);
        double growth = end - baseline;
        boolean countsAgree = started.get() == finished.get()
                && work.taskErrors.get() == work.expectedTaskErrors.get()
                && work.unhandled.get() == work.expectedUnhandled.get()
                && work.handledLater.get() == work.expectedHandledLater.get();
        boolean passed = growth <= TOLERANCE_MB && countsAgree && work.anomalies.get() == 0;
        String figures = String.format(Locale.ROOT,
                "%s operations of 10 kinds in %.0f s (%s/s), %d in flight at most, %d producer threads;"
                        + " used heap after GC, quiescent: %.1f MB after %d s warm-up, then %s MB; growth %+.1f MB"
                        + " (tolerance %.0f MB); started %s, ended %s; task errors %s of %s expected;"
                        + " unhandled rejections %s of %s expected, handled later %s of %s; anomalies %d%s",
                SoakResult.count(finished.get()), elapsed, SoakResult.count(Math.round(finished.get() / elapsed)),
                IN_FLIGHT, PRODUCERS, baseline, warmUpMillis / 1000,
                samples.subList(1, samples.size()).stream().map(v -> String.format(Locale.ROOT, "%.1f", v))
                        .collect(Collectors.joining(", ")),
                growth, TOLERANCE_MB, SoakResult.count(started.get()), SoakResult.count(finished.get()),
                SoakResult.count(work.taskErrors.get()), SoakResult.count(work.expectedTaskErrors.get()),
                SoakResult.count(work.unhandled.get()), SoakResult.count(work.expectedUnhandled.get()),
                SoakResult.count(work.handledLater.get()), SoakResult.count(work.expectedHandledLater.get()),
                work.anomalies.get(), work.anomalies.get() == 0 ? "" : " " + work.firstAnomalies());
        return new SoakResult.Outcome(passed, figures);
    }

    /** Used heap after GC with no operation in flight (see the class javadoc). */
    private static double sample(Semaphore permits, EventLoop loop) throws Exception {
        quiesce(permits);
        try {
            loop.submit(() -> null).toCompletableFuture().get(1, MINUTES);
            return Heap.usedAfterGcMb();
        } finally {
            permits.release(IN_FLIGHT);
        }
    }

    /** Takes every permit: every operation started so far has ended. Fails rather than hang. */
    private static void quiesce(Semaphore permits) throws InterruptedException {
        if (!permits.tryAcquire(IN_FLIGHT, 2, MINUTES)) {
            throw new IllegalStateException((IN_FLIGHT - permits.availablePermits())
                    + " operations did not end within 2 minutes: lost callbacks");
        }
    }
}
