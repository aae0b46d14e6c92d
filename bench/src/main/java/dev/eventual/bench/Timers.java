package dev.eventual.bench;

import dev.eventual.Timeout;
import io.netty.util.HashedWheelTimer;
import java.util.Random;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Scenario 5: schedule {@code n} timers with random delays up to 10 s (seeded) and cancel 90% of
 * them. Score per invocation (the average over back-to-back invocations); BENCHMARKS.md divides
 * by {@code n}. The 10% left are cancelled after each invocation, outside the measurement.
 *
 * <p>Columns: {@code eventual} schedules on its loop thread; {@code netty} is a
 * {@link HashedWheelTimer} (scheduling from the benchmark thread, as its users do);
 * {@code completableFuture} is the {@link ScheduledThreadPoolExecutor} that backs
 * {@code CompletableFuture.delayedExecutor} (with {@code removeOnCancelPolicy}, so that cancelled
 * tasks leave its queue); {@code vertx} is {@code setTimer}/{@code cancelTimer} on a context;
 * {@code floor} appends to an array and marks cancellations, with no ordering at all.
 *
 * <p>Run: {@code bench/run Timers}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
// Average time over back-to-back invocations, not single shots: single shots after a short
// warm-up find every column still compiling (figures: BENCHMARKS.md, the Timers note). The
// invocation-level teardown is outside the timed call (JMH times each call alone when a benchmark
// has one), which costs no accuracy while a call is long next to the timing around it.
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(Settings.FORKS)
public class Timers {
    @Param({"1000", "100000", "1000000"})
    public int n;

    private long[] delays;
    private final Done done = new Done();
    private HashedWheelTimer wheel;
    private ScheduledThreadPoolExecutor stpe;

    private Timeout[] eventualTimers;
    private io.netty.util.Timeout[] nettyTimeouts;
    private ScheduledFuture<?>[] stpeFutures;
    private long[] vertxIds;
    private long[] floorDeadlines;
    private boolean[] floorCancelled;
    private Peers peers;

    private static final Runnable NOTHING = () -> {};

    @Setup(Level.Trial)
    public void setup(Peers peers) {
        this.peers = peers;
        Random random = new Random(42);
        delays = new long[n];
        for (int i = 0; i < n; i++) {
            delays[i] = 1 + random.nextInt(10_000);
        }
        wheel = new HashedWheelTimer();
        wheel.start();
        stpe = new ScheduledThreadPoolExecutor(1);
        stpe.setRemoveOnCancelPolicy(true);
        eventualTimers = new Timeout[n];
        nettyTimeouts = new io.netty.util.Timeout[n];
        stpeFutures = new ScheduledFuture<?>[n];
        vertxIds = new long[n];
        floorDeadlines = new long[n];
        floorCancelled = new boolean[n];
    }

    @TearDown(Level.Trial)
    public void teardown() {
        wheel.stop();
        stpe.shutdownNow();
    }

    /** Cancels the 10% left pending, so invocations do not pile up timers. Not measured. */
    @TearDown(Level.Invocation)
    public void cancelTheRest() {
        peers.eventual.execute(() -> {
            for (int i = 0; i < n; i += 10) {
                if (eventualTimers[i] != null) {
                    eventualTimers[i].cancel();
                    eventualTimers[i] = null;
                }
            }
            done.signal();
        });
        done.await();
        for (int i = 0; i < n; i += 10) {
            if (nettyTimeouts[i] != null) {
                nettyTimeouts[i].cancel();
                nettyTimeouts[i] = null;
            }
            if (stpeFutures[i] != null) {
                stpeFutures[i].cancel(false);
                stpeFutures[i] = null;
            }
        }
        peers.onVertx(() -> {
            for (int i = 0; i < n; i += 10) {
                if (vertxIds[i] != 0) {
                    peers.vertx.cancelTimer(vertxIds[i]);
                    vertxIds[i] = 0;
                }
            }
            done.signal();
        });
        done.await();
    }

    @Benchmark
    public Object eventual() {
        peers.eventual.execute(() -> {
            for (int i = 0; i < n; i++) {
                eventualTimers[i] = peers.eventual.setTimeout(NOTHING, delays[i]);
            }
            for (int i = 0; i < n; i++) {
                if (i % 10 != 0) {
                    eventualTimers[i].cancel();
                    eventualTimers[i] = null;
                }
            }
            done.signal();
        });
        done.await();
        return eventualTimers;
    }

    @Benchmark
    public Object netty() {
        for (int i = 0; i < n; i++) {
            nettyTimeouts[i] = wheel.newTimeout(t -> { }, delays[i], TimeUnit.MILLISECONDS);
        }
        for (int i = 0; i < n; i++) {
            if (i % 10 != 0) {
                nettyTimeouts[i].cancel();
                nettyTimeouts[i] = null;
            }
        }
        return nettyTimeouts;
    }

    @Benchmark
    public Object completableFuture() {
        for (int i = 0; i < n; i++) {
            stpeFutures[i] = stpe.schedule(NOTHING, delays[i], TimeUnit.MILLISECONDS);
        }
        for (int i = 0; i < n; i++) {
            if (i % 10 != 0) {
                stpeFutures[i].cancel(false);
                stpeFutures[i] = null;
            }
        }
        return stpeFutures;
    }

    @Benchmark
    public Object vertx() {
        peers.onVertx(() -> {
            for (int i = 0; i < n; i++) {
                vertxIds[i] = peers.vertx.setTimer(delays[i], id -> { });
            }
            for (int i = 0; i < n; i++) {
                if (i % 10 != 0) {
                    peers.vertx.cancelTimer(vertxIds[i]);
                    vertxIds[i] = 0;
                }
            }
            done.signal();
        });
        done.await();
        return vertxIds;
    }

    @Benchmark
    public Object floor() {
        long now = System.nanoTime() / 1_000_000;
        for (int i = 0; i < n; i++) {
            floorDeadlines[i] = now + delays[i];
            floorCancelled[i] = false;
        }
        for (int i = 0; i < n; i++) {
            if (i % 10 != 0) {
                floorCancelled[i] = true;
            }
        }
        return floorCancelled;
    }
}
