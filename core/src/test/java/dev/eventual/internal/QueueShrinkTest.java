package dev.eventual.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventual.EventLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The microtask ring and the timer arrays shrink once a window passes in which they used under a
 * quarter of their capacity (with hysteresis: a load within a factor of two never resizes), and
 * let go of everything at close.
 */
class QueueShrinkTest {
    private static final Runnable NOTHING = () -> {};

    private static void burst(MicrotaskQueue queue, int n) {
        for (int i = 0; i < n; i++) {
            queue.add(NOTHING, null);
        }
        queue.drain(null);
    }

    @Test
    void microtaskRing_shrinksAfterAQuietWindow_notWhileTheLoadStays() {
        MicrotaskQueue queue = new MicrotaskQueue();
        burst(queue, 100_000);
        int grown = queue.capacity();
        assertThat(grown).isGreaterThanOrEqualTo(200_000);
        queue.trim(); // the window had the burst: kept
        assertThat(queue.capacity()).isEqualTo(grown);
        for (int window = 0; window < 5; window++) { // a steady load of the same size: never resized
            burst(queue, 100_000);
            queue.trim();
            assertThat(queue.capacity()).as("window %d", window).isEqualTo(grown);
        }
        burst(queue, 10);
        queue.trim(); // a quiet window: shrinks to more than twice its peak
        assertThat(queue.capacity()).isEqualTo(64);
        burst(queue, 20_000);
        int regrown = queue.capacity();
        burst(queue, 9_000); // a bit under half: above a quarter, kept
        queue.trim();
        assertThat(queue.capacity()).isEqualTo(regrown);
        burst(queue, 4_000); // under a quarter: shrinks, to a ring that holds twice it
        queue.trim();
        assertThat(queue.capacity()).isLessThan(regrown).isGreaterThan(2 * 2 * 4_000);
        List<Integer> ran = new ArrayList<>();
        for (int i = 0; i < 50_000; i++) { // still a working queue: order kept across grows
            int n = i;
            queue.add((Runnable) () -> ran.add(n), null);
        }
        queue.drain(null);
        assertThat(ran).hasSize(50_000).isSorted();
    }

    @Test
    void microtaskRing_clear_letsGoOfThePeakRing() {
        MicrotaskQueue queue = new MicrotaskQueue();
        for (int i = 0; i < 100_000; i++) {
            queue.add(NOTHING, null);
        }
        assertThat(queue.clear()).isEqualTo(100_000);
        assertThat(queue.capacity()).isEqualTo(64);
    }

    private static TimerTask timer() {
        return new TimerTask(null, NOTHING, 0); // the queue never touches the loop
    }

    @Test
    void timerArrays_shrinkAfterAQuietWindow_keepingThePendingTimersInOrder() {
        TimerQueue queue = new TimerQueue();
        List<TimerTask> all = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            TimerTask t = timer();
            all.add(t);
            queue.add(t, 1_000 + i);
        }
        int grown = queue.capacity();
        for (int i = 0; i < 99_000; i++) { // most fire
            assertThat(queue.pollDue(1_000 + i)).isSameAs(all.get(i));
        }
        queue.trim(); // the window had 100,000: kept
        assertThat(queue.capacity()).isEqualTo(grown);
        queue.trim(); // a window with 1,000 at most: shrinks to more than twice that
        assertThat(queue.capacity()).isLessThan(grown).isGreaterThan(2_000).isLessThanOrEqualTo(4_096);
        for (int i = 99_000; i < 100_000; i++) {
            assertThat(queue.pollDue(1_000_000)).isSameAs(all.get(i));
        }
        assertThat(queue.size()).isZero();
    }

    @Test
    void timerArrays_steadyLoad_neverResizes() {
        TimerQueue queue = new TimerQueue();
        long now = 0;
        for (int i = 0; i < 10_000; i++) {
            queue.add(timer(), now + 10);
        }
        int capacity = queue.capacity();
        for (int window = 0; window < 10; window++) { // 6,000 to 10,000 pending at every trim
            for (int k = 0; k < 4_000; k++) {
                queue.pollDue(Long.MAX_VALUE);
            }
            queue.trim();
            assertThat(queue.capacity()).as("window %d", window).isEqualTo(capacity);
            for (int k = 0; k < 4_000; k++) {
                queue.add(timer(), ++now + 10);
            }
        }
    }

    @Test
    void timerArrays_clear_letsGoOfThePeakArrays() {
        TimerQueue queue = new TimerQueue();
        for (int i = 0; i < 100_000; i++) {
            queue.add(timer(), i);
        }
        queue.clear();
        assertThat(queue.capacity()).isEqualTo(16);
    }

    @Test
    void idleLoop_letsGoOfABurstsArrays_withinAFewWindows() throws Exception {
        EventLoopImpl loop = EventLoopImpl.startOnNewThread(new LoopConfig());
        try {
            loop.submit(() -> {
                for (int i = 0; i < 200_000; i++) {
                    loop.queueMicrotask(NOTHING);
                    loop.setTimeout(NOTHING, 60_000).cancel();
                }
                return null;
            }).toCompletableFuture().get(30, TimeUnit.SECONDS);
            int[] capacities = loop.submit(() -> new int[] {loop.microtasks.capacity(), loop.timers.capacity()})
                    .toCompletableFuture().get(30, TimeUnit.SECONDS);
            assertThat(capacities[0]).as("microtask ring after the burst").isGreaterThanOrEqualTo(400_000);
            // Nothing else is posted: the idle loop wakes at the end of its trim windows by itself.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30); // liveness bound only
            int[] now;
            do {
                Thread.sleep(100);
                now = capacitiesOf(loop);
            } while ((now[0] > 64 || now[1] > 16) && System.nanoTime() < deadline);
            assertThat(System.nanoTime() < deadline).as("the idle loop shrank its queues by itself").isTrue();
            int[] exact = loop.submit(() -> new int[] {loop.microtasks.capacity(), loop.timers.capacity()})
                    .toCompletableFuture().get(30, TimeUnit.SECONDS);
            assertThat(exact).as("microtask ring and timer arrays once the loop was idle").containsExactly(64, 16);
        } finally {
            loop.close();
        }
    }

    /** Reads the capacities without posting a task (a task would end the idle wait being tested). */
    private static int[] capacitiesOf(EventLoopImpl loop) {
        return new int[] {loop.microtasks.capacity(), loop.timers.capacity()}; // racy reads: a hint, re-read until settled
    }
}
