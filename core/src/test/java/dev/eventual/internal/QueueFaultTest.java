package dev.eventual.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * An error (OutOfMemoryError, StackOverflowError) that lands inside the queues' own bookkeeping
 * leaves them consistent: the failing add or offer throws it and queues nothing, and every item
 * queued before or after comes out, in order, once. Errors are injected through the queues' test
 * hooks at the points where they can arise: a microtask ring's grow, a task queue producer's
 * window between its claim and its write.
 */
class QueueFaultTest {

    @Test
    void microtaskAdd_whoseGrowFails_leavesTheQueueAsItWas() {
        MicrotaskQueue queue = new MicrotaskQueue();
        List<Integer> ran = new ArrayList<>();
        OutOfMemoryError injected = new OutOfMemoryError("injected into grow");
        queue.growHookForTest = () -> { throw injected; };
        int added = 0;
        Throwable thrown = null;
        for (int i = 0; i < 10_000 && thrown == null; i++) {
            int n = i;
            try {
                queue.add((Runnable) () -> ran.add(n), null);
                added++;
            } catch (OutOfMemoryError e) {
                thrown = e;
            }
        }
        assertThat(thrown).as("the add that had to grow").isSameAs(injected);
        assertThat(queue.size()).as("microtasks still queued after the failed add").isEqualTo(added);
        queue.growHookForTest = null;
        int last = added;
        queue.add((Runnable) () -> ran.add(last), null); // grows now
        queue.drain(null); // no task throws: the loop is not needed
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i <= added; i++) {
            expected.add(i);
        }
        assertThat(ran).as("what ran: every microtask queued, once, in order").isEqualTo(expected);
        assertThat(queue.isEmpty()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4, 5})
    void offerFailingBetweenClaimAndWrite_leavesNoHole(int failing) throws Exception {
        TaskQueue queue = new TaskQueue(2); // segment boundaries at 2 and 4
        StackOverflowError injected = new StackOverflowError("injected after the claim");
        List<Object> expected = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            if (i == failing) {
                int n = i;
                assertThatThrownBy(() -> queue.offer("item " + n, () -> { throw injected; }))
                        .as("offer %d", i).isSameAs(injected);
            } else {
                queue.offer("item " + i);
                expected.add("item " + i);
            }
        }
        // On another thread with a bound, so that a hole (a claim never written) fails the test
        // instead of hanging it: pollSpinning waits for a claimed slot to be written.
        List<Object> got = CompletableFuture.supplyAsync(() -> {
            List<Object> items = new ArrayList<>();
            Object item;
            while ((item = queue.pollSpinning()) != null) {
                items.add(item);
            }
            return items;
        }).get(10, TimeUnit.SECONDS);
        assertThat(got).as("items polled").isEqualTo(expected);
        assertThat(queue.isEmpty()).isTrue();
        assertThat(queue.hasReadable()).isFalse();
    }

    @Test
    void offerWhoseSegmentCannotBeAllocated_isPassedOnceTheConsumerAppendsIt() throws Exception {
        TaskQueue queue = new TaskQueue(2);
        queue.offer("item 0");
        queue.offer("item 1");
        OutOfMemoryError injected = new OutOfMemoryError("injected into the segment append");
        Thread[] producer = new Thread[1];
        // Every append by the producer fails, as with a heap that has no 2 free slots for it; the
        // consumer's append (another thread) succeeds.
        CountDownLatch claimed = new CountDownLatch(1);
        queue.appendHookForTest = () -> {
            if (Thread.currentThread() == producer[0]) {
                claimed.countDown();
                throw injected;
            }
        };
        CompletableFuture<Throwable> offered = new CompletableFuture<>();
        producer[0] = Thread.ofPlatform().unstarted(() -> {
            try {
                queue.offer("item 2"); // index 2: the first of segment 1, which it must append
                offered.complete(null);
            } catch (Throwable e) {
                offered.complete(e);
            }
        });
        producer[0].start();
        assertThat(claimed.await(10, TimeUnit.SECONDS)).as("the producer claimed its index").isTrue();
        List<Object> got = CompletableFuture.supplyAsync(() -> {
            List<Object> items = new ArrayList<>();
            Object item;
            while ((item = queue.pollSpinning()) != null) {
                items.add(item);
            }
            return items;
        }).get(10, TimeUnit.SECONDS);
        assertThat(offered.get(10, TimeUnit.SECONDS)).as("what the failed offer threw").isSameAs(injected);
        assertThat(got).as("items polled past the failed one").containsExactly("item 0", "item 1");
        queue.appendHookForTest = null;
        queue.offer("item 3");
        assertThat(queue.pollSpinning()).isEqualTo("item 3");
        assertThat(queue.isEmpty()).isTrue();
    }
}
