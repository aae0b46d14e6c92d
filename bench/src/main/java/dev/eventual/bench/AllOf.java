package dev.eventual.bench;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.SettableFuture;
import dev.eventual.Deferred;
import dev.eventual.Promise;
import io.netty.util.concurrent.DefaultPromise;
import io.netty.util.concurrent.PromiseCombiner;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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
 * Scenario 3: {@code all} over {@code n} pending promises, each then resolved, until the combined
 * handler ran. Score per {@code all}; BENCHMARKS.md divides by {@code n}. Peers: {@code
 * CompletableFuture.allOf}, Netty's {@code PromiseCombiner}, Vert.x {@code Future.all}, Guava
 * {@code Futures.allAsList}, Reactor {@code Mono.when}; floor: a countdown over an array.
 *
 * <p>Run: {@code bench/run AllOf}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class AllOf {
    @Param({"10", "10000"})
    public int n;

    private final Done done = new Done();
    private volatile int size;

    private void finish(int s) {
        size = s;
        done.signal();
    }

    @Benchmark
    public int eventual(Peers peers) {
        peers.eventual.execute(done.guard(() -> {
            List<Deferred<Integer>> deferreds = new ArrayList<>(n);
            List<Promise<Integer>> promises = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                Deferred<Integer> d = peers.eventual.withResolvers();
                deferreds.add(d);
                promises.add(d.promise());
            }
            Promise.all(promises).thenAccept(values -> finish(values.size()));
            for (int i = 0; i < n; i++) {
                deferreds.get(i).resolve(i);
            }
        }));
        done.await();
        return size;
    }

    @Benchmark
    public int completableFuture() {
        @SuppressWarnings("unchecked")
        CompletableFuture<Integer>[] futures = new CompletableFuture[n];
        for (int i = 0; i < n; i++) {
            futures[i] = new CompletableFuture<>();
        }
        CompletableFuture.allOf(futures).thenRun(() -> finish(futures.length));
        for (int i = 0; i < n; i++) {
            futures[i].complete(i);
        }
        done.await();
        return size;
    }

    @Benchmark
    public int netty(Peers peers) {
        peers.netty.execute(done.guard(() -> {
            PromiseCombiner combiner = new PromiseCombiner(peers.netty);
            List<DefaultPromise<Integer>> promises = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                DefaultPromise<Integer> p = new DefaultPromise<>(peers.netty);
                promises.add(p);
                combiner.add(p);
            }
            DefaultPromise<Void> all = new DefaultPromise<>(peers.netty);
            all.addListener(f -> finish(promises.size()));
            combiner.finish(all);
            for (int i = 0; i < n; i++) {
                promises.get(i).setSuccess(i);
            }
        }));
        done.await();
        return size;
    }

    @Benchmark
    public int vertx(Peers peers) {
        peers.onVertx(done.guard(() -> {
            List<io.vertx.core.Promise<Integer>> promises = new ArrayList<>(n);
            List<Future<Integer>> futures = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                io.vertx.core.Promise<Integer> p = io.vertx.core.Promise.promise();
                promises.add(p);
                futures.add(p.future());
            }
            Future.all(futures).onSuccess(c -> finish(c.size()));
            for (int i = 0; i < n; i++) {
                promises.get(i).complete(i);
            }
        }));
        done.await();
        return size;
    }

    @Benchmark
    public int guava(Peers peers) {
        peers.guava.execute(done.guard(() -> {
            List<SettableFuture<Integer>> futures = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                futures.add(SettableFuture.create());
            }
            Futures.addCallback(Futures.allAsList(futures), new FutureCallback<>() {
                @Override
                public void onSuccess(List<Integer> values) {
                    finish(values.size());
                }

                @Override
                public void onFailure(Throwable t) {
                    done.fail(t);
                }
            }, peers.guava);
            for (int i = 0; i < n; i++) {
                futures.get(i).set(i);
            }
        }));
        done.await();
        return size;
    }

    @Benchmark
    public int reactor(Peers peers) {
        peers.reactor.schedule(done.guard(() -> {
            List<Sinks.One<Integer>> sinks = new ArrayList<>(n);
            List<Mono<Integer>> monos = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                Sinks.One<Integer> s = Sinks.one();
                sinks.add(s);
                monos.add(s.asMono());
            }
            Mono.when(monos).publishOn(peers.reactor).subscribe(null, done::fail, () -> finish(sinks.size()));
            for (int i = 0; i < n; i++) {
                sinks.get(i).tryEmitValue(i);
            }
        }));
        done.await();
        return size;
    }

    /** The floor: the values land in an array and a countdown fires the handler. */
    @Benchmark
    public int floor(Peers peers) {
        peers.floor.execute(done.guard(() -> {
            int[] values = new int[n];
            int remaining = n;
            for (int i = 0; i < n; i++) {
                values[i] = i;
                if (--remaining == 0) {
                    finish(values.length);
                }
            }
        }));
        done.await();
        return size;
    }
}
