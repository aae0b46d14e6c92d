package dev.eventual;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The blocked-loop watchdog and close(Duration): a unit of work that holds a loop past its
 * threshold is reported once with the stack of the thread holding it, and its end with the
 * total; a loop that runs many short tasks is never reported; a close that cannot finish in time
 * returns false and says what holds the loop. Messages are read from the dev.eventual logger
 * through a java.util.logging handler (see LoggerRoutingTest).
 */
class WatchdogTest {
    private final Logger jul = Logger.getLogger("dev.eventual");
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            records.add(record);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };
    private boolean parents;

    @BeforeEach
    void route() {
        parents = jul.getUseParentHandlers();
        jul.addHandler(capture);
        jul.setUseParentHandlers(false);
    }

    @AfterEach
    void unroute() {
        jul.removeHandler(capture);
        jul.setUseParentHandlers(parents);
    }

    private List<LogRecord> of(String loopName) {
        return records.stream().filter(r -> r.getMessage().contains("event loop '" + loopName + "'")).toList();
    }

    /** Waits (bound only against a hang) until {@code loopName} has {@code count} records. */
    private List<LogRecord> awaitRecords(String loopName, int count) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (of(loopName).size() < count && System.nanoTime() < end) {
            Thread.sleep(10);
        }
        return of(loopName);
    }

    private static void holdTheLoopForTwoSeconds() {
        try {
            Thread.sleep(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean inStack(Throwable t, String method) {
        return t != null && Arrays.stream(t.getStackTrace()).anyMatch(f -> f.getMethodName().equals(method));
    }

    @Test
    void callbackSleepingTwoSeconds_isReportedOnceWithItsMethod_thenItsTotal() throws InterruptedException {
        EventLoop.builder().name("sleepy").blockedThreshold(Duration.ofMillis(200))
                .run(() -> EventLoop.current().setTimeout(WatchdogTest::holdTheLoopForTwoSeconds, 0));

        List<LogRecord> got = awaitRecords("sleepy", 2);
        assertThat(got).as("reports for loop 'sleepy'").hasSize(2);
        LogRecord blocked = got.get(0);
        assertThat(blocked.getLevel()).isEqualTo(Level.WARNING);
        assertThat(blocked.getMessage()).startsWith("[eventual] event loop 'sleepy' is blocked: a timer callback has held it for at least ")
                .contains("(threshold 200 ms)");
        assertThat(inStack(blocked.getThrown(), "holdTheLoopForTwoSeconds"))
                .as("the callback's method in the reported stack:%n%s", Arrays.toString(blocked.getThrown().getStackTrace()))
                .isTrue();
        LogRecord ended = got.get(1);
        assertThat(ended.getLevel()).isEqualTo(Level.INFO);
        assertThat(ended.getMessage()).startsWith("[eventual] event loop 'sleepy' is no longer blocked: a timer callback held it for about ");
        long total = Long.parseLong(ended.getMessage().replaceAll(".* about (\\d+) ms in all", "$1"));
        // The watchdog sees the start and the end each within one period (50 ms here) of the truth,
        // so never less than the sleep minus a period; more only as late as the watchdog thread
        // gets the CPU on a loaded machine, hence no upper bound but a hang catcher.
        assertThat(total).as("the total in: " + ended.getMessage()).isBetween(1900L, 60_000L);
    }

    @Test
    void loopBusyWithAHundredThousandShortTasks_isNeverReported() throws InterruptedException {
        // Each task is short and queues the next batch, so no unit of work is long: the loop is busy
        // for the whole run, never blocked. The threshold is the default's 1 s, not less: a unit
        // that waits that long for a CPU on a loaded machine would rightly be reported (wall time).
        int[] ran = {0};
        EventLoop.builder().name("busy").blockedThreshold(Duration.ofSeconds(1)).run(() -> queueBatch(ran, 0));
        assertThat(ran[0]).isEqualTo(100_000);
        Thread.sleep(1_100); // more than a threshold: a report would have come by now
        assertThat(of("busy")).as("reports for loop 'busy'").isEmpty();
    }

    /** Queues tasks {@code from} to {@code from + 999}; the last of them queues the next batch. */
    private static void queueBatch(int[] ran, int from) {
        EventLoop loop = EventLoop.current();
        for (int i = from; i < from + 1_000; i++) {
            boolean last = i == from + 999 && i + 1 < 100_000;
            int next = i + 1;
            loop.execute(() -> {
                Promise.resolve(ran[0]++).thenAccept(v -> {});
                if (last) {
                    queueBatch(ran, next);
                }
            });
        }
    }

    private static void waitForRelease(CountDownLatch started, CountDownLatch release) {
        started.countDown();
        try {
            release.await(10, TimeUnit.SECONDS); // bound against a hang only
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void closeWithTimeout_onALoopStuckInACallback_returnsFalseAndReportsTheStack() throws Exception {
        EventLoop loop = EventLoop.builder().name("stuck").blockedThreshold(Duration.ZERO).start();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        loop.execute(() -> waitForRelease(started, release));
        assertThat(started.await(10, TimeUnit.SECONDS)).as("the task started").isTrue();

        assertThat(loop.close(Duration.ofMillis(200))).as("close(200 ms) on a stuck loop").isFalse();
        List<LogRecord> got = of("stuck");
        assertThat(got).hasSize(1);
        assertThat(got.get(0).getLevel()).isEqualTo(Level.WARNING);
        assertThat(got.get(0).getMessage())
                .startsWith("[eventual] event loop 'stuck' did not stop within 200 ms of close: a task still holds it."
                        + " What the loop holds:\nevent loop 'stuck' (closing; EventLoop.start: runs until closed)"
                        + " (approximate: read without the loop's turn)\n  now: a task\n  queued tasks: about 0\n")
                .endsWith("\nThe thread holding it is at:");
        assertThat(inStack(got.get(0).getThrown(), "waitForRelease")).as("the task's method in the stack").isTrue();

        release.countDown();
        assertThat(loop.close(Duration.ofSeconds(10))).as("close once the task returned").isTrue();
        assertThat(loop.isClosed()).isTrue();
    }

    @Test
    void closeWithTimeout_onAnIdleLoop_returnsTrueAndSaysNothing() {
        EventLoop loop = EventLoop.builder().name("idle").start();
        assertThat(loop.close(Duration.ofSeconds(10))).isTrue();
        assertThat(of("idle")).isEmpty();
    }

    @Test
    void closeWithADurationTooLongForNanos_waitsAsForEver() {
        EventLoop loop = EventLoop.builder().name("long").start();
        assertThat(loop.close(Duration.ofSeconds(Long.MAX_VALUE))).isTrue();
        assertThat(loop.isClosed()).isTrue();
    }

    @Test
    void badArguments_areRefusedWithTheirName() {
        assertThatThrownBy(() -> EventLoop.builder().blockedThreshold(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("blockedThreshold");
        EventLoop loop = EventLoop.builder().name("npe").start();
        try {
            assertThatThrownBy(() -> loop.close(null)).isInstanceOf(NullPointerException.class).hasMessageContaining("timeout");
        } finally {
            loop.close();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void bodyHoldingItsTurn() {
        sleep(600);
    }

    @Test
    void asyncBodyHoldingItsTurn_isReportedWithTheBodysStack() throws InterruptedException {
        EventLoop.builder().name("body").blockedThreshold(Duration.ofMillis(200))
                .run(() -> Async.async(() -> bodyHoldingItsTurn()));
        List<LogRecord> got = awaitRecords("body", 2);
        assertThat(got).hasSize(2);
        assertThat(got.get(0).getMessage()).startsWith("[eventual] event loop 'body' is blocked: a task, in an async body's turn, has held it");
        assertThat(inStack(got.get(0).getThrown(), "bodyHoldingItsTurn")).as("the body's method in the stack").isTrue();
    }

    @Test
    void systemProperty_setsTheDefault_andZeroOnTheBuilderTurnsItOff() throws InterruptedException {
        String before = System.getProperty("eventual.blockedThresholdMillis");
        System.setProperty("eventual.blockedThresholdMillis", "100");
        try {
            EventLoop.builder().name("by-property").run(() -> sleep(600));
            EventLoop.builder().name("unwatched").blockedThreshold(Duration.ZERO).run(() -> sleep(600));
        } finally {
            if (before == null) {
                System.clearProperty("eventual.blockedThresholdMillis");
            } else {
                System.setProperty("eventual.blockedThresholdMillis", before);
            }
        }
        assertThat(awaitRecords("by-property", 2)).as("reports for the loop under the property").hasSize(2);
        assertThat(of("by-property").get(0).getMessage()).contains("is blocked: a task").contains("(threshold 100 ms)");
        assertThat(of("unwatched")).as("reports for the loop with threshold zero").isEmpty();
    }
}
