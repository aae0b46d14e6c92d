package dev.eventual.bench;

import dev.eventual.Deferred;
import dev.eventual.EventLoop;
import dev.eventual.Promise;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The {@code Chain} and {@code ResolveThen} scenarios timed in the CPU time of the loop's thread,
 * not wall time: on a machine shared with other work, wall time mostly measures the wait for a
 * core, while the thread's CPU time stays close to what the code costs. The loop runs on the
 * calling thread ({@code EventLoop.run}), so there is no hand-off to time either. Prints the
 * median and the quartiles over the rounds, in ns per link (Chain, n = 1,000, source pending) and
 * ns per promise (ResolveThen, batches of 1,000).
 *
 * <p>Uses only the public API, so it compiles and runs against any build of the core: the
 * async-stack-trace cost in BENCHMARKS.md ran it against the build before the feature and the
 * build with it, off and with {@code -Deventual.asyncStackTraces=true}:
 * {@code java -cp bench/target/benchmarks.jar dev.eventual.bench.ChainCpuTime [rounds]}.
 */
public final class ChainCpuTime {
    private static final Function<Integer, Integer> INC = v -> v + 1;
    private static final int N = 1_000;
    private static long sink;

    private ChainCpuTime() {}

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 2_000;
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

    private static String quartiles(long[] perRound) {
        long[] s = perRound.clone();
        Arrays.sort(s);
        return String.format("median %.1f (quartiles %.1f to %.1f)",
                s[s.length / 2] / (double) N, s[s.length / 4] / (double) N, s[3 * s.length / 4] / (double) N);
    }
}
