package dev.eventual.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * {@link TimerQueue} on its own, driven as the loop drives it: the loop's part of a cancel is
 * {@code queue.cancel(t)} plus dropping the callback, as {@code TimerTask.drop} does. Randomized
 * schedules are checked step by step against a sorted set of the live timers.
 */
class TimerQueueTest {
    private static final Runnable NOTHING = () -> {};

    private static TimerTask timer() {
        return new TimerTask(null, NOTHING, 0); // the queue never touches the loop
    }

    private static void cancel(TimerQueue queue, TimerTask t) {
        queue.cancel(t);
        t.callback = null;
    }

    private static List<TimerTask> pollAll(TimerQueue queue, long now) {
        List<TimerTask> fired = new ArrayList<>();
        TimerTask t;
        while ((t = (TimerTask) queue.pollDue(now)) != null) {
            fired.add(t);
        }
        return fired;
    }

    @Test
    void pollDue_returnsTimersByDeadline_andEqualDeadlinesInInsertionOrder() {
        TimerQueue queue = new TimerQueue();
        TimerTask late = timer();
        TimerTask first = timer();
        TimerTask second = timer();
        TimerTask third = timer();
        queue.add(late, 20);
        queue.add(first, 10);
        queue.add(second, 10);
        queue.add(third, 10);

        assertThat((TimerTask) queue.pollDue(9)).isNull();
        assertThat(pollAll(queue, 10)).containsExactly(first, second, third);
        assertThat(queue.nextDeadline()).isEqualTo(20);
        assertThat(pollAll(queue, 100)).containsExactly(late);
        assertThat(queue.size()).isZero();
    }

    @Test
    void cancel_ofTheHead_isSkipped_byNextDeadlineAndPollDue() {
        TimerQueue queue = new TimerQueue();
        TimerTask head = timer();
        TimerTask next = timer();
        TimerTask last = timer();
        queue.add(head, 1);
        queue.add(next, 2);
        queue.add(last, 3);

        cancel(queue, head);

        assertThat(queue.size()).isEqualTo(2);
        assertThat(queue.nextDeadline()).isEqualTo(2);
        assertThat(pollAll(queue, 10)).containsExactly(next, last);
        assertThat(queue.slots()).isZero();
    }

    @Test
    void cancel_ofEverything_leavesNoSlot_andNoCountedTimer() {
        TimerQueue queue = new TimerQueue();
        List<TimerTask> timers = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            TimerTask t = timer();
            queue.add(t, i % 7);
            timers.add(t);
        }
        for (TimerTask t : timers) {
            cancel(queue, t);
        }

        assertThat(queue.size()).isZero();
        assertThat(queue.slots()).isZero();
        assertThat(queue.referencedCount()).isZero();
        assertThat(timers).allSatisfy(t -> assertThat(t.callback).isNull());
        assertThat((TimerTask) queue.pollDue(Long.MAX_VALUE)).isNull();
    }

    @Test
    void cancel_compacts_onlyWhenDeadSlotsOutnumberLiveTimers() {
        TimerQueue queue = new TimerQueue();
        TimerTask[] timers = new TimerTask[4];
        for (int i = 0; i < 4; i++) {
            timers[i] = timer();
            queue.add(timers[i], 10 + i);
        }

        cancel(queue, timers[1]);
        cancel(queue, timers[2]); // 2 dead, 2 live: kept
        assertThat(queue.slots()).isEqualTo(4);
        assertThat(queue.size()).isEqualTo(2);

        cancel(queue, timers[3]); // 3 dead, 1 live: compacted
        assertThat(queue.slots()).isEqualTo(1);
        assertThat(queue.size()).isEqualTo(1);
        assertThat(pollAll(queue, 100)).containsExactly(timers[0]);
    }

    @Test
    void cancel_isIdempotent_andIgnoresATimerNoLongerQueued() {
        TimerQueue queue = new TimerQueue();
        TimerTask polled = timer();
        TimerTask other = timer();
        queue.add(polled, 1);
        queue.add(other, 2);
        assertThat((TimerTask) queue.pollDue(1)).isSameAs(polled);

        cancel(queue, polled); // an interval cancelled from its own callback
        cancel(queue, other);
        cancel(queue, other);

        assertThat(queue.size()).isZero();
        assertThat(queue.referencedCount()).isZero();
        assertThat(queue.slots()).isZero();
    }

    @Test
    void setReferenced_ofACancelledTimer_changesNoCount_andAnOutOfQueueTimerCountsWhenAdded() {
        TimerQueue queue = new TimerQueue();
        TimerTask cancelled = timer();
        TimerTask live = timer();
        TimerTask keepsItFromCompacting = timer();
        queue.add(cancelled, 5);
        queue.add(live, 6);
        queue.add(keepsItFromCompacting, 7);
        cancel(queue, cancelled);
        assertThat(queue.referencedCount()).isEqualTo(2);

        queue.setReferenced(cancelled, false);
        queue.setReferenced(cancelled, true);
        assertThat(queue.referencedCount()).isEqualTo(2);

        queue.setReferenced(live, false);
        queue.setReferenced(live, false);
        assertThat(queue.referencedCount()).isEqualTo(1);

        TimerTask interval = (TimerTask) queue.pollDue(6);
        assertThat(interval).isSameAs(live);
        queue.setReferenced(interval, true); // ref() from its callback, while out of the queue
        assertThat(queue.referencedCount()).isEqualTo(1);
        queue.add(interval, 20);
        assertThat(queue.referencedCount()).isEqualTo(2);
    }

    @Test
    void clear_dropsEveryCallback_andReturnsTheLiveCount() {
        TimerQueue queue = new TimerQueue();
        TimerTask a = timer();
        TimerTask b = timer();
        TimerTask c = timer();
        queue.add(a, 1);
        queue.add(b, 2);
        queue.add(c, 3);
        cancel(queue, b);

        assertThat(queue.clear()).isEqualTo(2);
        assertThat(List.of(a, b, c)).allSatisfy(t -> {
            assertThat(t.callback).isNull();
            assertThat(t.index).isEqualTo(-1);
        });
        assertThat(queue.size()).isZero();
        assertThat(queue.referencedCount()).isZero();
    }

    @Test
    void pollDue_ordersTimersAddedSinceTheLastLook_whetherFewOrMany() {
        for (int added : new int[] {3, 500}) {
            TimerQueue queue = new TimerQueue();
            List<TimerTask> expected = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                TimerTask t = timer();
                queue.add(t, 1000 - 10 * i); // descending: every one belongs above the last
                expected.add(0, t);
            }
            assertThat(queue.nextDeadline()).isEqualTo(10);
            TimerTask first = timer();
            queue.add(first, 5);
            for (int i = 0; i < added; i++) { // few: sifted up one by one; many: heap rebuilt
                TimerTask t = timer();
                queue.add(t, 2000 - i);
                expected.add(100, t);
            }
            expected.add(0, first);

            assertThat(pollAll(queue, Long.MAX_VALUE)).as("%d added", added).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void cancel_letsGoOfTheTask_atOnce() throws ReflectiveOperationException {
        TimerQueue queue = new TimerQueue();
        TimerTask kept = timer();
        TimerTask cancelled = timer();
        TimerTask other = timer();
        queue.add(kept, 1);
        queue.add(cancelled, 2);
        queue.add(other, 3);

        cancel(queue, cancelled); // 1 dead, 2 live: no compaction

        var field = TimerQueue.class.getDeclaredField("tasks");
        field.setAccessible(true);
        assertThat((TimerEntry[]) field.get(queue)).contains(kept, other).doesNotContain(cancelled);
        assertThat(queue.slots()).isEqualTo(3);
        assertThat(cancelled.index).isEqualTo(-1);
    }

    @Test
    void seqRenumbering_keepsInsertionOrderAmongEqualDeadlines() {
        TimerQueue queue = new TimerQueue(3);
        List<TimerTask> expected = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            TimerTask t = timer();
            queue.add(t, 100);
            expected.add(t);
            if (i % 4 == 1) {
                cancel(queue, expected.remove(expected.size() - 2));
            }
        }
        assertThat(pollAll(queue, 100)).containsExactlyElementsOf(expected);
    }

    @Test
    void randomSchedules_matchASortedReference() {
        for (long seed = 1; seed <= 200; seed++) {
            int seqLimit = seed % 4 == 0 ? 5 + (int) (seed % 50) : Integer.MAX_VALUE;
            try {
                runRandomSchedule(seed, seqLimit);
            } catch (AssertionError e) {
                throw new AssertionError("seed " + seed + ", seqLimit " + seqLimit + ": " + e.getMessage(), e);
            }
        }
    }

    /** One pending timer in the reference: ordered by (deadline, order of its add). */
    private record Entry(TimerTask task, long deadline, long order) {}

    private static void runRandomSchedule(long seed, int seqLimit) {
        Random random = new Random(seed);
        TimerQueue queue = new TimerQueue(seqLimit);
        TreeSet<Entry> model = new TreeSet<>(
                Comparator.comparingLong(Entry::deadline).thenComparingLong(Entry::order));
        List<Entry> byTask = new ArrayList<>(); // every entry ever added, to pick cancel targets
        List<TimerTask> everAdded = new ArrayList<>();
        long now = 0;
        long order = 0;
        int steps = 200 + random.nextInt(2000);
        int deadlineSpread = 1 + random.nextInt(40); // small spreads give many equal deadlines
        for (int step = 0; step < steps; step++) {
            int op = random.nextInt(100);
            if (op < 45) {
                TimerTask t = timer();
                if (random.nextInt(4) == 0) {
                    queue.setReferenced(t, false);
                }
                long deadline = now + random.nextInt(deadlineSpread);
                queue.add(t, deadline);
                Entry e = new Entry(t, deadline, order++);
                model.add(e);
                byTask.add(e);
                everAdded.add(t);
            } else if (op < 80 && !byTask.isEmpty()) {
                Entry e = byTask.get(random.nextInt(byTask.size())); // maybe fired or cancelled already
                cancel(queue, e.task());
                model.remove(e);
            } else if (op < 90 && !everAdded.isEmpty()) {
                TimerTask t = everAdded.get(random.nextInt(everAdded.size()));
                queue.setReferenced(t, random.nextBoolean());
            } else {
                now += random.nextInt(deadlineSpread / 2 + 1);
                List<TimerTask> fired = pollAll(queue, now);
                List<TimerTask> expected = new ArrayList<>();
                while (!model.isEmpty() && model.first().deadline() <= now) {
                    expected.add(model.pollFirst().task());
                }
                assertThat(fired).as("fired at %d", now).containsExactlyElementsOf(expected);
            }
            assertThat(queue.size()).as("size at step %d", step).isEqualTo(model.size());
            long referenced = model.stream().filter(e -> e.task().referenced).count();
            assertThat(queue.referencedCount()).as("referenced at step %d", step).isEqualTo(referenced);
            assertThat(queue.slots()).as("slots at step %d", step).isLessThanOrEqualTo(2 * model.size());
            if (!model.isEmpty()) {
                assertThat(queue.nextDeadline()).as("next deadline at step %d", step)
                        .isEqualTo(model.first().deadline());
            }
        }
        List<TimerTask> rest = pollAll(queue, Long.MAX_VALUE);
        assertThat(rest).containsExactlyElementsOf(model.stream().map(Entry::task).toList());
        assertThat(queue.slots()).isZero();
    }
}
