package dev.eventual;

import static dev.eventual.Async.async;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import jdk.jfr.consumer.RecordingStream;
import org.junit.jupiter.api.Test;

/**
 * The JFR events of category Eventual, read back with jdk.jfr.consumer: each event type and its
 * fields. Recordings and streams enable the events with settings of their own (thresholds,
 * periods), as a user's would. Waits are bounded only against a hang.
 */
class JfrEventsTest {
    private static List<RecordedEvent> dump(Recording recording, String type, String loop) throws IOException {
        Path file = Files.createTempFile("eventual-jfr", ".jfr");
        try {
            recording.dump(file);
            return RecordingFile.readAllEvents(file).stream()
                    .filter(e -> e.getEventType().getName().equals(type) && loop.equals(e.getString("loop")))
                    .toList();
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void holdTheLoopForJfr() {
        sleep(600);
    }

    @Test
    void longTurn_aSlowTaskAndASlowAsyncBodyTurn_areRecordedWithTheirDuration() throws IOException {
        // A loop runs before any recording exists (in a JVM of its own, before the flight
        // recorder does): the events are set up when the recorder appears (JfrSetup's listener).
        EventLoop.run(() -> EventLoop.current().setTimeout(() -> {}, 1));
        try (Recording recording = new Recording()) {
            recording.enable("dev.eventual.LongTurn").withThreshold(Duration.ofMillis(40));
            recording.start();
            EventLoop.builder().name("jfr-long").run(() -> {
                EventLoop.current().execute(() -> sleep(80));
                EventLoop.current().setTimeout(() -> async(() -> sleep(80)), 1);
            });
            recording.stop();
            List<RecordedEvent> events = dump(recording, "dev.eventual.LongTurn", "jfr-long");
            assertThat(events).as("LongTurn events of loop jfr-long").isNotEmpty();
            assertThat(events).allSatisfy(e -> assertThat(e.getDuration()).isGreaterThanOrEqualTo(Duration.ofMillis(40)));
            assertThat(events).anySatisfy(e -> {
                assertThat(e.getString("work")).isEqualTo("a task");
                assertThat(e.getDuration()).isGreaterThanOrEqualTo(Duration.ofMillis(80));
            });
            assertThat(events).anySatisfy(e -> {
                assertThat(e.getString("work")).isEqualTo("an async body's turn");
                assertThat(e.getDuration()).isGreaterThanOrEqualTo(Duration.ofMillis(80));
            });
            // The timer callback that starts the body holds the loop for the body's first turn.
            assertThat(events).anySatisfy(e -> assertThat(e.getString("work")).isEqualTo("a timer callback"));
        }
    }

    @Test
    void blockedLoop_isRecordedWhileBlocked_withTheHoldingStack() throws IOException {
        try (Recording recording = new Recording()) {
            recording.enable("dev.eventual.BlockedLoop");
            recording.start();
            EventLoop.builder().name("jfr-blocked").blockedThreshold(Duration.ofMillis(100))
                    .run(JfrEventsTest::holdTheLoopForJfr);
            recording.stop();
            List<RecordedEvent> events = dump(recording, "dev.eventual.BlockedLoop", "jfr-blocked");
            assertThat(events).as("one report, one event").hasSize(1);
            RecordedEvent e = events.get(0);
            assertThat(e.getString("work")).isEqualTo("a task");
            assertThat(e.getDuration("blockedFor")).isGreaterThanOrEqualTo(Duration.ofMillis(100));
            assertThat(e.getDuration("threshold")).isEqualTo(Duration.ofMillis(100));
            assertThat(e.getString("thread")).contains("jfr-blocked");
            assertThat(e.getString("holdingStack")).contains("holdTheLoopForJfr").contains("Thread.sleep");
        }
    }

    private static Promise<Object> rejectWithoutHandler() {
        return EventLoop.current().rejected(new IllegalStateException("nobody handles this"));
    }

    @Test
    void unhandledRejection_isRecordedWithItsReasonAndPolicy() throws IOException {
        try (Recording recording = new Recording()) {
            recording.enable("dev.eventual.UnhandledRejection");
            recording.start();
            EventLoop.builder().name("jfr-rejection").unhandledRejections(UnhandledRejectionPolicy.IGNORE)
                    .run(JfrEventsTest::rejectWithoutHandler);
            recording.stop();
            List<RecordedEvent> events = dump(recording, "dev.eventual.UnhandledRejection", "jfr-rejection");
            assertThat(events).hasSize(1);
            RecordedEvent e = events.get(0);
            assertThat(e.getString("policy")).isEqualTo("IGNORE");
            assertThat(e.getClass("reasonClass").getName()).isEqualTo(IllegalStateException.class.getName());
            assertThat(e.getString("reason")).isEqualTo("java.lang.IllegalStateException: nobody handles this");
            assertThat(e.getString("reasonStackTrace")).contains("rejectWithoutHandler");
        }
    }

    /** Streams LoopSample events of {@code loop} until one matches, or fails after a bound against a hang. */
    private static RecordedEvent awaitSample(String loop, Predicate<RecordedEvent> wanted, Runnable whileStreaming)
            throws InterruptedException {
        List<RecordedEvent> seen = new CopyOnWriteArrayList<>();
        CountDownLatch found = new CountDownLatch(1);
        try (RecordingStream stream = new RecordingStream()) {
            stream.enable("dev.eventual.LoopSample").withPeriod(Duration.ofMillis(50));
            stream.onEvent("dev.eventual.LoopSample", e -> {
                if (loop.equals(e.getString("loop")) && wanted.test(e)) {
                    seen.add(e);
                    found.countDown();
                }
            });
            stream.startAsync();
            whileStreaming.run();
            assertThat(found.await(20, TimeUnit.SECONDS)).as("a matching LoopSample of " + loop).isTrue();
        }
        return seen.get(0);
    }

    @Test
    void loopSample_takenOnTheLoop_countsItsWork() throws InterruptedException {
        EventLoop loop = EventLoop.builder().name("jfr-sample").start();
        try {
            CountDownLatch ready = new CountDownLatch(1);
            loop.execute(() -> {
                loop.setTimeout(() -> {}, 60_000);
                loop.setTimeout(() -> {}, 60_000).unref();
                loop.setInterval(() -> {
                    Promise<Integer> p = loop.resolved(1);
                    for (int i = 0; i < 4; i++) {
                        p = p.then(x -> x + 1);
                    }
                }, 5);
                ready.countDown();
            });
            KeepAlive held = loop.keepAlive("a test's hold");
            assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();
            RecordedEvent e = awaitSample("jfr-sample", s -> s.getBoolean("onLoop") && s.getLong("microtasks") > 0, () -> {});
            assertThat(e.getInt("pendingTimers")).isEqualTo(3);
            assertThat(e.getInt("keepAlives")).isEqualTo(1);
            assertThat(e.getInt("asyncBodies")).isZero();
            assertThat(e.getInt("queuedTasks")).isGreaterThanOrEqualTo(0);
            assertThat(e.getInt("checkpoints")).isPositive();
            // Each interval run drains its chain of four reactions in one checkpoint.
            assertThat(e.getDouble("microtasksPerCheckpoint")).isEqualTo(4.0);
            assertThat(e.getInt("maxMicrotasksPerCheckpoint")).isEqualTo(4);
            assertThat(e.getLong("microtasks")).isEqualTo(4L * e.getInt("checkpoints"));
            assertThat(e.getDuration("lag").isNegative()).as("lag negative").isFalse();
            held.close();
        } finally {
            loop.close();
        }
    }

    @Test
    void loopSample_ofABusyLoop_isTakenWithoutItAndShowsTheLag() throws InterruptedException {
        EventLoop loop = EventLoop.builder().name("jfr-busy").blockedThreshold(Duration.ZERO).start();
        CountDownLatch release = new CountDownLatch(1);
        try {
            RecordedEvent e = awaitSample("jfr-busy", s -> !s.getBoolean("onLoop"), () -> {
                loop.execute(() -> {
                    try {
                        release.await(20, TimeUnit.SECONDS); // held until the busy sample was seen
                    } catch (InterruptedException interrupted) {
                        Thread.currentThread().interrupt();
                    }
                });
                loop.execute(() -> {}); // queued behind it
            });
            release.countDown();
            assertThat(e.getDuration("lag")).isPositive();
            assertThat(e.getInt("queuedTasks")).isGreaterThanOrEqualTo(2); // the task above and the sampling task
            assertThat(e.getInt("pendingTimers")).isZero();
            assertThat(e.getLong("microtasks")).isZero();
        } finally {
            release.countDown();
            loop.close();
        }
    }
}
