package dev.eventual.bench;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.SettableFuture;
import dev.eventual.Deferred;
import dev.eventual.Promise;
import io.netty.util.concurrent.DefaultPromise;
import io.vertx.core.Future;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Scenario 2: a chain of {@code n} value-mapping steps, until the last has run. {@code source =
 * resolved}: built on an already-resolved source (CompletableFuture then runs each step inline as
 * it is registered); {@code source = pending}: built first, then the source is resolved. The
 * score is per chain; BENCHMARKS.md divides by {@code n} for the cost per link.
 *
 * <p>Netty's promises have no {@code then}: each link is a listener that completes the next
 * {@code DefaultPromise}, as Netty users chain them. Guava uses {@code Futures.transform} with
 * the single-thread executor; Reactor a {@code Mono.map} chain on a {@code Sinks.One}, published
 * on the single scheduler.
 *
 * <p>Run: {@code bench/run Chain}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class Chain {
    @Param({"10", "1000", "100000"})
    public int n;

    @Param({"resolved", "pending"})
    public String source;

    private final Done done = new Done();
    private volatile long last;
    private static final Function<Integer, Integer> INC = v -> v + 1;

    private void finish(long value) {
        last = value;
        done.signal();
    }

    private boolean resolved() {
        return source.equals("resolved");
    }

    /**
     * {@link #eventual} on a loop with async stack traces on (see {@link Peers}): what a
     * registration's capture costs.
     */
    @Benchmark
    public long eventualTraced(Peers peers) {
        return eventual(peers);
    }

    @Benchmark
    public long eventual(Peers peers) {
        peers.eventual.execute(done.guard(() -> {
            Deferred<Integer> d = peers.eventual.withResolvers();
            Promise<Integer> p = resolved() ? peers.eventual.resolved(0) : d.promise();
            for (int i = 0; i < n; i++) {
                p = p.then(INC);
            }
            p.thenAccept(this::finish);
            d.resolve(0);
        }));
        done.await();
        return last;
    }

    @Benchmark
    public long completableFuture() {
        CompletableFuture<Integer> start = resolved() ? CompletableFuture.completedFuture(0) : new CompletableFuture<>();
        CompletableFuture<Integer> p = start;
        for (int i = 0; i < n; i++) {
            p = p.thenApply(INC);
        }
        p.thenAccept(this::finish);
        start.complete(0);
        done.await();
        return last;
    }

    @Benchmark
    public long netty(Peers peers) {
        peers.netty.execute(done.guard(() -> {
            DefaultPromise<Integer> start = new DefaultPromise<>(peers.netty);
            if (resolved()) {
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
        }));
        done.await();
        return last;
    }

    @Benchmark
    public long vertx(Peers peers) {
        peers.onVertx(done.guard(() -> {
            io.vertx.core.Promise<Integer> start = io.vertx.core.Promise.promise();
            if (resolved()) {
                start.complete(0);
            }
            Future<Integer> p = start.future();
            for (int i = 0; i < n; i++) {
                p = p.map(INC);
            }
            p.onSuccess(this::finish);
            start.tryComplete(0);
        }));
        done.await();
        return last;
    }

    @Benchmark
    public long guava(Peers peers) {
        peers.guava.execute(done.guard(() -> {
            SettableFuture<Integer> start = SettableFuture.create();
            if (resolved()) {
                start.set(0);
            }
            ListenableFuture<Integer> p = start;
            for (int i = 0; i < n; i++) {
                p = Futures.transform(p, INC::apply, peers.guava);
            }
            Futures.addCallback(p, new FutureCallback<>() {
                @Override
                public void onSuccess(Integer value) {
                    finish(value);
                }

                @Override
                public void onFailure(Throwable t) {
                    done.fail(t);
                }
            }, peers.guava);
            start.set(0);
        }));
        done.await();
        return last;
    }

    @Benchmark
    public long reactor(Peers peers) {
        peers.reactor.schedule(done.guard(() -> {
            Sinks.One<Integer> start = Sinks.one();
            if (resolved()) {
                start.tryEmitValue(0);
            }
            Mono<Integer> p = start.asMono();
            for (int i = 0; i < n; i++) {
                p = p.map(INC);
            }
            p.publishOn(peers.reactor).subscribe(this::finish, done::fail);
            start.tryEmitValue(0);
        }));
        done.await();
        return last;
    }

    /** The floor: each link is a task on a bare ArrayDeque that queues the next one. */
    @Benchmark
    public long floor(Peers peers) {
        peers.floor.execute(done.guard(() -> {
            ArrayDeque<int[]> queue = new ArrayDeque<>();
            int[] value = {0};
            queue.add(value);
            int links = 0;
            while (!queue.isEmpty()) {
                int[] v = queue.poll();
                if (links++ < n) {
                    v[0] = INC.apply(v[0]);
                    queue.add(v);
                }
            }
            finish(value[0]);
        }));
        done.await();
        return last;
    }
}
