package dev.eventual.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The microtask ring is replaced by a young array of the same length at the end of a drain once
 * enough microtasks ran through it (MicrotaskQueue's overview, "Renewal"), with nothing lost or
 * reordered, and never more often than that.
 */
class MicrotaskRenewalTest {
    private static final Runnable NOTHING = () -> {};

    @Test
    void ring_isRenewedAfterEnoughMicrotasks_keepingItsLengthAndTheOrder() {
        MicrotaskQueue queue = new MicrotaskQueue();
        List<Integer> ran = new ArrayList<>();
        int perDrain = 20; // fits the smallest ring: no grow, so only renewals make new rings
        long total = 3 * MicrotaskQueue.RENEW_AFTER + perDrain;
        int next = 0;
        while (next < total) {
            for (int i = 0; i < perDrain; i++) {
                int n = next++;
                queue.add((Runnable) () -> ran.add(n), null);
            }
            queue.drain(null);
        }
        assertThat(queue.renewals).as("renewals after %d microtasks", total).isEqualTo(3);
        assertThat(queue.capacity()).isEqualTo(64);
        assertThat(ran).hasSize(next);
        for (int i = 0; i < ran.size(); i++) {
            assertThat(ran.get(i)).as("microtask %d ran in order", i).isEqualTo(i);
        }
    }

    @Test
    void ring_isNotRenewedBeforeRenewLengthsOfItsLengthsRanThrough() {
        MicrotaskQueue queue = new MicrotaskQueue();
        int burst = (int) MicrotaskQueue.RENEW_AFTER; // grows the ring to 4 * burst slots
        for (int i = 0; i < burst; i++) {
            queue.add(NOTHING, null);
        }
        queue.drain(null);
        int length = queue.capacity();
        assertThat(length).isGreaterThan(2 * burst);
        long ranSinceGrow = burst;
        while (ranSinceGrow + burst < (long) MicrotaskQueue.RENEW_LENGTHS * length) {
            for (int i = 0; i < burst; i++) {
                queue.add(NOTHING, null);
            }
            queue.drain(null);
            ranSinceGrow += burst;
            assertThat(queue.renewals).as("renewals after %d microtasks on a ring of %d", ranSinceGrow, length).isZero();
        }
        for (int i = 0; i < burst; i++) {
            queue.add(NOTHING, null);
        }
        queue.drain(null);
        assertThat(queue.renewals).isEqualTo(1);
        assertThat(queue.capacity()).isEqualTo(length);
    }
}
