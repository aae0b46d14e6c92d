package dev.eventual.bench;

/**
 * The used heap after collection, for the footprint programs ({@link TimerFootprint},
 * {@link AwaitFootprint}): the smallest of five readings, each after {@code System.gc()} and a
 * pause, so that a collection still finishing or a late reference-processing pass does not count.
 */
final class UsedHeap {
    private UsedHeap() {}

    static long afterGc() throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(50);
            Runtime rt = Runtime.getRuntime();
            used = Math.min(used, rt.totalMemory() - rt.freeMemory());
        }
        return used;
    }
}
