package dev.eventual;

import static dev.eventual.Async.async;
import static dev.eventual.Async.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * EventLoop.describe(): what keeps a loop alive, read on the loop (exact) from the loop thread or
 * from another thread through the loop, approximate when the loop is busy, and short when closed.
 */
class DescribeTest {
    private static void waitFor(CountDownLatch latch) {
        try {
            assertThat(latch.await(10, TimeUnit.SECONDS)).as("bound against a hang").isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The async body of the test below: it waits here, at a line describe() must name. */
    private static Object awaitForever(Promise<Object> never) {
        return await(never);
    }

    @Test
    void fromAnotherThread_listsTimersKeepAlivesAndSuspendedBodies() {
        EventLoop loop = EventLoop.builder().name("described").start();
        try {
            CountDownLatch ready = new CountDownLatch(1);
            loop.execute(() -> {
                loop.setTimeout(() -> {}, 60_000);
                loop.setTimeout(() -> {}, 30_000).unref();
                loop.setInterval(() -> {}, 45_000);
                Promise<Object> never = loop.withResolvers().promise();
                async(() -> awaitForever(never));
                ready.countDown();
            });
            KeepAlive a = loop.keepAlive("upload of report.csv");
            KeepAlive b = loop.keepAlive("upload of report.csv");
            KeepAlive c = loop.keepAlive();
            loop.from(new CompletableFuture<String>() {
                @Override
                public String toString() {
                    return "the price service";
                }
            });
            waitFor(ready);

            String text = loop.describe();
            assertThat(text).startsWith("event loop 'described' (running; EventLoop.start: runs until closed)\n"
                    + "  now: between tasks (it ran this snapshot as a task of its own)\n"
                    + "  queued tasks: 0\n"
                    + "  pending timers: 3, 2 keeping the loop alive\n");
            assertThat(text).containsPattern("\n    timeout due in [23]\\d{4} ms \\(unref'd: does not keep the loop alive\\), calls a lambda in dev.eventual.DescribeTest\n"
                    + "    interval every 45000 ms, next due in 4\\d{4} ms, calls a lambda in dev.eventual.DescribeTest\n"
                    + "    timeout due in [56]\\d{4} ms, calls a lambda in dev.eventual.DescribeTest\n");
            assertThat(text).contains("  keep-alives (I/O and other work in flight): 4\n");
            assertThat(text).contains("\n    2 x upload of report.csv\n");
            assertThat(text).contains("\n    an unlabelled keepAlive()\n");
            assertThat(text).contains("\n    waiting for the price service\n");
            assertThat(text).contains("  async bodies not finished: 1\n"
                    + "    suspended in await at dev.eventual.DescribeTest.awaitForever(DescribeTest.java:");
            a.close();
            b.close();
            c.close();
            assertThat(loop.describe()).contains("  keep-alives (I/O and other work in flight): 1\n"
                    + "    waiting for the price service\n");
        } finally {
            loop.close();
        }
    }

    @Test
    void onTheLoopThread_readsDirectly() {
        AtomicReference<String> text = new AtomicReference<>();
        EventLoop.builder().name("self").run(() -> {
            Timeout timer = EventLoop.current().setTimeout(() -> {}, 60_000);
            text.set(EventLoop.current().describe());
            EventLoop.current().clearTimeout(timer);
        });
        assertThat(text.get()).startsWith("event loop 'self' (running; EventLoop.run: ends when none of the work below is left)\n"
                + "  now: running the callback or async body that called describe()\n"
                + "  queued tasks: 0\n"
                + "  pending timers: 1, 1 keeping the loop alive\n"
                + "    timeout due in ");
        assertThat(text.get()).endsWith("  keep-alives (I/O and other work in flight): 0\n  async bodies not finished: 0\n");
    }

    @Test
    void ofABusyLoop_isApproximateAndSaysWhatHoldsIt() {
        EventLoop loop = EventLoop.builder().name("busy").blockedThreshold(java.time.Duration.ZERO).start();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try {
            loop.execute(() -> {
                started.countDown();
                waitFor(release);
            });
            waitFor(started);
            loop.execute(() -> {});
            loop.setTimeout(() -> {}, 10_000); // from another thread: a bookkeeping task, then a timer
            String text = loop.describe();
            assertThat(text).isEqualTo("event loop 'busy' (running; EventLoop.start: runs until closed)"
                    + " (approximate: read without the loop's turn)\n"
                    + "  now: a task\n"
                    + "  queued tasks: about 3\n" // the task, the timer's bookkeeping, describe()'s own
                    + "  pending timers: about 0, 0 keeping the loop alive (the list needs the loop's turn)\n"
                    + "  keep-alives (I/O and other work in flight): 0\n"
                    + "  async bodies not finished: not readable without the loop's turn\n");
        } finally {
            release.countDown();
            loop.close();
        }
    }

    @Test
    void ofAClosedLoop_saysSo() {
        EventLoop loop = EventLoop.builder().name("gone").start();
        loop.close();
        assertThat(loop.describe()).isEqualTo("event loop 'gone' (closed)\n");
    }
}
