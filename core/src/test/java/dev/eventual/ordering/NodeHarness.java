package dev.eventual.ordering;

import dev.eventual.EventLoop;
import dev.eventual.UnhandledRejectionPolicy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Runs one small program in Node.js and the same program, written against Eventual, on an
 * {@link EventLoop}; both append to a log, and the two logs must be identical.
 *
 * <p>The JavaScript side gets a {@code log(...args)} function; its entries are printed one per
 * line when the process exits (so timers and microtasks have all run, as {@code EventLoop.run}
 * guarantees on the Java side).
 */
final class NodeHarness {
    private static final String PRELUDE = """
            const __out = [];
            const log = (...args) => { __out.push(args.map(String).join(' ')); }; // returns undefined, as Java's thenAccept gives null
            process.on('exit', () => { for (const line of __out) console.log(line); });
            """;

    private NodeHarness() {}

    /** The path of {@code node}, or null when it is not installed. */
    static String findNode() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path candidate = Path.of(dir, "node");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }

    static List<String> runNode(String node, String program) throws IOException, InterruptedException {
        Path file = Files.createTempFile("eventual-ordering", ".js");
        try {
            Files.writeString(file, PRELUDE + program);
            Process process = new ProcessBuilder(node, file.toString()).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("node did not finish within 30 s:\n" + program);
            }
            if (process.exitValue() != 0) {
                throw new AssertionError("node failed with exit code " + process.exitValue() + ":\n" + output);
            }
            return output.lines().toList();
        } finally {
            Files.deleteIfExists(file);
        }
    }

    static List<String> runEventual(Consumer<List<String>> program) {
        List<String> log = new ArrayList<>();
        // THROW: an unhandled rejection ends the Node process with an error, so it fails here too.
        EventLoop.builder().unhandledRejections(UnhandledRejectionPolicy.THROW).run(() -> program.accept(log));
        return log;
    }

    /**
     * One dynamic test per case: Node runs {@code jsHelpers} + the case's JavaScript, Eventual runs
     * its Java, and Eventual's log must equal Node's (which must not be empty). Skipped, with a
     * message, where {@code node} is not installed.
     */
    static Stream<DynamicTest> compareWithNode(String jsHelpers, Stream<NodeOrderingTest.Case> cases) {
        String node = findNode();
        assumeTrue(node != null, "node is not installed (not on PATH): the differential ordering tests need it");
        return cases.map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            List<String> expected = runNode(node, jsHelpers + c.js());
            List<String> actual = runEventual(c.java());
            assertThat(expected).as("Node's log of %s", c.name()).isNotEmpty();
            assertThat(actual).as("Eventual's log of %s (Node's is the expectation)", c.name()).isEqualTo(expected);
        }));
    }
}
