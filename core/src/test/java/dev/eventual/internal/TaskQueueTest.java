package dev.eventual.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TaskQueueTest {

    @Test
    void emptyQueue_pollsNull_andSaysEmpty() {
        TaskQueue queue = new TaskQueue();
        assertThat(queue.isEmpty()).isTrue();
        assertThat(queue.poll()).isNull();
        assertThat(queue.pollSpinning()).isNull();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4, 1024})
    void oneProducer_itemsComeOutInOrder_acrossSegments(int segmentSize) {
        TaskQueue queue = new TaskQueue(segmentSize);
        for (int round = 0; round < 3; round++) { // refill after draining: segments keep advancing
            for (int i = 0; i < 5_000; i++) {
                queue.offer(i);
            }
            assertThat(queue.isEmpty()).isFalse();
            for (int i = 0; i < 5_000; i++) {
                assertThat(queue.poll()).isEqualTo(i);
            }
            assertThat(queue.isEmpty()).isTrue();
            assertThat(queue.poll()).isNull();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4})
    void hasReadable_saysWhetherPollWouldReturnAnItem_acrossSegments(int segmentSize) {
        TaskQueue queue = new TaskQueue(segmentSize);
        assertThat(queue.hasReadable()).isFalse();
        int next = 0;
        for (int round = 0; round < 20; round++) {
            int batch = round % 5; // 0 to 4 items: the head lands on every slot of a segment, and past it
            for (int i = 0; i < batch; i++) {
                queue.offer(round * 10 + i);
                assertThat(queue.hasReadable()).isTrue();
            }
            for (int i = 0; i < batch; i++) {
                assertThat(queue.hasReadable()).isTrue();
                assertThat(queue.poll()).isEqualTo(round * 10 + i);
                next++;
            }
            assertThat(queue.hasReadable()).isFalse();
            assertThat(queue.isEmpty()).isTrue();
        }
        assertThat(next).isEqualTo(40);
    }

    @Test
    void interleavedOfferAndPoll_atSegmentBoundaries_keepOrder() {
        TaskQueue queue = new TaskQueue(2);
        int next = 0;
        int expected = 0;
        for (int step = 0; step < 1_000; step++) {
            for (int k = 0; k < step % 5; k++) {
                queue.offer(next++);
            }
            for (int k = 0; k < step % 3; k++) {
                Object item = queue.poll();
                if (item == null) {
                    assertThat(expected).isEqualTo(next);
                    break;
                }
                assertThat(item).isEqualTo(expected++);
            }
        }
        Object item;
        while ((item = queue.poll()) != null) {
            assertThat(item).isEqualTo(expected++);
        }
        assertThat(expected).isEqualTo(next);
    }

    @Test
    void releaseTaken_clearsTakenSlotsOnly_soAnIdleQueueRetainsNothingThatRan() {
        TaskQueue queue = new TaskQueue(4);
        for (int i = 0; i < 7; i++) {
            queue.offer("item" + i);
        }
        for (int i = 0; i < 6; i++) {
            queue.poll();
        }
        queue.releaseTaken();
        // items 0-3 were in the first segment, dropped when the consumer moved on
        assertThat(queue.headSegment.id).isEqualTo(1);
        assertThat(queue.headSegment.slots).containsExactly(null, null, "item6", null);
        assertThat(queue.poll()).isEqualTo("item6");
        queue.releaseTaken();
        assertThat(queue.headSegment.slots).containsOnlyNulls();
        queue.offer("item7");
        queue.releaseTaken(); // nothing taken since: the untaken item stays
        assertThat(queue.headSegment.slots).containsExactly(null, null, null, "item7");
    }

    @Test
    void segmentSize_mustBeAPowerOfTwo() {
        assertThatThrownBy(() -> new TaskQueue(3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("segmentSize must be a power of two: 3");
        assertThatThrownBy(() -> new TaskQueue(0)).hasMessageContaining(": 0");
    }

    /**
     * Four producers race to append tiny segments while one consumer drains: nothing is lost or
     * duplicated, and each producer's items come out in the order it offered them.
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 4, 1024})
    void manyProducers_nothingLost_eachProducersOrderKept(int segmentSize) throws Exception {
        int producers = 4;
        int perProducer = 100_000;
        TaskQueue queue = new TaskQueue(segmentSize);
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int producer = p;
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < perProducer; i++) {
                    queue.offer(new long[] {producer, i});
                }
            }));
        }
        int[] nextOf = new int[producers];
        start.countDown();
        int taken = 0;
        while (taken < producers * perProducer) {
            Object item = queue.pollSpinning();
            if (item == null) {
                Thread.onSpinWait();
                continue;
            }
            long[] pair = (long[]) item;
            int producer = (int) pair[0];
            assertThat(pair[1]).as("producer %d's next item", producer).isEqualTo(nextOf[producer]);
            nextOf[producer]++;
            taken++;
        }
        for (Thread t : threads) {
            assertThat(t.join(java.time.Duration.ofSeconds(30))).isTrue();
        }
        assertThat(queue.isEmpty()).isTrue();
        assertThat(queue.poll()).isNull();
        assertThat(nextOf).containsOnly(perProducer);
    }
}
