package dev.eventual.bench;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.MoreExecutors;
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
 * One operation is one promise. An invocation posts {@value #TASKS} tasks of {@value #BATCH}
 * operations each to the implementation's loop, back to back, and waits for the last handler:
 * the loop finds the next task queued when one ends, so it goes idle (and, for a loop that parks
 * at once, pays a wake-up) once per {@value #OPS} operations, a small part of even the floor's
 * time. CompletableFuture runs inline on the benchmark thread, as its
 * users run it.
 *
 * <p>Columns: {@code guava} delivers each callback as a task of its single-thread executor (its
 * default mode for a loop), {@code guavaDirect} with {@code directExecutor()} (inline, its fastest
 * common setup); {@code reactor} subscribes with a {@code publishOn} per promise, {@code
 * reactorDirect} subscribes to the sink's {@code Mono} directly (inline on emission, as Reactor
 * users write it). The floor holds every handler of a task (with its value) in a bare {@code
 * ArrayDeque} and runs them in order when the task's body ends, as rule 2 makes Eventual do, with
 * no promise at all.
 *
 * <p>Run: {@code bench/run ResolveThen} (or {@code java -jar bench/target/benchmarks.jar ResolveThen -prof gc}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = Settings.WARMUP_ITERATIONS, time = Settings.WARMUP_SECONDS)
@Measurement(iterations = Settings.ITERATIONS, time = Settings.SECONDS)
@Fork(Settings.FORKS)
public class ResolveThen {
    /** Operations per task. */
    static final int BATCH = 10_000;
    /** Tasks per invocation. */
    static final int TASKS = 10;
    /** Operations per invocation (per hand-off). */
    static final int OPS = BATCH * TASKS;
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

    /** The handler: counts, and signals after the invocation's last one. */
    private void handle(Integer value) {
        sum += value;
        if (++seen == OPS) {
            seen = 0;
            done.signal();
        }
    }

    /** Every handler object is made once, so that no column allocates a lambda per operation. */
    private final Consumer<Integer> handler = this::handle;
    private final Consumer<Throwable> onError = done::fail;
    private final io.vertx.core.Handler<Integer> vertxHandler = this::handle;
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
    /** The floor's held handlers (their values): long-lived, like a loop's microtask queue. */
    private final ArrayDeque<Integer> held = new ArrayDeque<>(BATCH);

    private void post(java.util.concurrent.Executor loop, Runnable batch) {
        Runnable task = done.guard(batch);
        for (int t = 0; t < TASKS; t++) {
            loop.execute(task);
        }
        done.await();
    }

    /**
     * {@link #eventual} on a loop with async stack traces on (see {@link Peers}): what a
     * registration's capture costs.
     */
    @Benchmark
    @OperationsPerInvocation(OPS)
    public long eventualTraced(Peers peers) {
        return eventual(peers);
    }

    @Benchmark
    @OperationsPerInvocation(OPS)
    public long eventual(Peers peers) {
        post(peers.eventual::execute, () -> {
            for (int i = 0; i < BATCH; i++) {
                Deferred<Integer> d = peers.eventual.withResolvers();
                d.promise().thenAccept(handler);
                d.resolve(VALUES[i]);
            }
        });
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(OPS)
    public long completableFuture() {
        for (int t = 0; t < TASKS; t++) {
            for (int i = 0; i < BATCH; i++) {
                CompletableFuture<Integer> f = new CompletableFuture<>();
                f.thenAccept(handler);
                f.complete(VALUES[i]);
            }
        }
        done.await();
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(OPS)
    public long netty(Peers peers) {
        post(peers.netty, () -> {
            for (int i = 0; i < BATCH; i++) {
                DefaultPromise<Integer> p = new DefaultPromise<>(peers.netty);
                p.addListener(nettyListener);
                p.setSuccess(VALUES[i]);
            }
        });
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(OPS)
    public long vertx(Peers peers) {
        post(peers::onVertx, () -> {
            for (int i = 0; i < BATCH; i++) {
                Promise<Integer> p = Promise.promise();
                p.future().onSuccess(vertxHandler);
                p.complete(VALUES[i]);
            }
        });
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(OPS)
    public long guava(Peers peers) {
        post(peers.guava, () -> {
            for (int i = 0; i < BATCH; i++) {
                SettableFuture<Integer> f = SettableFuture.create();
                Futures.addCallback(f, guavaCallback, peers.guava);
                f.set(VALUES[i]);
            }
        });
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(OPS)
    public long guavaDirect(Peers peers) {
        post(peers.guava, () -> {
            for (int i = 0; i < BATCH; i++) {
                SettableFuture<Integer> f = SettableFuture.create();
                Futures.addCallback(f, guavaCallback, MoreExecutors.directExecutor());
                f.set(VALUES[i]);
            }
        });
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(OPS)
    public long reactor(Peers peers) {
        post(peers.reactor::schedule, () -> {
            for (int i = 0; i < BATCH; i++) {
                Sinks.One<Integer> sink = Sinks.one();
                sink.asMono().publishOn(peers.reactor).subscribe(handler, onError);
                sink.tryEmitValue(VALUES[i]);
            }
        });
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(OPS)
    public long reactorDirect(Peers peers) {
        post(peers.reactor::schedule, () -> {
            for (int i = 0; i < BATCH; i++) {
                Sinks.One<Integer> sink = Sinks.one();
                sink.asMono().subscribe(handler, onError);
                sink.tryEmitValue(VALUES[i]);
            }
        });
        return sum;
    }

    /**
     * The floor: each operation queues its handler's value, and the handlers run in order when
     * the task's body is done (rule 2's "later"), on the same kind of loop, with no promise.
     */
    @Benchmark
    @OperationsPerInvocation(OPS)
    public long floor(Peers peers) {
        post(peers.floor, () -> {
            for (int i = 0; i < BATCH; i++) {
                held.add(VALUES[i]);
            }
            for (Integer v; (v = held.poll()) != null; ) {
                handle(v);
            }
        });
        return sum;
    }
}
