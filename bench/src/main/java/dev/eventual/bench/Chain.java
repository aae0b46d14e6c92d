package dev.eventual.bench;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.MoreExecutors;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.SettableFuture;
import dev.eventual.Deferred;
import dev.eventual.Promise;
import io.netty.util.concurrent.DefaultPromise;
import io.vertx.core.Future;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Scenario 2: chains of {@code n} value-mapping steps ({@code v -> v + 1}, from 0), until the last
 * step of every chain has run. {@code source = resolved}: built on an already-resolved source
 * (CompletableFuture then runs each step inline as it is registered); {@code source = pending}:
 * each chain is built first, then its source is resolved. An invocation runs {@value #LINKS}
 * links, as {@code LINKS / n} independent chains built in one task of the implementation's loop,
 * so that each column goes idle (and pays its loop's hand-off) once per {@value #LINKS} links,
 * whatever n: the score is the time per link. {@code SmallBatch} shows the hand-off itself.
 *
 * <p>Netty's promises have no {@code then}: each link is a listener that completes the next
 * {@code DefaultPromise}, as Netty users chain them. Guava uses {@code Futures.transform}, with
 * the single-thread executor ({@code guava}) or {@code directExecutor()} ({@code guavaDirect});
 * Reactor a {@code Mono.map} chain on a {@code Sinks.One}, published on the single scheduler
 * ({@code reactor}) or subscribed directly ({@code reactorDirect}). The floor runs the same
 * steps, in the order an Eventual loop runs them (breadth first over the chains, each step after
 * the task that triggered it), through a bare {@code ArrayDeque} of boxed values on a {@link
 * FloorLoop}, allocating the same {@code Integer} per link as every other column.
 *
 * <p>Run: {@code bench/run Chain}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = Settings.WARMUP_ITERATIONS, time = Settings.WARMUP_SECONDS)
@Measurement(iterations = Settings.ITERATIONS, time = Settings.SECONDS)
@Fork(Settings.FORKS)
public class Chain {
    /** Links per invocation (per hand-off). */
    static final int LINKS = 100_000;

    @Param({"10", "1000", "100000"})
    public int n;

    @Param({"resolved", "pending"})
    public String source;

    private final Done done = new Done();
    private volatile long last;
    private int finished;
    private int chains;
    private boolean resolved;
    private static final Function<Integer, Integer> INC = v -> v + 1;
    private final Consumer<Integer> finisher = this::finish;
    private final Consumer<Throwable> onError = t -> done.fail(t);
    /** The floor's held steps (each chain's current value): long-lived, like a loop's microtask queue. */
    private ArrayDeque<Integer> held;

    @Setup
    public void setup() {
        if (LINKS % n != 0) {
            throw new IllegalArgumentException("n must divide " + LINKS + ": " + n);
        }
        chains = LINKS / n;
        resolved = source.equals("resolved");
        held = new ArrayDeque<>(chains);
    }

    /** A chain's last handler: checks the value, signals after the invocation's last chain. */
    private void finish(Integer value) {
        if (value != n) {
            done.fail(new AssertionError("a chain of " + n + " gave " + value));
            return;
        }
        last = value;
        if (++finished == chains) {
            finished = 0;
            done.signal();
        }
    }

    private final FutureCallback<Integer> guavaCallback = new FutureCallback<>() {
        @Override
        public void onSuccess(Integer value) {
            finish(value);
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
    @OperationsPerInvocation(LINKS)
    public long eventualTraced(Peers peers) {
        return eventual(peers);
    }

    @Benchmark
    @OperationsPerInvocation(LINKS)
    public long eventual(Peers peers) {
        peers.eventual.execute(done.guard(() -> {
            for (int c = 0; c < chains; c++) {
                Deferred<Integer> d = resolved ? null : peers.eventual.withResolvers();
                Promise<Integer> p = resolved ? peers.eventual.resolved(0) : d.promise();
                for (int i = 0; i < n; i++) {
                    p = p.then(INC);
                }
                p.thenAccept(finisher);
                if (d != null) {
                    d.resolve(0);
                }
            }
        }));
        done.await();
        return last;
    }

    @Benchmark
    @OperationsPerInvocation(LINKS)
    public long completableFuture() {
        for (int c = 0; c < chains; c++) {
            CompletableFuture<Integer> start = resolved ? CompletableFuture.completedFuture(0) : new CompletableFuture<>();
            CompletableFuture<Integer> p = start;
            for (int i = 0; i < n; i++) {
                p = p.thenApply(INC);
            }
            p.thenAccept(finisher);
            start.complete(0);
        }
        done.await();
        return last;
    }

    @Benchmark
    @OperationsPerInvocation(LINKS)
    public long netty(Peers peers) {
        peers.netty.execute(done.guard(() -> {
            for (int c = 0; c < chains; c++) {
                DefaultPromise<Integer> start = new DefaultPromise<>(peers.netty);
                if (resolved) {
                    start.setSuccess(0);
                }
                DefaultPromise<Integer> p = start;
                for (int i = 0; i < n; i++) {
                    DefaultPromise<Integer> next = new DefaultPromise<>(peers.netty);
                    p.addListener(f -> next.setSuccess(INC.apply((Integer) f.getNow())));
                    p = next;
                }
                p.addListener(f -> finish((Integer) f.getNow()));
                start.trySuccess(0);
            }
        }));
        done.await();
        return last;
    }

    @Benchmark
    @OperationsPerInvocation(LINKS)
    public long vertx(Peers peers) {
        peers.onVertx(done.guard(() -> {
            for (int c = 0; c < chains; c++) {
                io.vertx.core.Promise<Integer> start = io.vertx.core.Promise.promise();
                if (resolved) {
                    start.complete(0);
                }
                Future<Integer> p = start.future();
                for (int i = 0; i < n; i++) {
                    p = p.map(INC);
                }
                p.onSuccess(this::finish).onFailure(onError::accept);
                start.tryComplete(0);
            }
        }));
        done.await();
        return last;
    }

    @Benchmark
    @OperationsPerInvocation(LINKS)
    public long guava(Peers peers) {
        peers.guava.execute(done.guard(() -> guavaChains(peers.guava)));
        done.await();
        return last;
    }

    @Benchmark
    @OperationsPerInvocation(LINKS)
    public long guavaDirect(Peers peers) {
        peers.guava.execute(done.guard(() -> guavaChains(MoreExecutors.directExecutor())));
        done.await();
        return last;
    }

    private void guavaChains(Executor executor) {
        for (int c = 0; c < chains; c++) {
            SettableFuture<Integer> start = SettableFuture.create();
            if (resolved) {
                start.set(0);
            }
            ListenableFuture<Integer> p = start;
            for (int i = 0; i < n; i++) {
                p = Futures.transform(p, INC::apply, executor);
            }
            Futures.addCallback(p, guavaCallback, executor);
            start.set(0);
        }
    }

    @Benchmark
    @OperationsPerInvocation(LINKS)
    public long reactor(Peers peers) {
        peers.reactor.schedule(done.guard(() -> reactorChains(peers, true)));
        done.await();
        return last;
    }

    @Benchmark
    @OperationsPerInvocation(LINKS)
    public long reactorDirect(Peers peers) {
        peers.reactor.schedule(done.guard(() -> reactorChains(peers, false)));
        done.await();
        return last;
    }

    private void reactorChains(Peers peers, boolean publishOn) {
        for (int c = 0; c < chains; c++) {
            Sinks.One<Integer> start = Sinks.one();
            if (resolved) {
                start.tryEmitValue(0);
            }
            Mono<Integer> p = start.asMono();
            for (int i = 0; i < n; i++) {
                p = p.map(INC);
            }
            (publishOn ? p.publishOn(peers.reactor) : p).subscribe(finisher, onError);
            start.tryEmitValue(0);
        }
    }

    /**
     * The floor: a held entry is a chain's current value; running it applies the step and holds
     * the next one, or, after the n-th step, runs the chain's last handler. The steps of all chains
     * interleave as on an Eventual loop: every chain's first step, then every chain's second.
     */
    @Benchmark
    @OperationsPerInvocation(LINKS)
    public long floor(Peers peers) {
        peers.floor.execute(done.guard(() -> {
            ArrayDeque<Integer> queue = held;
            Integer zero = 0;
            for (int c = 0; c < chains; c++) {
                queue.add(zero);
            }
            for (Integer v; (v = queue.poll()) != null; ) {
                if (v == n) {
                    finish(v);
                } else {
                    queue.add(INC.apply(v));
                }
            }
        }));
        done.await();
        return last;
    }
}
