package dev.eventual.bench;

import dev.eventual.EventLoop;
import io.netty.channel.DefaultEventLoop;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * One single-threaded loop per implementation, set up as its users would: an Eventual loop from
 * {@code EventLoop.start}, a Netty {@link DefaultEventLoop}, a Vert.x context, a single-thread
 * executor for Guava's listeners, Reactor's {@code Schedulers.single()}, and a plain single-thread
 * executor for the floor. Every loop-based benchmark hands its whole batch to its loop as one task
 * and waits with {@link Done}, so each pays the same one hand-off per batch.
 */
@State(Scope.Benchmark)
public class Peers {
    EventLoop eventual;
    DefaultEventLoop netty;
    Vertx vertx;
    Context vertxContext;
    ExecutorService guava;
    Scheduler reactor;
    ExecutorService floor;

    /**
     * Starts the loops. Vert.x takes about a second to start and is only started in the forks
     * that use it (its own benchmark methods, and {@code Timers}, whose per-invocation tear-down
     * cancels its timers too): with a fork per benchmark, that start-up was a large share of a
     * quick run.
     */
    @Setup
    public void start(BenchmarkParams params) throws InterruptedException {
        // Async stack traces on only for the eventualTraced variants (BENCHMARKS.md, "Async stack traces: cost")
        eventual = EventLoop.builder().name("bench-eventual").daemon(true)
                .asyncStackTraces(params.getBenchmark().endsWith(".eventualTraced")).start();
        netty = new DefaultEventLoop();
        String benchmark = params.getBenchmark();
        if (benchmark.endsWith(".vertx") || benchmark.contains(".Timers.")) {
            vertx = Vertx.vertx();
            CountDownLatch onContext = new CountDownLatch(1);
            vertx.runOnContext(v -> {
                vertxContext = vertx.getOrCreateContext();
                onContext.countDown();
            });
            onContext.await(10, TimeUnit.SECONDS);
        }
        guava = Executors.newSingleThreadExecutor();
        reactor = Schedulers.newSingle("bench-reactor");
        floor = Executors.newSingleThreadExecutor();
    }

    @TearDown
    public void stop() {
        eventual.close();
        netty.shutdownGracefully(0, 0, TimeUnit.SECONDS);
        if (vertx != null) {
            vertx.close();
        }
        guava.shutdownNow();
        reactor.dispose();
        floor.shutdownNow();
    }

    void onVertx(Runnable task) {
        vertxContext.runOnContext(v -> task.run());
    }
}
