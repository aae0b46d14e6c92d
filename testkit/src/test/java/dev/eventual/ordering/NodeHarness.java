package dev.eventual.ordering;

import dev.eventual.EventLoop;
import dev.eventual.UnhandledRejectionPolicy;
import dev.eventual.testkit.TestLoop;
import java.io.IOException;
import java.io.UncheckedIOException;
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
 *
 * <p><b>Virtual time.</b> Both sides run on virtual time unless a case is
 * {@link NodeOrderingTest.Case#onRealClock() on the real clock}: Eventual on a
 * {@link TestLoop#virtualTime() TestLoop}, run until idle, and Node with
 * {@code node/virtual-timers.js} loaded first, which replaces Node's timers by a queue on a clock
 * that moves from timer to timer and keeps Node's rules (see that file). So the order two timers
 * fire in never depends on how long the machine took between setting them, which on a loaded
 * machine made real-time runs of either runtime disagree. That the replacement orders timers as
 * Node's own do is itself checked against real Node: run the ordering tests with
 * {@code -Deventual.ordering.checkVirtualTimers=true} (on a quiet machine, since real Node's
 * order is what varies under load), and each virtual-time case compares real Node's log with
 * Node's on virtual time instead of with Eventual's.
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

    private static final String VIRTUAL_TIMERS = readResource("/node/virtual-timers.js");

    private static String readResource(String name) {
        try (var in = NodeHarness.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("test resource " + name + " is missing");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("reading test resource " + name, e);
        }
    }

    /** Runs {@code program} in Node, on virtual time (see the overview) or on the real clock. */
    static List<String> runNode(String node, String program, boolean virtualTime) throws IOException, InterruptedException {
        return runNode(node, (virtualTime ? VIRTUAL_TIMERS : "") + program);
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

    /**
     * Runs {@code program} on a virtual-time {@link TestLoop} until idle. An unhandled rejection
     * or an exception thrown by a callback fails, as either would end the Node process.
     */
    static List<String> runEventualOnVirtualTime(Consumer<List<String>> program) {
        List<String> log = new ArrayList<>();
        try (TestLoop loop = TestLoop.virtualTime()) {
            program.accept(log);
            loop.runUntilIdle();
            if (!loop.unhandledRejections().isEmpty() || !loop.callbackErrors().isEmpty()) {
                AssertionError failed = new AssertionError("the program left unhandled rejections "
                        + loop.unhandledRejections() + " or callback errors " + loop.callbackErrors()
                        + "; Node would have ended with an error. Log so far: " + log);
                loop.unhandledRejections().forEach(failed::addSuppressed);
                loop.callbackErrors().forEach(failed::addSuppressed);
                throw failed;
            }
        }
        return log;
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
        boolean checkVirtualTimers = Boolean.getBoolean("eventual.ordering.checkVirtualTimers");
        return cases.map(c -> DynamicTest.dynamicTest(c.name() + (c.realClock() ? " (real clock)" : ""), () -> {
            boolean virtual = !c.realClock();
            List<String> expected = runNode(node, jsHelpers + c.js(), virtual);
            assertThat(expected).as("Node's log of %s", c.name()).isNotEmpty();
            if (checkVirtualTimers) {
                if (virtual) {
                    assertThat(expected).as("Node's log of %s on virtual time (real Node's is the expectation)", c.name())
                            .isEqualTo(runNode(node, jsHelpers + c.js(), false));
                }
                return;
            }
            List<String> actual = virtual ? runEventualOnVirtualTime(c.java()) : runEventual(c.java());
            assertThat(actual).as("Eventual's log of %s (Node's is the expectation)", c.name()).isEqualTo(expected);
        }));
    }
}
