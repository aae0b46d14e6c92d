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
import java.util.function.Consumer;
import java.util.function.Function;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * The hand-off itself: one chain of {@value #LINKS} links on a pending source per task, one task
 * per invocation, so each invocation pays its loop's hand-off (posting a task to a loop that has
 * just gone idle, and seeing its last handler run) and little else; the score is per invocation.
 * What the hand-off costs depends on the loop's idle policy: an Eventual loop and the floor's
 * {@link FloorLoop} spin for 1 us before parking, so the next task usually lands in the spin;
 * Netty's {@code DefaultEventLoop}, the single-thread executor of the Guava column and Reactor's
 * single scheduler park at once and pay a futex wake-up. CompletableFuture runs inline on the
 * benchmark thread and pays none. The other scenarios spread one hand-off over 100,000
 * operations; this one shows what they leave out, and is not a goal.
 *
 * <p>Run: {@code bench/run SmallBatch}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = Settings.WARMUP_ITERATIONS, time = Settings.WARMUP_SECONDS)
@Measurement(iterations = Settings.ITERATIONS, time = Settings.SECONDS)
@Fork(Settings.FORKS)
public class SmallBatch {
    static final int LINKS = 10;

    private final Done done = new Done();
    private volatile long last;
    private static final Function<Integer, Integer> INC = v -> v + 1;
    private final Consumer<Integer> finisher = this::finish;
    private final ArrayDeque<Integer> held = new ArrayDeque<>();

    private void finish(Integer value) {
        last = value;
        done.signal();
    }

    @Benchmark
    public long eventual(Peers peers) {
        peers.eventual.execute(done.guard(() -> {
            Deferred<Integer> d = peers.eventual.withResolvers();
            Promise<Integer> p = d.promise();
            for (int i = 0; i < LINKS; i++) {
                p = p.then(INC);
            }
            p.thenAccept(finisher);
            d.resolve(0);
        }));
        done.await();
        return last;
    }

    @Benchmark
    public long completableFuture() {
        CompletableFuture<Integer> start = new CompletableFuture<>();
        CompletableFuture<Integer> p = start;
        for (int i = 0; i < LINKS; i++) {
            p = p.thenApply(INC);
        }
        p.thenAccept(finisher);
        start.complete(0);
        done.await();
        return last;
    }

    @Benchmark
    public long netty(Peers peers) {
        peers.netty.execute(done.guard(() -> {
            DefaultPromise<Integer> start = new DefaultPromise<>(peers.netty);
            DefaultPromise<Integer> p = start;
            for (int i = 0; i < LINKS; i++) {
                DefaultPromise<Integer> next = new DefaultPromise<>(peers.netty);
                p.addListener(f -> next.setSuccess(INC.apply((Integer) f.getNow())));
                p = next;
            }
            p.addListener(f -> finish((Integer) f.getNow()));
            start.setSuccess(0);
        }));
        done.await();
        return last;
    }

    @Benchmark
    public long vertx(Peers peers) {
        peers.onVertx(done.guard(() -> {
            io.vertx.core.Promise<Integer> start = io.vertx.core.Promise.promise();
            Future<Integer> p = start.future();
            for (int i = 0; i < LINKS; i++) {
                p = p.map(INC);
            }
            p.onSuccess(this::finish);
            start.complete(0);
        }));
        done.await();
        return last;
    }

    @Benchmark
    public long guava(Peers peers) {
        peers.guava.execute(done.guard(() -> {
            SettableFuture<Integer> start = SettableFuture.create();
            ListenableFuture<Integer> p = start;
            for (int i = 0; i < LINKS; i++) {
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
            Mono<Integer> p = start.asMono();
            for (int i = 0; i < LINKS; i++) {
                p = p.map(INC);
            }
            p.publishOn(peers.reactor).subscribe(finisher, done::fail);
            start.tryEmitValue(0);
        }));
        done.await();
        return last;
    }

    /** The floor: the chain's steps through a bare ArrayDeque on a {@link FloorLoop}, as in {@code Chain.floor}. */
    @Benchmark
    public long floor(Peers peers) {
        peers.floor.execute(done.guard(() -> {
            held.add(0);
            for (Integer v; (v = held.poll()) != null; ) {
                if (v == LINKS) {
                    finish(v);
                } else {
                    held.add(INC.apply(v));
                }
            }
        }));
        done.await();
        return last;
    }
}
