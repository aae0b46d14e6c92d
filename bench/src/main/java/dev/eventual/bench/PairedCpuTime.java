package dev.eventual.bench;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;

/**
 * The tool for comparing two builds of the core, or one build with async stack traces off and
 * on, in loop-thread CPU time: both run in one JVM, interleaved. {@link ChainCpuTime}'s
 * long-lived-loop rounds (Chain n = 1,000 pending, ResolveThen batches of 1,000, each timed in its
 * loop thread's CPU time) run on one loop per build, in blocks that alternate between the builds
 * (and the order within a pair of blocks), so that both see the same machine: on a loaded machine
 * the load changes between two runs far more than a few nanoseconds per operation, and between
 * two blocks a few milliseconds apart it hardly does.
 *
 * <p>Each build is a jar (or classes directory) holding the core; {@code ChainCpuTime} itself is
 * loaded from wherever this class was, once per build (a class loader per build, which defines
 * the {@code dev.eventual.bench} classes from this class's location and takes everything else
 * from the build), so it runs against each build's core. The same jar may be given twice: its
 * classes are then loaded and compiled twice, independently, as two builds. A full GC after the
 * warm-up blocks moves both loops' long-lived objects to the old generation, as a long-running
 * program's are.
 *
 * <p>Prints, per scenario and build, the median and quartiles of the per-round CPU times, and the
 * median of the per-pair differences of the blocks' medians (B - A) with its quartiles.
 *
 * <p>Options (system properties):
 * <ul>
 *   <li>{@code -DcpuTime.tracedA=true}, {@code -DcpuTime.tracedB=true}: build A's or B's loop
 *       records async stack traces ({@code EventLoop.builder().asyncStackTraces(true)}). Off by
 *       default; a build whose core has no such method runs only untraced. Traces on against off
 *       is the same jar twice with B traced; a build without the feature against today, both off,
 *       is two jars and neither property. (Not {@code -Deventual.asyncStackTraces}, which turns
 *       traces on for both builds.)
 *   <li>{@code -DcpuTime.varied=true}: each round is preceded by an untimed one that uses the
 *       other kinds of reaction (see {@link ChainCpuTime#session(boolean, boolean)}).
 * </ul>
 *
 * <p>Run: {@code java -XX:+AlwaysPreTouch -Xms1g -Xmx1g [-DcpuTime.tracedB=true] -cp
 * bench/target/benchmarks.jar dev.eventual.bench.PairedCpuTime A.jar B.jar [blocks]
 * [rounds-per-block]} (defaults 40 and 100). Run both orders: a build's slot can matter a little.
 */
public final class PairedCpuTime {
    private static final int N = 1_000;

    private PairedCpuTime() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: PairedCpuTime A.jar B.jar [blocks] [rounds-per-block]");
            System.exit(2);
        }
        int blocks = args.length > 2 ? Integer.parseInt(args[2]) : 40;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 100;
        boolean varied = Boolean.getBoolean("cpuTime.varied");
        boolean tracedA = Boolean.getBoolean("cpuTime.tracedA");
        boolean tracedB = Boolean.getBoolean("cpuTime.tracedB");
        Session a = new Session(Path.of(args[0]), varied, tracedA);
        Session b;
        try {
            b = new Session(Path.of(args[1]), varied, tracedB);
        } catch (Exception | Error e) {
            a.close.run(); // A's loop thread is not a daemon: it would keep the JVM alive
            throw e;
        }
        try {
            for (int warm = 0; warm < blocks / 4 + 1; warm++) {
                a.run.apply(rounds);
                b.run.apply(rounds);
            }
            System.gc();
            List<long[]> aChain = new ArrayList<>(), bChain = new ArrayList<>();
            List<long[]> aThen = new ArrayList<>(), bThen = new ArrayList<>();
            for (int block = 0; block < blocks; block++) {
                boolean aFirst = block % 2 == 0;
                long[][] first = (aFirst ? a : b).run.apply(rounds);
                long[][] second = (aFirst ? b : a).run.apply(rounds);
                long[][] ra = aFirst ? first : second;
                long[][] rb = aFirst ? second : first;
                aChain.add(ra[0]);
                bChain.add(rb[0]);
                aThen.add(ra[1]);
                bThen.add(rb[1]);
            }
            System.out.println("A = " + args[0] + traces(tracedA) + ", B = " + args[1] + traces(tracedB) + "; "
                    + blocks + " blocks of " + rounds + " rounds each, interleaved"
                    + (varied ? "; varied reactions" : ""));
            report("Chain n=1000 pending, CPU ns per link", aChain, bChain);
            report("ResolveThen batch 1000, CPU ns per promise", aThen, bThen);
        } finally {
            a.close.run();
            b.close.run();
        }
    }

    private static String traces(boolean traced) {
        return traced ? " (traces on)" : " (traces " + defaultTraces() + ")";
    }

    /** What an untraced session's loop gets: the builder's default, which the JVM-wide property sets. */
    private static String defaultTraces() {
        return Boolean.getBoolean("eventual.asyncStackTraces") ? "on, by -Deventual.asyncStackTraces" : "off";
    }

    private static void report(String title, List<long[]> a, List<long[]> b) {
        double[] diffs = new double[a.size()];
        for (int i = 0; i < diffs.length; i++) {
            diffs[i] = (median(b.get(i)) - median(a.get(i))) / N;
        }
        Arrays.sort(diffs);
        System.out.println(title + ":");
        System.out.println("  A " + ChainCpuTime.quartiles(concat(a)));
        System.out.println("  B " + ChainCpuTime.quartiles(concat(b)));
        System.out.printf("  B - A, per pair of blocks: median %.1f (quartiles %.1f to %.1f)%n",
                diffs[diffs.length / 2], diffs[diffs.length / 4], diffs[3 * diffs.length / 4]);
    }

    private static double median(long[] values) {
        long[] s = values.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    private static long[] concat(List<long[]> parts) {
        return parts.stream().flatMapToLong(Arrays::stream).toArray();
    }

    /** One build's loop, driven through ChainCpuTime.session loaded by that build's class loader. */
    private static final class Session {
        final IntFunction<long[][]> run;
        final Runnable close;

        @SuppressWarnings("unchecked")
        Session(Path build, boolean varied, boolean traced) throws Exception {
            ClassLoader loader = new BuildLoader(build.toUri().toURL());
            Object[] session;
            try {
                session = (Object[]) loader.loadClass(ChainCpuTime.class.getName())
                        .getMethod("session", boolean.class, boolean.class).invoke(null, varied, traced);
            } catch (InvocationTargetException e) {
                throw new IllegalStateException("could not start a loop of build " + build, e.getCause());
            }
            run = (IntFunction<long[][]>) session[0];
            close = (Runnable) session[1];
        }
    }

    /**
     * Defines the {@code dev.eventual.bench} classes from this class's own location and takes
     * every other class from the build (then the platform), so that the build's own copy of the
     * bench classes, if any, is never used.
     */
    private static final class BuildLoader extends URLClassLoader {
        BuildLoader(URL build) {
            super(new URL[] {build}, ClassLoader.getPlatformClassLoader());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null && name.startsWith("dev.eventual.bench.")) {
                    String resource = name.replace('.', '/') + ".class";
                    try (InputStream in = PairedCpuTime.class.getClassLoader().getResourceAsStream(resource)) {
                        if (in == null) {
                            throw new ClassNotFoundException(name);
                        }
                        byte[] bytes = in.readAllBytes();
                        c = defineClass(name, bytes, 0, bytes.length);
                    } catch (IOException e) {
                        throw new ClassNotFoundException(name, e);
                    }
                }
                if (c == null) {
                    return super.loadClass(name, resolve);
                }
                if (resolve) {
                    resolveClass(c);
                }
                return c;
            }
        }
    }
}
