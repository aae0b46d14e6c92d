package dev.eventual.bench;

import static dev.eventual.Async.async;
import static dev.eventual.Async.await;

import dev.eventual.Deferred;
import dev.eventual.EventLoop;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Scenario 6: sequential code that waits. One operation is one wait for a pending result that
 * another party completes after the waiter suspended, until the waiter runs again; a batch of
 * {@value #BATCH} waits runs in one waiter per invocation.
 *
 * <p>Columns: {@code eventual} is an async body on the Eventual loop awaiting a pending promise of
 * that loop, which a microtask resolves once the body has given the loop its turn back (so each
 * operation is: the body suspends, the loop resolves the promise, the await's reaction resumes
 * the body; two handoffs between the loop thread and the body's virtual thread).
 * {@code completableFuture} is a virtual thread calling {@code join()} on a
 * {@code CompletableFuture} that another thread (a single-thread executor) completes: the usual
 * way to write the same code on Loom without a loop, with no one-at-a-time guarantee.
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
    static final int BATCH = 1_000;

    private final Done done = new Done();
    private long sum;

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long eventual(Peers peers) {
        EventLoop loop = peers.eventual;
        async(loop, () -> {
            for (int i = 0; i < BATCH; i++) {
                Deferred<Integer> d = loop.withResolvers();
                Integer value = ResolveThen.VALUES[i];
                loop.queueMicrotask(() -> d.resolve(value)); // runs once the body has suspended below
                sum += await(d.promise());
            }
            done.signal();
        });
        done.await();
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long completableFuture(Peers peers) {
        Thread.startVirtualThread(() -> {
            for (int i = 0; i < BATCH; i++) {
                CompletableFuture<Integer> f = new CompletableFuture<>();
                Integer value = ResolveThen.VALUES[i];
                peers.floor.execute(() -> f.complete(value)); // another thread completes it
                sum += f.join();
            }
            done.signal();
        });
        done.await();
        return sum;
    }
}
