package dev.eventual.bench;

import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Compares two builds of the core in one JVM: loads {@link CpuRound} from each of two class paths
 * (each in its own class loader) and runs their rounds in turn, the order rotated every round, so
 * both builds see the same machine at the same moments. On a shared machine, whose speed changes
 * from one second to the next, separate runs of {@link ChainCpuTime} compare the phases they fell
 * in more than the builds; this compares the builds. Prints, per scenario, build and traces on or
 * off, the median and quartiles over the measured rounds (a first pass of as many rounds warms up).
 *
 * <p>Run: {@code java -Xms1g -Xmx1g -cp bench/target/classes dev.eventual.bench.CpuInterleaved
 * <class path A> <class path B> [rounds] [off-only]}, where each class path holds a build of the
 * core and {@code CpuRound} (a benchmarks.jar built with it; for an older jar, add a directory
 * with {@code CpuRound} compiled against it, separated by the path separator). With a fourth
 * argument only the traces-off rounds run: then neither build's traced code is ever compiled,
 * as in a program that never turns traces on. The slot a build is given matters a little (the
 * second was slower in the runs of BENCHMARKS.md): run both orders.
 */
public final class CpuInterleaved {
    private CpuInterleaved() {}

    public static void main(String[] args) throws Exception {
        Method[][] round = new Method[2][2];
        for (int b = 0; b < 2; b++) {
            String[] entries = args[b].split(java.io.File.pathSeparator);
            URL[] urls = new URL[entries.length];
            for (int i = 0; i < entries.length; i++) {
                urls[i] = Path.of(entries[i]).toUri().toURL();
            }
            Class<?> c = Class.forName("dev.eventual.bench.CpuRound", true,
                    new URLClassLoader(urls, ClassLoader.getPlatformClassLoader()));
            round[b][0] = c.getMethod("chain", boolean.class);
            round[b][1] = c.getMethod("resolveThen", boolean.class);
        }
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3_000;
        boolean offOnly = args.length > 3;
        long[][][][] ns = new long[2][2][2][rounds]; // build, scenario, traces on, round
        for (int pass = 0; pass < 2; pass++) { // the first pass warms up; the second is measured
            for (int r = 0; r < rounds; r++) {
                for (int k = 0; k < 8; k++) {
                    int v = (k + r) % 8;
                    int build = v & 1;
                    int scenario = (v >> 1) & 1;
                    int on = (v >> 2) & 1;
                    if (on == 1 && offOnly) {
                        continue;
                    }
                    ns[build][scenario][on][r] = (long) round[build][scenario].invoke(null, on == 1);
                }
            }
        }
        String[] scenarios = {"Chain n=1000 pending, ns per link", "ResolveThen batch 1000, ns per promise"};
        for (int scenario = 0; scenario < 2; scenario++) {
            for (int on = offOnly ? 0 : 1; on >= 0; on--) {
                for (int build = 0; build < 2; build++) {
                    long[] x = ns[build][scenario][on].clone();
                    Arrays.sort(x);
                    System.out.printf("%s, %s, traces %s: median %.1f (quartiles %.1f to %.1f)%n", scenarios[scenario],
                            build == 0 ? "A" : "B", on == 1 ? "on" : "off",
                            x[rounds / 2] / 1000.0, x[rounds / 4] / 1000.0, x[3 * rounds / 4] / 1000.0);
                }
            }
        }
    }
}
