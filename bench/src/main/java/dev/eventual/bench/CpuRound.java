package dev.eventual.bench;

import dev.eventual.Deferred;
import dev.eventual.EventLoop;
import dev.eventual.Promise;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One round of {@link ChainCpuTime}'s two scenarios on a new loop with async stack traces on or
 * off, timed in the calling thread's CPU time (ns): what {@link CpuInterleaved} calls in each of
 * the builds it compares. Public API only, so it compiles against any build of the core.
 */
public final class CpuRound {
    private CpuRound() {}

    private static final Function<Integer, Integer> INC = v -> v + 1;
    private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();
    private static long sink;
    private static final Consumer<Integer> HANDLER = v -> sink += v;

    /**
     * A chain of 1,000 {@code then} links on a pending source, then resolved.
     *
     * @param traced whether the loop records async stack traces
     * @return the CPU time it took, ns
     */
    public static long chain(boolean traced) {
        long start = MX.getCurrentThreadCpuTime();
        EventLoop.builder().asyncStackTraces(traced).run(() -> {
            Deferred<Integer> d = EventLoop.current().withResolvers();
            Promise<Integer> p = d.promise();
            for (int i = 0; i < 1000; i++) {
                p = p.then(INC);
            }
            p.thenAccept(HANDLER);
            d.resolve(0);
        });
        return MX.getCurrentThreadCpuTime() - start;
    }

    /**
     * 1,000 promises, each with one {@code thenAccept}, each resolved.
     *
     * @param traced whether the loop records async stack traces
     * @return the CPU time it took, ns
     */
    public static long resolveThen(boolean traced) {
        long start = MX.getCurrentThreadCpuTime();
        EventLoop.builder().asyncStackTraces(traced).run(() -> {
            EventLoop loop = EventLoop.current();
            for (int i = 0; i < 1000; i++) {
                Deferred<Integer> d = loop.withResolvers();
                d.promise().thenAccept(HANDLER);
                d.resolve(i);
            }
        });
        return MX.getCurrentThreadCpuTime() - start;
    }
}
