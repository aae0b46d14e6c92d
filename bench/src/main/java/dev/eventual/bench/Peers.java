package dev.eventual.bench;

import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
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
 * executor for Guava's listeners (both Guava columns run their batch there), a Reactor
 * {@code Schedulers.newSingle} scheduler (both Reactor columns), and a plain single-thread
 * {@link FloorLoop} for the floor; {@code CrossThreadSubmit.nettyNio} also gets Netty's NIO event loop.
 *
 * <p>Every loop-based benchmark hands a batch of thousands of operations to its loop as one task
 * and waits with {@link Done}: one hand-off per batch, whatever the loop's idle policy (a loop
 * that parks at once pays a futex wake-up there, one that spins first usually does not), so the
 * hand-off is a small part of every batch (BENCHMARKS.md gives the figures). {@code SmallBatch} is the one scenario that shows the
 * hand-off itself.
 */
@State(Scope.Benchmark)
public class Peers {
    dev.eventual.EventLoop eventual;
    DefaultEventLoop netty;
    /** Netty's NIO event loop (one thread), started only in the forks of {@code .nettyNio} benchmarks. */
    MultiThreadIoEventLoopGroup nettyNioGroup;
    EventLoop nettyNio;
    Vertx vertx;
    Context vertxContext;
    ExecutorService guava;
    Scheduler reactor;
    /** The floors' loop: a bare task queue with the idle policy of an Eventual loop. */
    FloorLoop floor;

    /**
     * Starts the loops. Vert.x takes about a second to start and is only started in the forks
     * that use it (its own benchmark methods, and {@code Timers}, whose per-invocation tear-down
     * cancels its timers too): with a fork per benchmark, that start-up was a large share of a
     * quick run.
     */
    @Setup
    public void start(BenchmarkParams params) throws InterruptedException {
        // Async stack traces on only for the eventualTraced variants (BENCHMARKS.md, "Async stack traces: cost")
        eventual = dev.eventual.EventLoop.builder().name("bench-eventual").daemon(true)
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
        if (benchmark.endsWith(".nettyNio")) {
            nettyNioGroup = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
            nettyNio = nettyNioGroup.next();
        }
        guava = Executors.newSingleThreadExecutor();
        reactor = Schedulers.newSingle("bench-reactor");
        floor = new FloorLoop("bench-floor");
    }

    @TearDown
    public void stop() {
        eventual.close();
        netty.shutdownGracefully(0, 0, TimeUnit.SECONDS);
        if (nettyNioGroup != null) {
            nettyNioGroup.shutdownGracefully(0, 0, TimeUnit.SECONDS);
        }
        if (vertx != null) {
            vertx.close();
        }
        guava.shutdownNow();
        reactor.dispose();
        floor.stop();
    }

    void onVertx(Runnable task) {
        vertxContext.runOnContext(v -> task.run());
    }
}
