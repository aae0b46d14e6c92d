package dev.eventual.bench;

import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
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
 * is the time per task until the loop has run them all. Peers: Netty's {@code DefaultEventLoop}
 * (a lock per offer: its slowest executor) and its NIO event loop ({@code nettyNio}: an MPSC queue,
 * the loop Netty's network code and Vert.x run on), a single-thread {@code ExecutorService} (the
 * "guava" column: Guava users submit to one), a Vert.x context; the floor is a {@link FloorLoop}:
 * JCTools' {@code MpscUnboundedArrayQueue} drained with {@code relaxedPoll} (the consumer's own
 * index and the slot only) by one thread with an Eventual loop's idle policy (a 1 us spin, then
 * park). Reactor and CompletableFuture have no loop to submit to: no column.
 *
 * <p>Run: {@code bench/run CrossThreadSubmit}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = Settings.WARMUP_ITERATIONS, time = Settings.WARMUP_SECONDS)
@Measurement(iterations = Settings.ITERATIONS, time = Settings.SECONDS)
@Fork(Settings.FORKS)
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
        floorLoop = new FloorLoop("bench-submit-floor");
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
    public void nettyNio(Peers peers) throws Exception {
        submitAll(peers.nettyNio::execute);
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
}
