package dev.eventual;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Hostile use, part 3: a callback that blocks its loop. The defined outcome (EventLoop javadoc,
 * "Threading"): everything else waits, nothing is lost. Work handed over meanwhile from other
 * threads (settles, tasks, timers) queues up and runs once the callback returns, in the order it
 * was handed over; {@code close()} from another thread waits for the blocking callback and its
 * microtasks, then rejects what is still pending. (Blocking on a promise of the loop's own
 * thread fails at once instead: BadInputTest, AsyncTest.)
 */
class HostileBlockingTest {
    private static final int N = 1_000;

    @Test
    void aCallbackThatBlocks_delaysButLosesNothing_workHandedOverMeanwhileRunsAfterItInOrder() throws Exception {
        List<String> log = new ArrayList<>(); // loop-confined
        CountDownLatch blocking = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch timerRan = new CountDownLatch(1);
        try (EventLoop loop = EventLoop.builder().name("blocked").daemon(true).start()) {
            List<Deferred<Integer>> deferreds = new ArrayList<>();
            for (int i = 0; i < N; i++) {
                deferreds.add(loop.withResolvers());
            }
            loop.execute(() -> {
                for (Deferred<Integer> d : deferreds) {
                    d.promise().thenAccept(v -> log.add("handler " + v));
                }
                loop.queueMicrotask(() -> log.add("microtask of the blocking task"));
                blocking.countDown();
                await(release); // hostile: holds the loop until the test thread lets go
                log.add("the blocking task returned");
            });
            await(blocking);
            // Handed over while the loop is blocked: settles, then tasks, then a timer.
            for (int i = 0; i < N; i++) {
                deferreds.get(i).resolve(i);
            }
            for (int i = 0; i < N; i++) {
                int index = i;
                loop.execute(() -> log.add("task " + index));
            }
            loop.setTimeout(timerRan::countDown, 1);
            release.countDown();

            assertThat(timerRan.await(10, SECONDS)).as("the timer set during the block fired").isTrue();
            List<String> seen = loop.submit(() -> List.copyOf(log)).toCompletableFuture().get(10, SECONDS);
            List<String> expected = new ArrayList<>();
            expected.add("the blocking task returned");
            expected.add("microtask of the blocking task");
            for (int i = 0; i < N; i++) {
                expected.add("handler " + i);
            }
            for (int i = 0; i < N; i++) {
                expected.add("task " + i);
            }
            assertThat(seen).containsExactlyElementsOf(expected);
        }
    }

    @Test
    @Timeout(60)
    void closeFromAnotherThreadWhileACallbackBlocks_waitsForItAndItsMicrotasks_thenRejectsWhatIsPending() throws Exception {
        EventLoop loop = EventLoop.builder().name("blocked-close").daemon(true).start();
        Deferred<String> pending = loop.withResolvers();
        CountDownLatch blocking = new CountDownLatch(1);
        AtomicBoolean microtaskRan = new AtomicBoolean();
        loop.execute(() -> {
            loop.queueMicrotask(() -> microtaskRan.set(true));
            blocking.countDown();
            // hostile: spins until the close request arrives, so close() is called mid-callback
            while (!loop.toString().contains("closing")) {
                Thread.onSpinWait();
            }
        });
        CompletableFuture<Boolean> microtaskRanWhenCloseReturned = new CompletableFuture<>();
        Thread closer = Thread.ofPlatform().name("closer").start(() -> {
            await(blocking);
            loop.close();
            microtaskRanWhenCloseReturned.complete(microtaskRan.get());
        });
        assertThat(microtaskRanWhenCloseReturned.get(10, SECONDS)).as("close() returned after the checkpoint").isTrue();
        closer.join();
        assertThat(loop.isClosed()).isTrue();
        assertThat(pending.promise().peek()).hasValueSatisfying(outcome -> assertThat(outcome)
                .isInstanceOfSatisfying(Settled.Rejected.class, r -> assertThat(r.reason()).isInstanceOf(EventLoopClosedException.class)));
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, SECONDS)) {
                throw new AssertionError("latch never opened");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
