package dev.eventual.bench;

import dev.eventual.EventLoop;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.LockSupport;

/**
 * The cost of handing one task to an idle loop thread and seeing it run, the part of a
 * small-batch scenario ({@code SmallBatch}: one chain of 10 links per hand-off; {@code Timers} at
 * n=1,000) that JMH cannot separate: post a task, spin until it has run, post the next at once. The next post
 * comes while the loop is on its way to sleep, so a loop that parks at once pays a wake-up per
 * round trip and one that is still awake pays none. Prints, per loop, the best of 5 rounds of
 * {@code rounds} round trips, three times over, in ns per round trip.
 *
 * <p>Run: {@code java -cp bench/target/benchmarks.jar dev.eventual.bench.HandOffProbe [rounds]}.
 */
public final class HandOffProbe {
    private static volatile int ran;

    private HandOffProbe() {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        EventLoop eventual = EventLoop.builder().name("probe-eventual").daemon(true).start();
        Vertx vertx = Vertx.vertx();
        Context context = vertx.getOrCreateContext();
        MultiThreadIoEventLoopGroup nio = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        DefaultEventLoop nettyDefault = new DefaultEventLoop();
        Executor parkThread = parkingThread();
        FloorLoop floor = new FloorLoop("probe-floor");
        try {
            for (int repeat = 0; repeat < 3; repeat++) {
                print("eventual", eventual, rounds);
                print("vertx context", task -> context.runOnContext(v -> task.run()), rounds);
                print("netty NIO event loop", nio.next(), rounds);
                print("netty DefaultEventLoop", nettyDefault, rounds);
                print("bare park/unpark thread", parkThread, rounds);
                print("floor loop (FloorLoop: spin 1 us, then park)", floor, rounds);
            }
        } finally {
            eventual.close();
            vertx.close();
            nio.shutdownGracefully();
            nettyDefault.shutdownGracefully();
            floor.stop();
        }
    }

    private static void print(String name, Executor loop, int rounds) {
        long best = Long.MAX_VALUE;
        for (int r = 0; r < 5; r++) {
            long start = System.nanoTime();
            for (int i = 1; i <= rounds; i++) {
                int round = i;
                loop.execute(() -> ran = round);
                while (ran != round) {
                    Thread.onSpinWait();
                }
            }
            best = Math.min(best, (System.nanoTime() - start) / rounds);
            ran = 0;
        }
        System.out.printf("%-26s %,7d ns per round trip%n", name, best);
    }

    /** A thread that parks as soon as its queue is empty: the hand-off with nothing in between. */
    private static Executor parkingThread() {
        ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();
        Thread thread = Thread.ofPlatform().daemon().name("probe-park").start(() -> {
            for (;;) {
                Runnable task = queue.poll();
                if (task != null) {
                    task.run();
                } else {
                    LockSupport.park(); // an unpark before this park leaves its permit: no lost wake-up
                }
            }
        });
        return task -> {
            queue.add(task);
            LockSupport.unpark(thread);
        };
    }
}
