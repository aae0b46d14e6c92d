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
        // Everything the program does before the answers, in its order.
        assertThat(lines.subList(0, 10)).containsExactly(
                lines.get(0),
                "[main]  main: the server answers /users/N after N x 300 ms on purpose, as a far-away server takes its"
                        + " time; so the answers normally come back in the order of N",
                "[main]  inline: request sent, the program keeps running",
                "[main]  by reference: request sent, the program keeps running",
                "[main]  promise chain: two requests in sequence, the program keeps running",
                lines.get(5),
                lines.get(6),
                "[main/async]  async/await: request sent, this body waits for the answer; the loop does not",
                "[main]  async/await: the body is waiting; the program keeps running",
                "[main]  main: done sending; the answers arrive on this same thread once main returns");
        // Then every answer, on the loop thread or its async body. Independent requests are
        // answered in the order of N on a quiet machine, but a busy one may deliver two answers
        // 300 ms apart the other way round: only the order within a chain is certain.
        List<String> answers = lines.subList(10, lines.size() - 1);
        String missing4 = "[main]  promise chain: the second request failed: GET " + server + "/missing/4: HTTP 404 Not Found";
        String missing7 = "[main/async]  async/await: the second request failed: GET " + server + "/missing/7: HTTP 404 Not Found";
        String users3 = "[main]  do_something_cool got: DATA FROM /USERS/3   <- the promise chain, upper-cased by its then(String::toUpperCase)";
        String users6 = "[main/async]  do_something_cool got: data from /users/6   <- the async body, after await";
        assertThat(answers).containsExactlyInAnyOrder(
                "[main]  do_something_cool got: data from /users/1   <- the inline callback",
                "[main]  do_something_cool got: data from /users/2   <- the callback passed by reference",
                users3,
                missing4,
                "[main]  do_something_cool got: data from /users/5   <- the promise used as if synchronous, through thenAccept",
                users6,
                missing7);
        assertThat(answers.indexOf(users3)).isLessThan(answers.indexOf(missing4));
        assertThat(answers.indexOf(users6)).isLessThan(answers.indexOf(missing7));
        assertThat(lines.get(lines.size() - 1)).isEqualTo("[main]  main: the loop has no work left, EventLoop.run returned");
        assertThat(lines.get(5)).startsWith("[main]  as if synchronous: the call returned Promise@").contains("pending");
        assertThat(lines.get(6)).contains("waiting for it here is refused", "would block it forever",
                "await(promise) inside an async body");
    }
}
