package dev.eventual.bench;

import dev.eventual.Deferred;
import dev.eventual.EventLoop;
import dev.eventual.Promise;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * What a chain link and a resolved promise cost in CPU time, one build of the core at a time: the
 * {@code Chain} and {@code ResolveThen} scenarios timed in the CPU time of the loop's thread, not
 * wall time: on a machine shared with other work, wall time mostly measures the wait for a core,
 * while the thread's CPU time stays close to what the code costs. Prints the median and the
 * quartiles over the rounds, in ns per link (Chain, n = 1,000, source pending) and ns per promise
 * (ResolveThen, batches of 1,000). To compare two builds, or traces on and off, use
 * {@link PairedCpuTime}, which runs this class's rounds for both in one JVM.
 *
 * <p>Uses only the public API that every build of the core has, so it runs against any of them
 * (its class is loaded once per build by {@code PairedCpuTime}). By default each round runs on a
 * new loop on the calling thread ({@code EventLoop.run}), so there is no hand-off to time;
 * {@code -Deventual.asyncStackTraces=true} turns traces on for every loop, in a build that has
 * them:
 * {@code java -Xms1g -Xmx1g -cp bench/target/benchmarks.jar dev.eventual.bench.ChainCpuTime [rounds [started]]}.
 *
 * <p>With a second argument {@code started}, the rounds run on one long-lived loop
 * ({@code EventLoop.start}) instead of a new {@code EventLoop.run} per round, as in the JMH
 * scenarios: a round is one task, timed from its start to the round's last handler (its last
 * microtask) in the loop thread's CPU time, and a full GC ({@code System.gc()}) between the
 * warm-up and the measured pass moves the loop's own long-lived objects (its queues' arrays
 * among them) to the old generation, as a long-running program's are. This is the mode that
 * shows what G1's post-write barrier costs on stores into those objects, and the one
 * {@code PairedCpuTime} uses.
 */
public final class ChainCpuTime {
    private static final Function<Integer, Integer> INC = v -> v + 1;
    private static final int N = 1_000;
    private static long sink;

    private ChainCpuTime() {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 2_000;
        if (args.length > 1 && args[1].equals("started")) {
            started(rounds);
            return;
        }
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Consumer<Integer> handler = v -> sink += v;
        long[] chain = new long[rounds];
        long[] resolveThen = new long[rounds];
        for (int warm = 0; warm < 2; warm++) { // the first pass warms up; the second is measured
            for (int r = 0; r < rounds; r++) {
                long start = mx.getCurrentThreadCpuTime();
                EventLoop.run(() -> {
                    Deferred<Integer> d = EventLoop.current().withResolvers();
                    Promise<Integer> p = d.promise();
                    for (int i = 0; i < N; i++) {
                        p = p.then(INC);
                    }
                    p.thenAccept(handler);
                    d.resolve(0);
                });
                chain[r] = mx.getCurrentThreadCpuTime() - start;
                start = mx.getCurrentThreadCpuTime();
                EventLoop.run(() -> {
                    EventLoop loop = EventLoop.current();
                    for (int i = 0; i < N; i++) {
                        Deferred<Integer> d = loop.withResolvers();
                        d.promise().thenAccept(handler);
                        d.resolve(i);
                    }
                });
                resolveThen[r] = mx.getCurrentThreadCpuTime() - start;
            }
        }
        System.out.println("asyncStackTraces property: " + System.getProperty("eventual.asyncStackTraces", "unset")
                + "; rounds: " + rounds + "; sink " + sink);
        System.out.println("Chain n=1000 pending, CPU ns per link:       " + quartiles(chain));
        System.out.println("ResolveThen batch 1000, CPU ns per promise: " + quartiles(resolveThen));
    }

    /** The long-lived-loop mode: see the class comment. */
    private static void started(int rounds) throws Exception {
        Object[] session = session();
        @SuppressWarnings("unchecked")
        IntFunction<long[][]> run = (IntFunction<long[][]>) session[0];
        long[][] measured;
        try {
            run.apply(rounds); // warm-up
            System.gc();
            measured = run.apply(rounds);
        } finally {
            ((Runnable) session[1]).run();
        }
        System.out.println("long-lived loop; rounds: " + rounds + "; sink " + sink);
        System.out.println("Chain n=1000 pending, CPU ns per link:       " + quartiles(measured[0]));
        System.out.println("ResolveThen batch 1000, CPU ns per promise: " + quartiles(measured[1]));
    }

    /**
     * One long-lived loop, for this class's {@code started} mode and for {@link PairedCpuTime}
     * (which loads this class once per build under test, so it speaks only JDK types): element 0
     * is an {@code IntFunction<long[][]>} that runs that many rounds of each scenario on the loop
     * and returns their CPU times ({@code [0]} Chain, {@code [1]} ResolveThen, ns per round);
     * element 1 a {@code Runnable} that closes the loop.
     */
    public static Object[] session() {
        return session(false, false);
    }

    /**
     * {@link #session()}, and with {@code varied} each round first runs an untimed task that uses
     * the other kinds of reaction ({@code caught}, {@code lastly}, {@code thenCompose}, {@code
     * asCallback}, {@code queueMicrotask}, {@code Promise.all}), as a program that uses more
     * than {@code then} does: the loop's call sites then see many receiver types, not two.
     *
     * <p>With {@code traced} the loop records async stack traces (the builder's {@code
     * asyncStackTraces(true)}, called by reflection, so that this class also runs against a build
     * of the core that has no such method, as long as {@code traced} is false). Without it the
     * builder is left at its default: off, unless {@code -Deventual.asyncStackTraces=true}.
     *
     * @throws IllegalStateException if {@code traced} and this build's builder has no {@code
     *     asyncStackTraces(boolean)}
     */
    public static Object[] session(boolean varied, boolean traced) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        EventLoop.Builder builder = EventLoop.builder().name("cpu-time");
        if (traced) {
            traced(builder);
        }
        EventLoop loop = builder.start();
        IntFunction<long[][]> run = rounds -> {
            long[] chain = new long[rounds];
            long[] resolveThen = new long[rounds];
            try {
                for (int r = 0; r < rounds; r++) {
                    if (varied) {
                        round(loop, (start, done) -> variety(loop, done));
                    }
                    chain[r] = round(loop, (start, done) -> {
                        Deferred<Integer> d = loop.withResolvers();
                        Promise<Integer> p = d.promise();
                        for (int i = 0; i < N; i++) {
                            p = p.then(INC);
                        }
                        p.thenAccept(v -> {
                            sink += v;
                            done.complete(mx.getCurrentThreadCpuTime() - start);
                        });
                        d.resolve(0);
                    });
                    resolveThen[r] = round(loop, (start, done) -> {
                        Consumer<Integer> last = v -> {
                            sink += v;
                            done.complete(mx.getCurrentThreadCpuTime() - start);
                        };
                        for (int i = 0; i < N; i++) {
                            Deferred<Integer> d = loop.withResolvers();
                            d.promise().thenAccept(i == N - 1 ? last : ROUND_HANDLER);
                            d.resolve(i);
                        }
                    });
                }
            } catch (Exception e) {
                throw new IllegalStateException("a round failed", e);
            }
            return new long[][] {chain, resolveThen};
        };
        Runnable close = loop::close;
        return new Object[] {run, close};
    }

    /** Turns async stack traces on in {@code builder}, through reflection: see {@link #session(boolean, boolean)}. */
    private static void traced(EventLoop.Builder builder) {
        java.lang.reflect.Method on;
        try {
            on = EventLoop.Builder.class.getMethod("asyncStackTraces", boolean.class);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("this build of the core (" + where(EventLoop.class)
                    + ") has no EventLoop.Builder.asyncStackTraces(boolean): it can only run untraced", e);
        }
        try {
            on.invoke(builder, true);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("EventLoop.Builder.asyncStackTraces(true) failed in "
                    + where(EventLoop.class), e);
        }
    }

    /** Where {@code c} was loaded from, for messages. */
    private static String where(Class<?> c) {
        java.security.CodeSource source = c.getProtectionDomain().getCodeSource();
        return source == null ? "unknown location" : String.valueOf(source.getLocation());
    }

    /** The varied round's work: every other kind of reaction, a few times; completes {@code done}. */
    private static void variety(EventLoop loop, java.util.concurrent.CompletableFuture<Long> done) {
        java.util.List<Promise<Integer>> all = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            int v = i;
            Deferred<Integer> d = loop.withResolvers();
            all.add(d.promise()
                    .then(INC)
                    .caught(e -> -1)
                    .lastly(() -> sink++)
                    .thenCompose(x -> loop.resolved(x + 1))
                    .asCallback((e, x) -> sink += x));
            loop.queueMicrotask(() -> d.resolve(v));
        }
        Promise.all(all).thenAccept(values -> done.complete((long) values.size()));
    }

    private static final Consumer<Integer> ROUND_HANDLER = v -> sink += v;

    /** A round's body: gets the loop thread's CPU time at the task's start and what its last handler completes. */
    private interface Round {
        void run(long start, java.util.concurrent.CompletableFuture<Long> done);
    }

    /** Runs one round as a task of {@code loop}; its CPU time on the loop thread, in ns. */
    private static long round(EventLoop loop, Round body) throws Exception {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        java.util.concurrent.CompletableFuture<Long> done = new java.util.concurrent.CompletableFuture<>();
        loop.execute(() -> body.run(mx.getCurrentThreadCpuTime(), done));
        return done.get();
    }

    static String quartiles(long[] perRound) {
        long[] s = perRound.clone();
        Arrays.sort(s);
        return String.format("median %.1f (quartiles %.1f to %.1f)",
                s[s.length / 2] / (double) N, s[s.length / 4] / (double) N, s[3 * s.length / 4] / (double) N);
    }
}
