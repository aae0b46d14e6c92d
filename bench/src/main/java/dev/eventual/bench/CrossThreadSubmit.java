package dev.eventual.bench;

import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.jctools.queues.MpscUnboundedArrayQueue;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Scenario 4: {@code producers} threads submit {@value #TASKS} tasks in all to one loop; the score
 * is the time per task until the loop has run them all. Peers: Netty's event loop, a single-thread
 * {@code ExecutorService} (the "guava" column: Guava users submit to one), a Vert.x context; the
 * floor is a JCTools {@code MpscUnboundedArrayQueue} drained by one thread that parks when empty.
 * Reactor and CompletableFuture have no loop to submit to: no column.
 *
 * <p>Run: {@code bench/run CrossThreadSubmit}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CrossThreadSubmit {
    static final int TASKS = 100_000;

    @Param({"1", "2"})
    public int producers;

    private final Done done = new Done();
    private final AtomicInteger ran = new AtomicInteger();
    private final Runnable task = () -> {
        if (ran.incrementAndGet() == TASKS) {
            ran.set(0);
            done.signal();
        }
    };
    private Thread helper;
    private CyclicBarrier start;
    private volatile Consumer<Runnable> helperTarget;
    private volatile boolean stopping;
    private FloorLoop floorLoop;

    @Setup(Level.Trial)
    public void setup() {
        floorLoop = new FloorLoop();
        start = new CyclicBarrier(producers);
        if (producers == 2) {
            helper = Thread.ofPlatform().daemon().start(() -> {
                while (!stopping) {
                    try {
                        start.await();
                    } catch (Exception e) {
                        return;
                    }
                    Consumer<Runnable> target = helperTarget;
                    if (target != null) {
                        for (int i = 0; i < TASKS / 2; i++) {
                            target.accept(task);
                        }
                    }
                }
            });
        }
    }

    @TearDown(Level.Trial)
    public void teardown() {
        stopping = true;
        start.reset();
        floorLoop.stop();
    }

    private void submitAll(Consumer<Runnable> target) throws Exception {
        helperTarget = target;
        if (producers == 2) {
            start.await();
        }
        int mine = producers == 2 ? TASKS / 2 : TASKS;
        for (int i = 0; i < mine; i++) {
            target.accept(task);
        }
        done.await();
    }

    @Benchmark
    @OperationsPerInvocation(TASKS)
    public void eventual(Peers peers) throws Exception {
        submitAll(peers.eventual::execute);
    }

    @Benchmark
    @OperationsPerInvocation(TASKS)
    public void netty(Peers peers) throws Exception {
        submitAll(peers.netty::execute);
    }

    @Benchmark
    @OperationsPerInvocation(TASKS)
    public void vertx(Peers peers) throws Exception {
        submitAll(peers::onVertx);
    }

    @Benchmark
    @OperationsPerInvocation(TASKS)
    public void guava(Peers peers) throws Exception {
        submitAll(peers.guava::execute);
    }

    @Benchmark
    @OperationsPerInvocation(TASKS)
    public void floor() throws Exception {
        submitAll(floorLoop::execute);
    }

    /** JCTools' MPSC queue, one consumer thread that parks when empty; producers unpark it. */
    static final class FloorLoop {
        private final MpscUnboundedArrayQueue<Runnable> queue = new MpscUnboundedArrayQueue<>(1024);
        private final AtomicInteger sleeping = new AtomicInteger();
        private volatile boolean stopped;
        private final Thread thread = Thread.ofPlatform().daemon().start(this::drain);

        void execute(Runnable r) {
            queue.offer(r);
            if (sleeping.get() == 1 && sleeping.compareAndSet(1, 0)) {
                LockSupport.unpark(thread);
            }
        }

        private void drain() {
            while (!stopped) {
                Runnable r = queue.relaxedPoll();
                if (r != null) {
                    r.run();
                    continue;
                }
                sleeping.set(1);
                if (queue.isEmpty() && !stopped) {
                    LockSupport.park(this);
                }
                sleeping.set(0);
            }
        }

        void stop() {
            stopped = true;
            LockSupport.unpark(thread);
        }
    }
}
