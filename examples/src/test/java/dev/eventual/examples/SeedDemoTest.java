package dev.eventual.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class SeedDemoTest {

    private static List<String> runDemo() {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            SeedDemo.main(new String[0]);
        } finally {
            System.setOut(original);
        }
        // Drop the timestamps: the order is what the demo shows.
        return captured.toString(StandardCharsets.UTF_8).lines()
                .map(line -> line.replaceFirst("^\\s*\\d+ ms\\s+", ""))
                .toList();
    }

    @Test
    void main_restOfProgramKeepsRunning_answersArriveLaterOnTheLoopOrItsAsyncBody() {
        List<String> lines = runDemo();

        assertThat(lines.get(0)).matches("\\[main]  main: start \\(server at http://127\\.0\\.0\\.1:\\d+/\\)");
        String server = lines.get(0).replaceAll(".*server at (http://[^/]+)/\\)", "$1");
        assertThat(lines).containsExactly(
                lines.get(0),
                "[main]  inline: request sent, the program keeps running",
                "[main]  by reference: request sent, the program keeps running",
                "[main]  promise chain: two requests in sequence, the program keeps running",
                lines.get(4),
                lines.get(5),
                "[main/async]  async/await: request sent, this body waits for the answer; the loop does not",
                "[main]  async/await: the body is waiting; the program keeps running",
                "[main]  main: done sending; the answers arrive on this same thread once main returns",
                "[main]  do_something_cool got: data from /users/1",
                "[main]  do_something_cool got: data from /users/2",
                "[main]  do_something_cool got: DATA FROM /USERS/3",
                "[main]  do_something_cool got: data from /users/5",
                "[main/async]  do_something_cool got: data from /users/6",
                "[main]  promise chain: the second request failed: GET " + server + "/missing/4: HTTP 404 Not Found",
                "[main/async]  async/await: the second request failed: GET " + server + "/missing/7: HTTP 404 Not Found",
                "[main]  main: the loop has no work left, EventLoop.run returned");
        assertThat(lines.get(4)).startsWith("[main]  as if synchronous: the call returned Promise@").contains("pending");
        assertThat(lines.get(5)).contains("waiting for it here is refused", "would block it forever",
                "await(promise) inside an async body");
    }
}
