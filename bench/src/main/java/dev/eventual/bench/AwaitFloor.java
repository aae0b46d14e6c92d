package dev.eventual.bench;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The floor under {@code await} (issue "await at coroutine speed"): what one hand-off round trip
 * between a loop and a suspended body can cost on this JDK, whatever Eventual does around it.
 * One operation is one round trip: the first party hands the turn to the second, the second
 * hands it back.
 *
 * <ul>
 *   <li>{@code virtualToVirtual}: two virtual threads ping-pong with park/unpark on the JVM's
 *       default scheduler (as many carriers as cores).</li>
 *   <li>{@code virtualToVirtualOneCarrier}: the same with one carrier
 *       ({@code -Djdk.virtualThreadScheduler.parallelism=1}): the two always share it.</li>
 *   <li>{@code platformToVirtual}: a platform thread and a virtual thread ping-pong with
 *       park/unpark: today's shape (the loop thread and a body), each hand-off an OS wake-up.</li>
 *   <li>{@code customScheduler}: a virtual thread whose scheduler is an executor that hands the
 *       continuation back to the thread that unparked it, which runs it at once: the body is
 *       mounted on the asking (platform) thread and unmounts when it parks. Needs
 *       {@code --add-opens java.base/java.lang=ALL-UNNAMED} (the builder's scheduler hook is
 *       package-private).</li>
 *   <li>{@code continuation}: a bare {@code jdk.internal.vm.Continuation}, run and yielded on
 *       the calling thread, with none of a virtual thread's bookkeeping. Needs
 *       {@code --add-exports java.base/jdk.internal.vm=ALL-UNNAMED}.</li>
 * </ul>
 *
 * <p>Run: {@code java -jar bench/target/benchmarks.jar AwaitFloor}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(Settings.FORKS)
public class AwaitFloor {
    static final int BATCH = 10_000;

    /** Ping-pong between two threads: each waits for its own turn number, then passes it on. */
    static final class PingPong {
        volatile int turn; // even: a's turn, odd: b's
        volatile Thread a;
        volatile Thread b;

        void play(boolean first, int rounds) {
            int mine = first ? 0 : 1;
            for (int i = 0; i < rounds; i++) {
                while (turn != mine) {
                    LockSupport.park(this);
                }
                turn = mine + 1;
                LockSupport.unpark(first ? b : a);
                mine += 2;
            }
        }
    }

    private void pingPong(ThreadFactory first, ThreadFactory second, boolean callerIsFirst) throws InterruptedException {
        PingPong p = new PingPong();
        Done done = new Done();
        Thread tb = second.newThread(done.guard(() -> {
            p.play(false, BATCH);
            done.signal();
        }));
        p.b = tb;
        if (callerIsFirst) {
            p.a = Thread.currentThread();
            tb.start();
            p.play(true, BATCH);
            done.await();
        } else {
            Thread ta = first.newThread(done.guard(() -> p.play(true, BATCH)));
            p.a = ta;
            ta.start();
            tb.start();
            done.await();
            ta.join();
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void virtualToVirtual() throws InterruptedException {
        ThreadFactory v = Thread.ofVirtual().factory();
        pingPong(v, v, false);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    @Fork(value = Settings.FORKS, jvmArgsPrepend = "-Djdk.virtualThreadScheduler.parallelism=1")
    public void virtualToVirtualOneCarrier() throws InterruptedException {
        ThreadFactory v = Thread.ofVirtual().factory();
        pingPong(v, v, false);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void platformToVirtual() throws InterruptedException {
        pingPong(null, Thread.ofVirtual().factory(), true);
    }

    /** A virtual thread scheduled by the thread that unparks it; see customScheduler. */
    @State(Scope.Thread)
    public static class Mounted {
        /** The continuation the virtual thread's scheduler was last handed; run by the asker. */
        Runnable pending;
        Thread body;
        int resumed;

        @Setup(Level.Trial)
        public void start() throws Exception {
            Class<?> builderClass = Class.forName("java.lang.ThreadBuilders$VirtualThreadBuilder");
            Constructor<?> c = builderClass.getDeclaredConstructor(Executor.class);
            c.setAccessible(true); // needs --add-opens java.base/java.lang=ALL-UNNAMED
            Executor scheduler = task -> pending = task;
            Thread.Builder.OfVirtual builder = (Thread.Builder.OfVirtual) c.newInstance(scheduler);
            body = builder.unstarted(() -> {
                for (;;) {
                    LockSupport.park();
                    resumed++;
                }
            });
            body.start();
            runPending(); // runs it until its first park
        }

        void runPending() {
            Runnable r = pending;
            pending = null;
            r.run();
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    @Fork(value = Settings.FORKS, jvmArgsPrepend = "--add-opens=java.base/java.lang=ALL-UNNAMED")
    public int customScheduler(Mounted m) {
        Thread body = m.body;
        for (int i = 0; i < BATCH; i++) {
            LockSupport.unpark(body); // hands its continuation to the scheduler: m.pending
            m.runPending(); // mounts it here; it runs until its next park
        }
        return m.resumed;
    }

    /** A bare continuation through its internal API, looked up by reflection; see continuation. */
    @State(Scope.Thread)
    public static class Bare {
        static final MethodHandle RUN;
        static final MethodHandle YIELD;
        static final Object SCOPE;
        static final MethodHandle NEW;

        static {
            try {
                Class<?> scope = Class.forName("jdk.internal.vm.ContinuationScope");
                Class<?> cont = Class.forName("jdk.internal.vm.Continuation");
                MethodHandles.Lookup l = MethodHandles.lookup();
                SCOPE = l.findConstructor(scope, MethodType.methodType(void.class, String.class)).invoke("bench");
                NEW = l.findConstructor(cont, MethodType.methodType(void.class, scope, Runnable.class));
                RUN = l.findVirtual(cont, "run", MethodType.methodType(void.class));
                YIELD = l.findStatic(cont, "yield", MethodType.methodType(boolean.class, scope));
            } catch (Throwable e) { // needs --add-exports java.base/jdk.internal.vm=ALL-UNNAMED
                throw new ExceptionInInitializerError(e);
            }
        }

        Object continuation;
        int resumed;

        @Setup(Level.Trial)
        public void start() throws Throwable {
            continuation = NEW.invoke(SCOPE, (Runnable) () -> {
                for (;;) {
                    try {
                        boolean ignored = (boolean) YIELD.invoke(SCOPE);
                    } catch (Throwable e) {
                        throw new IllegalStateException(e);
                    }
                    resumed++;
                }
            });
            RUN.invoke(continuation);
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    @Fork(value = Settings.FORKS, jvmArgsPrepend = "--add-exports=java.base/jdk.internal.vm=ALL-UNNAMED")
    public int continuation(Bare b) throws Throwable {
        Object c = b.continuation;
        for (int i = 0; i < BATCH; i++) {
            AwaitFloor.Bare.RUN.invoke(c);
        }
        return b.resumed;
    }
}
