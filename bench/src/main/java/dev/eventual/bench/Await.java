package dev.eventual.bench;

import static dev.eventual.Async.async;
import static dev.eventual.Async.await;

import dev.eventual.Deferred;
import dev.eventual.EventLoop;
import dev.eventual.KeepAlive;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Scenario 6: sequential code that waits. One operation is one wait for a pending result that
 * another party completes after the waiter suspended, until the waiter runs again; a batch of
 * {@value #BATCH} waits runs in one waiter per invocation, and the benchmark thread waits for it
 * parked ({@link Done#awaitParked}): a yielding waiter would be a third runnable thread on the
 * 2-core machine beside the two that the default path and {@code completableFuture} hand off
 * between (loop thread and carrier, executor and carrier), taking their cores; a batch of this size
 * makes the one wake-up per invocation noise for every column.
 *
 * <p>Columns: {@code eventual} is an async body on the Eventual loop awaiting a pending promise of
 * that loop, which a microtask resolves once the body has given the loop its turn back (so each
 * operation is: the body suspends, the loop resolves the promise, the await's reaction resumes
 * the body; two handoffs between the loop thread and the body's virtual thread).
 * {@code completableFuture} is a virtual thread calling {@code join()} on a
 * {@code CompletableFuture} that another thread (a single-thread executor) completes: the usual
 * way to write the same code on Loom without a loop, with no one-at-a-time guarantee.
 * {@code eventualFastPath} is {@code eventual} with {@code --add-opens java.base/java.lang=ALL-UNNAMED}
 * (the loop thread carries the body); {@code eventualVirtualLoop} runs the loop itself on a
 * virtual thread, with no flag.
 *
 * <p>Run: {@code bench/run Await} (or {@code java -jar bench/target/benchmarks.jar Await -prof gc}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = Settings.WARMUP_ITERATIONS, time = Settings.WARMUP_SECONDS)
@Measurement(iterations = Settings.ITERATIONS, time = Settings.SECONDS)
@Fork(Settings.FORKS)
public class Await {
    static final int BATCH = 10_000;
    /** The values the batch's promises carry, boxed once. */
    static final Integer[] VALUES = new Integer[BATCH];

    static {
        for (int i = 0; i < BATCH; i++) {
            VALUES[i] = i;
        }
    }

    private final Done done = new Done();
    private long sum;

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long eventual(Peers peers) {
        EventLoop loop = peers.eventual;
        async(loop, () -> {
            for (int i = 0; i < BATCH; i++) {
                Deferred<Integer> d = loop.withResolvers();
                Integer value = VALUES[i];
                loop.queueMicrotask(() -> d.resolve(value)); // runs once the body has suspended below
                sum += await(d.promise());
            }
            done.signal();
        });
        done.awaitParked();
        return sum;
    }

    /**
     * {@link #eventual} on the opt-in fast path: the JVM opens java.lang, so the loop thread
     * carries the body itself (no second OS thread per await).
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    // Prepend, as in HttpGet: the -jvmArgsAppend that bench/run passes would replace an annotation's append.
    @Fork(value = Settings.FORKS, jvmArgsPrepend = "--add-opens=java.base/java.lang=ALL-UNNAMED")
    public long eventualFastPath(Peers peers) {
        return eventual(peers);
    }

    /** A loop run by {@code EventLoop.run} on a virtual thread, kept alive until the trial ends. */
    @State(Scope.Benchmark)
    public static class VirtualLoop {
        EventLoop loop;
        KeepAlive alive;
        Thread thread;

        @Setup(Level.Trial)
        public void start() throws InterruptedException {
            java.util.concurrent.CountDownLatch running = new java.util.concurrent.CountDownLatch(1);
            thread = Thread.ofVirtual().name("bench-virtual-loop").start(() -> EventLoop.run(() -> {
                loop = EventLoop.current();
                alive = loop.keepAlive();
                running.countDown();
            }));
            running.await();
        }

        @TearDown(Level.Trial)
        public void stop() throws InterruptedException {
            alive.close();
            thread.join();
        }
    }

    /**
     * {@link #eventual} with no flag, the loop itself on a virtual thread (the user's choice:
     * {@code EventLoop.run} called on one): loop and body are both virtual threads of the JVM's
     * scheduler and hand off without an OS wake-up when they share a carrier.
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long eventualVirtualLoop(VirtualLoop v) {
        EventLoop loop = v.loop;
        async(loop, () -> {
            for (int i = 0; i < BATCH; i++) {
                Deferred<Integer> d = loop.withResolvers();
                Integer value = VALUES[i];
                loop.queueMicrotask(() -> d.resolve(value));
                sum += await(d.promise());
            }
            done.signal();
        });
        done.awaitParked();
        return sum;
    }

    /** The Kotlin coroutines peer: its own single-thread dispatcher. */
    @State(Scope.Benchmark)
    public static class Kotlin {
        KotlinAwait peer;

        @Setup(Level.Trial)
        public void start() {
            peer = new KotlinAwait();
        }

        @TearDown(Level.Trial)
        public void stop() {
            peer.close();
        }
    }

    /**
     * A Kotlin coroutine on a single-thread dispatcher suspends on a pending
     * {@code CompletableDeferred} that a task of the same thread completes (see {@link KotlinAwait}).
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long kotlinCoroutine(Kotlin k) {
        k.peer.pending(BATCH, VALUES, done::signal);
        done.awaitParked();
        return k.peer.getSum();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long completableFuture(Peers peers) {
        Thread.startVirtualThread(() -> {
            for (int i = 0; i < BATCH; i++) {
                CompletableFuture<Integer> f = new CompletableFuture<>();
                Integer value = VALUES[i];
                peers.floor.execute(() -> f.complete(value)); // another thread completes it
                sum += f.join();
            }
            done.signal();
        });
        done.awaitParked();
        return sum;
    }
}
