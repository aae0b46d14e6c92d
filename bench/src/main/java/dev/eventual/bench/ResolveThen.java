package dev.eventual.bench;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.SettableFuture;
import dev.eventual.Deferred;
import io.netty.util.concurrent.DefaultPromise;
import io.netty.util.concurrent.GenericFutureListener;
import io.vertx.core.Promise;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
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
import reactor.core.publisher.Sinks;

/**
 * Scenario 1: create a pending promise, attach one handler, resolve it, until the handler ran.
 * One operation is one promise; a batch of {@value #BATCH} runs on the implementation's loop per
 * invocation (CompletableFuture runs inline on the benchmark thread, as its users run it).
 *
 * <p>Run: {@code bench/run ResolveThen} (or {@code java -jar bench/target/benchmarks.jar ResolveThen -prof gc}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ResolveThen {
    static final int BATCH = 10_000;
    /** Boxed once, so that no implementation pays for Integer.valueOf in the loop. */
    static final Integer[] VALUES = new Integer[BATCH];

    static {
        for (int i = 0; i < BATCH; i++) {
            VALUES[i] = i;
        }
    }

    private final Done done = new Done();
    private int seen;
    private long sum;

    /** The handler: counts, and signals after the batch's last one. */
    private void handle(int value) {
        sum += value;
        if (++seen == BATCH) {
            seen = 0;
            done.signal();
        }
    }

    private final Consumer<Integer> eventualHandler = this::handle;
    private final GenericFutureListener<io.netty.util.concurrent.Future<Integer>> nettyListener = f -> handle(f.getNow());
    private final FutureCallback<Integer> guavaCallback = new FutureCallback<>() {
        @Override
        public void onSuccess(Integer value) {
            handle(value);
        }

        @Override
        public void onFailure(Throwable t) {
            done.fail(t);
        }
    };

    /**
     * {@link #eventual} on a loop with async stack traces on (see {@link Peers}): what a
     * registration's capture costs.
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long eventualTraced(Peers peers) {
        return eventual(peers);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long eventual(Peers peers) {
        peers.eventual.execute(done.guard(() -> {
            for (int i = 0; i < BATCH; i++) {
                Deferred<Integer> d = peers.eventual.withResolvers();
                d.promise().thenAccept(eventualHandler);
                d.resolve(VALUES[i]);
            }
        }));
        done.await();
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long completableFuture() {
        for (int i = 0; i < BATCH; i++) {
            CompletableFuture<Integer> f = new CompletableFuture<>();
            f.thenAccept(eventualHandler);
            f.complete(VALUES[i]);
        }
        done.await();
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long netty(Peers peers) {
        peers.netty.execute(done.guard(() -> {
            for (int i = 0; i < BATCH; i++) {
                DefaultPromise<Integer> p = new DefaultPromise<>(peers.netty);
                p.addListener(nettyListener);
                p.setSuccess(VALUES[i]);
            }
        }));
        done.await();
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long vertx(Peers peers) {
        peers.onVertx(done.guard(() -> {
            for (int i = 0; i < BATCH; i++) {
                Promise<Integer> p = Promise.promise();
                p.future().onSuccess(this::handle);
                p.complete(VALUES[i]);
            }
        }));
        done.await();
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long guava(Peers peers) {
        peers.guava.execute(done.guard(() -> {
            for (int i = 0; i < BATCH; i++) {
                SettableFuture<Integer> f = SettableFuture.create();
                Futures.addCallback(f, guavaCallback, peers.guava);
                f.set(VALUES[i]);
            }
        }));
        done.await();
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long reactor(Peers peers) {
        peers.reactor.schedule(done.guard(() -> {
            for (int i = 0; i < BATCH; i++) {
                Sinks.One<Integer> sink = Sinks.one();
                sink.asMono().publishOn(peers.reactor).subscribe(this::handle, done::fail);
                sink.tryEmitValue(VALUES[i]);
            }
        }));
        done.await();
        return sum;
    }

    /** The floor: the same hand-off and dispatch through a bare ArrayDeque, no promise at all. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long floor(Peers peers) {
        peers.floor.execute(done.guard(() -> {
            ArrayDeque<Integer> queue = new ArrayDeque<>();
            for (int i = 0; i < BATCH; i++) {
                queue.add(VALUES[i]);
                handle(queue.poll());
            }
        }));
        done.await();
        return sum;
    }
}
