package dev.eventual;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The line a loop prints when it closes with work not run ("closed with N task(s), N timer(s)
 * and N microtask(s) not run") counts only user work that was dropped: not a timer cancelled
 * (from any thread) before the close, not an unref'd timer (Node says nothing about those), not
 * the loop's own bookkeeping tasks.
 */
class CloseReportTest {

    /** Runs {@code action} and returns what it printed on System.err. */
    private static String stderrOf(Runnable action) {
        PrintStream original = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(original);
        }
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void timerCancelledFromAnotherThread_isNotReportedAtClose() {
        String err = stderrOf(() -> {
            for (int i = 0; i < 20; i++) {
                EventLoop loop = EventLoop.start("close-report");
                Timeout timer = loop.setTimeout(() -> {}, 60_000);
                timer.cancel();
                assertThat(timer.isActive()).isFalse();
                loop.close();
            }
        });
        assertThat(err).as("what 20 loops printed at close").doesNotContain("closed with");
    }

    @Test
    void unrefdTimerThatNeverFired_isNotReportedAtTheEndOfRun() {
        String err = stderrOf(() -> EventLoop.run(() -> EventLoop.current().setTimeout(() -> {}, 60_000).unref()));
        assertThat(err).as("what run printed").doesNotContain("closed with");
    }

    @Test
    void unrefdTimerOfAStartedLoop_isNotReportedAtClose() {
        String err = stderrOf(() -> {
            EventLoop loop = EventLoop.start("close-report");
            loop.setTimeout(() -> {}, 60_000).unref();
            loop.close();
        });
        assertThat(err).as("what close printed").doesNotContain("closed with");
    }

    @Test
    void activeTimerAndQueuedTask_areReportedAtClose() throws InterruptedException {
        CountDownLatch queued = new CountDownLatch(1);
        String err = stderrOf(() -> {
            EventLoop loop = EventLoop.start("close-report");
            loop.setTimeout(() -> {}, 60_000); // live, referenced: dropped work
            loop.setTimeout(() -> {}, 60_000).unref(); // not counted
            loop.setTimeout(() -> {}, 60_000).cancel(); // not counted
            loop.execute(() -> {
                try {
                    assertThat(queued.await(10, TimeUnit.SECONDS)).as("the second task was queued").isTrue();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                loop.close(); // the task queued behind this one never runs
            });
            loop.execute(() -> {});
            queued.countDown();
            loop.terminationFuture().join(); // the first task closes the loop
        });
        assertThat(err).contains("closed with 1 task(s), 1 timer(s) and 0 microtask(s) not run");
    }
}
