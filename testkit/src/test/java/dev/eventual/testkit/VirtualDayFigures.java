package dev.eventual.testkit;

import java.util.List;

/**
 * Measures {@link VirtualDay} (86,400 one-second intervals, a retry with exponential backoff over
 * 24 h, 10,000 random timeouts): the wall time and the running thread's CPU time of each of
 * {@code runs} consecutive runs in one JVM, and whether every run's log equals the first. Not a test: a program, run as the README's
 * "Testing your code" section says, whose figures go there.
 */
public final class VirtualDayFigures {
    private VirtualDayFigures() {}

    /**
     * Runs the day.
     *
     * @param args the number of runs (default 100)
     */
    public static void main(String[] args) {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        List<String> first = null;
        int different = 0;
        long[] millis = new long[runs];
        long[] cpuMillis = new long[runs];
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            long cpuStart = threads.getCurrentThreadCpuTime();
            List<String> log = VirtualDay.run(86_400, 10_000, 42);
            millis[i] = (System.nanoTime() - start) / 1_000_000;
            cpuMillis[i] = (threads.getCurrentThreadCpuTime() - cpuStart) / 1_000_000;
            if (first == null) {
                first = log;
            } else if (!first.equals(log)) {
                different++;
            }
        }
        long[] sorted = millis.clone();
        java.util.Arrays.sort(sorted);
        System.out.printf("runs=%d log lines=%d runs whose log differs from the first=%d%n", runs, first.size(), different);
        System.out.printf("wall ms per run: first=%d min=%d median=%d max=%d%n", millis[0], sorted[0],
                sorted[runs / 2], sorted[runs - 1]);
        long[] cpuSorted = cpuMillis.clone();
        java.util.Arrays.sort(cpuSorted);
        System.out.printf("cpu ms of the running thread per run: first=%d min=%d median=%d max=%d%n", cpuMillis[0],
                cpuSorted[0], cpuSorted[runs / 2], cpuSorted[runs - 1]);
    }
}
