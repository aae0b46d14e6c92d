package dev.eventual;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * Every message a loop writes goes to the System.Logger {@code dev.eventual} at WARNING once the
 * program routes that logger (here: a java.util.logging handler on it, as a JUL user would add,
 * reached through the JDK's own LoggerFinder); without such a route, the same text is printed as
 * is on System.err.
 */
class LoggerRoutingTest {

    /** Collects the records of the JUL logger {@code dev.eventual}. */
    private static final class Capture extends Handler {
        final List<LogRecord> records = new CopyOnWriteArrayList<>();

        @Override
        public void publish(LogRecord record) {
            records.add(record);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    }

    /** Runs {@code program} with the capture on {@code dev.eventual}; fails if it printed on System.err. */
    private static List<LogRecord> logged(Runnable program) {
        Logger jul = Logger.getLogger("dev.eventual");
        Capture capture = new Capture();
        boolean parents = jul.getUseParentHandlers();
        jul.addHandler(capture);
        jul.setUseParentHandlers(false); // the capture is the route: nothing to the console
        try {
            String err = stderrOf(program);
            assertThat(err).as("System.err while dev.eventual is routed").isEmpty();
        } finally {
            jul.removeHandler(capture);
            jul.setUseParentHandlers(parents);
        }
        return capture.records;
    }

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

    private static void assertOneWarning(List<LogRecord> records, String text, Supplier<Throwable> thrown) {
        assertThat(records).as("records logged").hasSize(1);
        LogRecord r = records.get(0);
        assertThat(r.getLoggerName()).as("logger name").isEqualTo("dev.eventual");
        assertThat(r.getLevel()).as("level").isEqualTo(Level.WARNING);
        assertThat(r.getMessage()).as("message").isEqualTo(text);
        assertThat(r.getThrown()).as("throwable").isSameAs(thrown.get());
    }

    @Test
    void unhandledRejection_isAWarningWithTheReason() {
        RuntimeException reason = new RuntimeException("lost");
        List<LogRecord> records = logged(() -> EventLoop.builder().name("routed")
                .unhandledRejections(UnhandledRejectionPolicy.WARN).run(() -> Promise.reject(reason)));
        assertOneWarning(records, "[eventual] Unhandled promise rejection on event loop 'routed'"
                + " (attach a handler with caught(...) or then(..., onRejected)):", () -> reason);
    }

    @Test
    void rejectionHandledLater_isAWarningAfterTheFirst() {
        RuntimeException reason = new RuntimeException("late");
        List<LogRecord> records = logged(() -> EventLoop.builder().name("routed")
                .unhandledRejections(UnhandledRejectionPolicy.WARN).run(() -> {
                    Promise<Object> p = Promise.reject(reason);
                    EventLoop.current().setTimeout(() -> p.caught(e -> null), 0);
                }));
        assertThat(records).as("records logged").hasSize(2);
        LogRecord late = records.get(1);
        assertThat(late.getLoggerName()).isEqualTo("dev.eventual");
        assertThat(late.getLevel()).isEqualTo(Level.WARNING);
        assertThat(late.getMessage())
                .isEqualTo("[eventual] Promise rejection was handled asynchronously on event loop 'routed': " + reason);
    }

    @Test
    void uncaughtCallbackException_isAWarningWithTheException() {
        IllegalStateException thrown = new IllegalStateException("callback threw");
        List<LogRecord> records = logged(() -> EventLoop.builder().name("routed").run(() -> {
            EventLoop.current().setTimeout(() -> { throw thrown; }, 0);
        }));
        assertOneWarning(records, "[eventual] Uncaught exception in a callback on event loop 'routed':", () -> thrown);
    }

    @Test
    void closedWithWorkNotRun_isAWarning() {
        List<LogRecord> records = logged(() -> {
            EventLoop loop = EventLoop.builder().name("routed").start();
            loop.setTimeout(() -> {}, 60_000);
            loop.close();
        });
        assertOneWarning(records, "[eventual] event loop 'routed' closed with 0 task(s), 1 timer(s) and 0 microtask(s) not run",
                () -> null);
    }

    @Test
    void withoutARoute_theSameTextIsPrintedAsIsOnStderr() {
        String err = stderrOf(() -> {
            EventLoop loop = EventLoop.builder().name("plain").start();
            loop.setTimeout(() -> {}, 60_000);
            loop.close();
        });
        assertThat(err).isEqualTo("[eventual] event loop 'plain' closed with 0 task(s), 1 timer(s) and 0 microtask(s) not run"
                + System.lineSeparator());
    }
}
