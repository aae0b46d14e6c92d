package dev.eventual.io.file;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The file slots: at most the limit taken, the rest in arrival order, a job that leaves the line
 * never starts, and under contention (threads entering, leaving and releasing at once) every job
 * either starts once or leaves, and the slots all come back.
 */
class FileSlotsTest {
    @Test
    void jobsBeyondTheLimit_waitInArrivalOrder_andAJobThatLeft_neverStarts() throws Exception {
        FileSlots slots = new FileSlots(2);
        ConcurrentLinkedQueue<String> started = new ConcurrentLinkedQueue<>();
        CountDownLatch cStarted = new CountDownLatch(1);
        CountDownLatch eStarted = new CountDownLatch(1);
        Runnable a = () -> started.add("a");
        Runnable b = () -> started.add("b");
        Runnable c = () -> { started.add("c"); cStarted.countDown(); };
        Runnable d = () -> started.add("d");
        Runnable e = () -> { started.add("e"); eStarted.countDown(); };
        assertThat(slots.enter(a)).isTrue();
        assertThat(slots.enter(b)).isTrue();
        assertThat(slots.enter(c)).isFalse();
        assertThat(slots.enter(d)).isFalse();
        assertThat(slots.enter(e)).isFalse();
        assertThat(slots.leave(d)).isTrue();
        assertThat(slots.leave(d)).isFalse();
        // A job a release hands its slot to starts on a file thread: wait for each before the next
        // release, or two started jobs could record themselves in either order.
        slots.release(); // to c, the first in line
        assertThat(cStarted.await(20, TimeUnit.SECONDS)).isTrue();
        assertThat(started).containsExactly("c");
        slots.release(); // to e (d left the line)
        assertThat(eStarted.await(20, TimeUnit.SECONDS)).isTrue();
        assertThat(started).containsExactly("c", "e");
        assertThat(slots.taken()).isEqualTo(2);
        slots.release();
        slots.release();
        assertThat(slots.taken()).isZero();
    }

    @Test
    void underContention_everyJobStartsOnceOrLeaves_neverMoreThanTheLimitRun_andAllSlotsComeBack() throws Exception {
        int limit = 4;
        int threads = 4;
        int perThread = 5000;
        FileSlots slots = new FileSlots(limit);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostRunning = new AtomicInteger();
        AtomicInteger startedTwice = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        CountDownLatch all = new CountDownLatch(threads * perThread);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            workers.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < perThread; i++) {
                    AtomicInteger starts = new AtomicInteger();
                    Runnable job = () -> {
                        if (starts.incrementAndGet() > 1) {
                            startedTwice.incrementAndGet();
                        }
                        mostRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
                        running.decrementAndGet();
                        done.incrementAndGet();
                        slots.release(); // before counting down: the slots are all back when the count is
                        all.countDown();
                    };
                    if (slots.enter(job)) {
                        FileThreads.executor().execute(job);
                    } else if (ThreadLocalRandom.current().nextInt(3) == 0 && slots.leave(job)) {
                        all.countDown(); // left the line: never starts
                    }
                }
            }));
        }
        for (Thread w : workers) {
            w.join();
        }
        assertThat(all.await(60, TimeUnit.SECONDS)).as("every job started or left").isTrue();
        assertThat(startedTwice.get()).isZero();
        assertThat(mostRunning.get()).isLessThanOrEqualTo(limit);
        assertThat(slots.taken()).isZero();
        assertThat(done.get()).isGreaterThan(0);
    }
}
