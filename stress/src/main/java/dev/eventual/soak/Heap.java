package dev.eventual.soak;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * Used heap after a full collection: the figure the soaks compare. {@code System.gc()} is a full,
 * synchronous collection with the JVM's defaults (no {@code -XX:+DisableExplicitGC}, which
 * {@code stress/soak} does not pass), and a weak reference whose referent it found unreachable
 * is already cleared when it returns; so the count of live weak references right after it is
 * exact, with no waiting for the reference handler.
 */
final class Heap {
    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();
    private static final double MB = 1024.0 * 1024.0;

    private Heap() {}

    /**
     * Collects until the used heap stops shrinking (at most five times: objects with finalizers
     * or cleaners may need a second cycle), then returns it in MB.
     */
    static double usedAfterGcMb() {
        long previous = Long.MAX_VALUE;
        long used = 0;
        for (int i = 0; i < 5; i++) {
            System.gc();
            used = MEMORY.getHeapMemoryUsage().getUsed();
            if (used >= previous - previous / 100) {
                break; // within 1 % of the last cycle: stable
            }
            previous = used;
        }
        return used / MB;
    }
}
