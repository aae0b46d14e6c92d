package dev.eventual.bench;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.MoreExecutors;
import com.google.common.util.concurrent.SettableFuture;
import dev.eventual.Deferred;
import dev.eventual.Promise;
import io.netty.util.concurrent.DefaultPromise;
import io.netty.util.concurrent.PromiseCombiner;
import io.vertx.core.Future;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
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
 * Scenario 3: {@code all} over {@code n} pending promises, each then resolved with its index,
 * until the combined handler received the {@code n} values. An invocation combines {@value
 * #INPUTS} inputs, as {@code INPUTS / n} combinators in one task of the implementation's loop, so
 * each column goes idle once per {@value #INPUTS} inputs, whatever n: the score is the time per
 * input. Every column hands its handler the values as a list, as Eventual's {@code Promise.all}
 * does: {@code CompletableFuture.allOf} then reads each input with {@code join} into an array,
 * Netty's {@code PromiseCombiner} (which carries no values) reads each input's {@code getNow},
 * Vert.x {@code Future.all} gives {@code CompositeFuture.list()}, Guava {@code Futures.allAsList}
 * and Reactor {@code Mono.zip} collect them themselves ({@code guavaDirect} and {@code
 * reactorDirect}: the handler inline, not as a task of the loop). The floor creates the same
 * inputs (a list of boxed values), collects them into an array with a countdown, and holds the
 * handler until the task's body ends, on a {@link FloorLoop}.
 *
 * <p>Run: {@code bench/run AllOf}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = Settings.WARMUP_ITERATIONS, time = Settings.WARMUP_SECONDS)
@Measurement(iterations = Settings.ITERATIONS, time = Settings.SECONDS)
@Fork(Settings.FORKS)
public class AllOf {
    /** Inputs per invocation (per hand-off). */
    static final int INPUTS = 100_000;

    @Param({"10", "10000"})
    public int n;

    private final Done done = new Done();
    private int alls;
    private int finished;
    /** The last list of values a handler received (kept, so that no column's list can be optimised away). */
    private volatile List<?> last;
    private final Consumer<List<Integer>> onValues = this::finish;
    private final Consumer<Throwable> onError = t -> done.fail(t);
    private final FutureCallback<List<Integer>> guavaCallback = new FutureCallback<>() {
        @Override
        public void onSuccess(List<Integer> values) {
            finish(values);
        }

        @Override
        public void onFailure(Throwable t) {
            done.fail(t);
        }
    };
    /** The floor's held handlers (each combinator's values): long-lived, like a loop's microtask queue. */
    private ArrayDeque<List<Object>> held;

    @Setup
    public void setup() {
        if (INPUTS % n != 0) {
            throw new IllegalArgumentException("n must divide " + INPUTS + ": " + n);
        }
        alls = INPUTS / n;
        held = new ArrayDeque<>(alls);
    }

    /** A combined handler: checks the values, signals after the invocation's last combinator. */
    private void finish(List<?> values) {
        if (values.size() != n || !values.get(n - 1).equals(n - 1)) {
            done.fail(new AssertionError("all of " + n + " gave " + values.size() + " values"));
            return;
        }
        last = values;
        if (++finished == alls) {
            finished = 0;
            done.signal();
        }
    }

    @Benchmark
    @OperationsPerInvocation(INPUTS)
    public Object eventual(Peers peers) {
        peers.eventual.execute(done.guard(() -> {
            for (int a = 0; a < alls; a++) {
                List<Deferred<Integer>> deferreds = new ArrayList<>(n);
                List<Promise<Integer>> promises = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    Deferred<Integer> d = peers.eventual.withResolvers();
                    deferreds.add(d);
                    promises.add(d.promise());
                }
                Promise.all(promises).thenAccept(onValues);
                for (int i = 0; i < n; i++) {
                    deferreds.get(i).resolve(i);
                }
            }
        }));
        done.await();
        return last;
    }

    @Benchmark
    @OperationsPerInvocation(INPUTS)
    public Object completableFuture() {
        for (int a = 0; a < alls; a++) {
            @SuppressWarnings("unchecked")
            CompletableFuture<Integer>[] futures = new CompletableFuture[n];
            for (int i = 0; i < n; i++) {
                futures[i] = new CompletableFuture<>();
            }
            CompletableFuture.allOf(futures).thenRun(() -> {
                Integer[] values = new Integer[futures.length];
                for (int i = 0; i < values.length; i++) {
                    values[i] = futures[i].join();
                }
                finish(Arrays.asList(values));
            });
            for (int i = 0; i < n; i++) {
                futures[i].complete(i);
            }
        }
        done.await();
        return last;
    }

    @Benchmark
    @OperationsPerInvocation(INPUTS)
    public Object netty(Peers peers) {
        peers.netty.execute(done.guard(() -> {
            for (int a = 0; a < alls; a++) {
                PromiseCombiner combiner = new PromiseCombiner(peers.netty);
                List<DefaultPromise<Integer>> promises = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    DefaultPromise<Integer> p = new DefaultPromise<>(peers.netty);
                    promises.add(p);
                    combiner.add(p);
                }
                DefaultPromise<Void> all = new DefaultPromise<>(peers.netty);
                all.addListener(f -> {
                    Integer[] values = new Integer[promises.size()];
                    for (int i = 0; i < values.length; i++) {
                        values[i] = promises.get(i).getNow();
                    }
                    finish(Arrays.asList(values));
                });
                combiner.finish(all);
                for (int i = 0; i < n; i++) {
                    promises.get(i).setSuccess(i);
                }
            }
        }));
        done.await();
        return last;
    }

    @Benchmark
    @OperationsPerInvocation(INPUTS)
    public Object vertx(Peers peers) {
        peers.onVertx(done.guard(() -> {
            for (int a = 0; a < alls; a++) {
                List<io.vertx.core.Promise<Integer>> promises = new ArrayList<>(n);
                List<Future<Integer>> futures = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    io.vertx.core.Promise<Integer> p = io.vertx.core.Promise.promise();
                    promises.add(p);
                    futures.add(p.future());
                }
                Future.all(futures).onSuccess(c -> finish(c.list())).onFailure(onError::accept);
                for (int i = 0; i < n; i++) {
                    promises.get(i).complete(i);
                }
            }
        }));
        done.await();
        return last;
    }

    @Benchmark
    @OperationsPerInvocation(INPUTS)
    public Object guava(Peers peers) {
        peers.guava.execute(done.guard(() -> guavaAlls(peers.guava)));
        done.await();
        return last;
    }

    @Benchmark
    @OperationsPerInvocation(INPUTS)
    public Object guavaDirect(Peers peers) {
        peers.guava.execute(done.guard(() -> guavaAlls(MoreExecutors.directExecutor())));
        done.await();
        return last;
    }

    private void guavaAlls(Executor executor) {
        for (int a = 0; a < alls; a++) {
            List<SettableFuture<Integer>> futures = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                futures.add(SettableFuture.create());
            }
            Futures.addCallback(Futures.allAsList(futures), guavaCallback, executor);
            for (int i = 0; i < n; i++) {
                futures.get(i).set(i);
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(INPUTS)
    public Object reactor(Peers peers) {
        peers.reactor.schedule(done.guard(() -> reactorAlls(peers, true)));
        done.await();
        return last;
    }

    @Benchmark
    @OperationsPerInvocation(INPUTS)
    public Object reactorDirect(Peers peers) {
        peers.reactor.schedule(done.guard(() -> reactorAlls(peers, false)));
        done.await();
        return last;
    }

    private void reactorAlls(Peers peers, boolean publishOn) {
        for (int a = 0; a < alls; a++) {
            List<Sinks.One<Integer>> sinks = new ArrayList<>(n);
            List<Mono<Integer>> monos = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                Sinks.One<Integer> s = Sinks.one();
                sinks.add(s);
                monos.add(s.asMono());
            }
            Mono<List<Object>> all = Mono.zip(monos, Arrays::asList);
            (publishOn ? all.publishOn(peers.reactor) : all).subscribe(this::finish, onError);
            for (int i = 0; i < n; i++) {
                sinks.get(i).tryEmitValue(i);
            }
        }
    }

    /**
     * The floor: per combinator, the list of its inputs (boxed values, as {@code resolve(i)} boxes
     * them), an array the values land in with a countdown, and the handler held until the task's
     * body ends.
     */
    @Benchmark
    @OperationsPerInvocation(INPUTS)
    public Object floor(Peers peers) {
        peers.floor.execute(done.guard(() -> {
            for (int a = 0; a < alls; a++) {
                List<Integer> inputs = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    inputs.add(i);
                }
                Object[] values = new Object[n];
                int remaining = n;
                for (int i = 0; i < n; i++) {
                    values[i] = inputs.get(i);
                    if (--remaining == 0) {
                        held.add(Arrays.asList(values));
                    }
                }
            }
            for (List<Object> values; (values = held.poll()) != null; ) {
                finish(values);
            }
        }));
        done.await();
        return last;
    }
}
