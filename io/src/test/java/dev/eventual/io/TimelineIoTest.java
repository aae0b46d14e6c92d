package dev.eventual.io;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventual.EventLoop;
import dev.eventual.Timeline;
import dev.eventual.io.file.AsyncFiles;
import dev.eventual.io.process.Processes;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** io's operations on a recording loop: each from its start to the turn that received its outcome. */
class TimelineIoTest {
    @TempDir
    Path dir;

    private static List<JsonNode> events(Timeline timeline) throws Exception {
        List<JsonNode> events = new ArrayList<>();
        new ObjectMapper().readTree(timeline.toJson()).get("traceEvents").forEach(events::add);
        return events;
    }

    /** The "E" of the operation named {@code name}: on the lane of its "B", after it. */
    private static JsonNode endOf(List<JsonNode> events, String name) {
        JsonNode begin = events.stream().filter(e -> e.get("ph").asText().equals("B") && e.get("name").asText().equals(name))
                .findFirst().orElseThrow(() -> new AssertionError("no operation '" + name + "' in " + events));
        return events.stream().filter(e -> e.get("ph").asText().equals("E") && e.get("tid").equals(begin.get("tid"))
                        && e.get("ts").asDouble() >= begin.get("ts").asDouble() && e.get("name").asText().equals(name))
                .findFirst().orElseThrow(() -> new AssertionError("operation '" + name + "' has no end in " + events));
    }

    /** Whether a "result" flow ends on the loop's lane at the operation's end, a nanosecond after it. */
    private static boolean received(List<JsonNode> events, JsonNode end) {
        return events.stream().anyMatch(e -> e.get("ph").asText().equals("f") && e.get("cat").asText().equals("result")
                && e.get("tid").asInt() == 1 && Math.abs(e.get("ts").asDouble() - end.get("ts").asDouble() - 0.001) < 0.0005);
    }

    @Test
    void fileOperations_fromStartToTheCallbackThatGotTheResult() throws Exception {
        Path file = dir.resolve("a.txt");
        Timeline timeline = Timeline.create();
        EventLoop.builder().record(timeline).run(() -> AsyncFiles.writeString(file, "hello")
                .thenCompose(ignored -> AsyncFiles.readString(file))
                .thenCompose(text -> AsyncFiles.readString(dir.resolve("missing.txt")))
                .caught(e -> null));
        List<JsonNode> events = events(timeline);
        JsonNode write = endOf(events, "writeString " + file);
        JsonNode read = endOf(events, "readString " + file);
        JsonNode missing = endOf(events, "readString " + dir.resolve("missing.txt"));
        assertThat(write.get("args").get("outcome").asText()).isEqualTo("fulfilled");
        assertThat(read.get("args").get("outcome").asText()).isEqualTo("fulfilled");
        assertThat(missing.get("args").get("outcome").asText()).startsWith("rejected: FileOperationException");
        assertThat(List.of(write, read, missing)).allMatch(end -> received(events, end));
    }

    @Test
    void process_fromStartToTheCallbackThatGotItsResult() throws Exception {
        Timeline timeline = Timeline.create();
        EventLoop.builder().record(timeline).run(() -> Processes.run("sh", "-c", "exit 0").thenAccept(result -> {}));
        List<JsonNode> events = events(timeline);
        JsonNode end = endOf(events, "[\"sh\", \"-c\", \"exit 0\"]");
        assertThat(end.get("args").get("outcome").asText()).isEqualTo("fulfilled");
        assertThat(received(events, end)).isTrue();
        assertThat(events).anyMatch(e -> e.get("name").asText().equals("thread_name") && e.get("args").get("name").asText().equals("child process 1"));
    }
}
