package dev.eventual.bench;

import static dev.eventual.Async.async;
import static dev.eventual.Async.await;

import dev.eventual.EventLoop;
import dev.eventual.Promise;
import java.lang.management.ManagementFactory;
import java.time.Duration;

/**
 * What awaiting something slow costs in CPU time: {@code bodies} async bodies on one loop (run
 * by {@code EventLoop.run} on the main thread, as a program's would be), each awaiting its own
 * {@code Promise.delay(millis)} {@code awaits} times in a row. The program is idle but for the
 * bodies' hand-offs and the timers, so the process's CPU time over a round (all threads: the
 * loop, the JVM's virtual-thread carriers, the JIT and the GC) is what the hand-off costs while
 * the bodies wait; a body that spins or yields before it parks would show here. Repeated, after
 * two warm-up rounds; prints each round's wall time and process CPU time, then the medians and
 * the CPU time per await.
 *
 * <p>Run: {@code java -Xms512m -Xmx512m [--add-opens java.base/java.lang=ALL-UNNAMED] -cp
 * bench/target/benchmarks.jar dev.eventual.bench.AwaitIdleCost [bodies] [awaits] [millis]
 * [rounds]} (defaults 10000 5 20 5) after {@code mvn -B -q -pl bench -am package
 * -Dmaven.test.skip=true}.
 */
public final class AwaitIdleCost {
    private AwaitIdleCost() {}

    public static void main(String[] args) {
        int bodies = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int awaits = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Duration delay = Duration.ofMillis(args.length > 2 ? Long.parseLong(args[2]) : 20);
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long[] wall = new long[rounds];
        long[] cpu = new long[rounds];
        for (int r = -2; r < rounds; r++) { // two warm-up rounds
            int[] ended = new int[1];
            long cpu0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            EventLoop.run(() -> {
                for (int b = 0; b < bodies; b++) {
                    async(() -> {
                        for (int i = 0; i < awaits; i++) {
                            await(Promise.delay(delay));
                        }
                        ended[0]++; // with the loop's turn
                    });
                }
            });
            long tookWall = System.nanoTime() - t0;
            long tookCpu = os.getProcessCpuTime() - cpu0;
            if (ended[0] != bodies) {
                throw new IllegalStateException(ended[0] + " of " + bodies + " bodies ended");
            }
            System.out.printf("round %d: wall %d ms, process cpu %d ms%n", r, tookWall / 1_000_000, tookCpu / 1_000_000);
            if (r >= 0) {
                wall[r] = tookWall;
                cpu[r] = tookCpu;
            }
        }
        java.util.Arrays.sort(wall);
        java.util.Arrays.sort(cpu);
        long medianCpu = cpu[rounds / 2];
        System.out.printf("bodies %d awaits %d delay_ms %d: median wall_ms %d, median cpu_ms %d (min %d, max %d),"
                        + " cpu_us_per_await %.2f%n",
                bodies, awaits, delay.toMillis(), wall[rounds / 2] / 1_000_000, medianCpu / 1_000_000,
                cpu[0] / 1_000_000, cpu[rounds - 1] / 1_000_000, medianCpu / 1_000.0 / ((long) bodies * awaits));
    }
}
