package dev.eventual;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** With async stack traces on, the blocked-loop report names where the blocking callback was registered. */
class AsyncStackTraceWatchdogTest {
    private static int here() {
        return StackWalker.getInstance().walk(s -> s.skip(1).findFirst()).orElseThrow().getLineNumber();
    }

    private static void hold() {
        try {
            Thread.sleep(600);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void theBlockedReport_namesTheCallbacksRegistration() throws InterruptedException {
        Logger jul = Logger.getLogger("dev.eventual");
        List<String> messages = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                messages.add(record.getMessage());
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        boolean parents = jul.getUseParentHandlers();
        jul.addHandler(capture);
        jul.setUseParentHandlers(false);
        int[] line = new int[1];
        try {
            EventLoop.builder().name("traced-sleepy").asyncStackTraces(true).blockedThreshold(Duration.ofMillis(100))
                    .run(() -> { EventLoop.current().setTimeout(AsyncStackTraceWatchdogTest::hold, 0); line[0] = here(); });
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (messages.stream().noneMatch(m -> m.contains("'traced-sleepy' is blocked")) && System.nanoTime() < end) {
                Thread.sleep(10);
            }
        } finally {
            jul.removeHandler(capture);
            jul.setUseParentHandlers(parents);
        }
        String blocked = messages.stream().filter(m -> m.contains("'traced-sleepy' is blocked")).findFirst().orElseThrow();
        assertThat(blocked).contains("(setTimeout at ").contains("AsyncStackTraceWatchdogTest.java:" + line[0] + ")");
    }
}
