package dev.eventual.io;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventual.AsyncStackTrace;
import dev.eventual.EventLoop;
import dev.eventual.io.fetch.Fetch;
import dev.eventual.io.file.AsyncFiles;
import dev.eventual.io.process.Processes;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Async stack traces through io: a failed operation names the user's line that started it. */
class AsyncStackTraceIoTest {
    @TempDir
    Path dir;

    private static int here() {
        return StackWalker.getInstance().walk(s -> s.skip(1).findFirst()).orElseThrow().getLineNumber();
    }

    private static AsyncStackTrace traceOf(Throwable reason) {
        List<AsyncStackTrace> traces = Arrays.stream(reason.getSuppressed())
                .filter(AsyncStackTrace.class::isInstance).map(AsyncStackTrace.class::cast).toList();
        assertThat(traces).as("AsyncStackTrace on %s", reason).hasSize(1);
        return traces.get(0);
    }

    private static List<Integer> lines(AsyncStackTrace trace) {
        return Arrays.stream(trace.getStackTrace()).map(StackTraceElement::getLineNumber).toList();
    }

    @Test
    void aFileOperation_fetch_andAProcess_areSitesOfTheirOwn() {
        List<Throwable> got = new ArrayList<>();
        int[] line = new int[6];
        Path missing = dir.resolve("missing.txt");
        EventLoop.builder().asyncStackTraces(true).run(() -> {
            var read = AsyncFiles.readString(missing); line[0] = here();
            read.caught(e -> { got.add(e); return null; }); line[1] = here();
            var fetched = Fetch.fetch("http://127.0.0.1:1/nothing-listens-here"); line[2] = here();
            fetched.caught(e -> { got.add(e); return null; }); line[3] = here();
            var ran = Processes.run("/nonexistent/program-of-no-one"); line[4] = here();
            ran.caught(e -> { got.add(e); return null; }); line[5] = here();
        });
        assertThat(got).hasSize(3);
        for (Throwable reason : got) {
            AsyncStackTrace trace = traceOf(reason);
            String message = trace.getMessage();
            int i = message.endsWith("readString") ? 0 : message.endsWith("fetch") ? 2 : 4;
            assertThat(message).as("%s", reason).isIn("async stack (newest first): caught <- readString",
                    "async stack (newest first): caught <- fetch", "async stack (newest first): caught <- process");
            assertThat(lines(trace)).containsExactly(line[i + 1], line[i]);
            assertThat(trace.getStackTrace()[0].getFileName()).isEqualTo("AsyncStackTraceIoTest.java");
        }
    }
}
