package dev.eventual.fuzz;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A batch of programs running in one Node process ({@code batch-runner.js}, which isolates them
 * in vm contexts): started by {@link #start}, so that the Eventual side can run meanwhile, and
 * read by {@link #outputs}. On virtual time the runner loads {@code node/virtual-timers.js} (the
 * shim the differential ordering tests use) first, so that the programs' timers fire by virtual
 * deadline and order set, as on the Eventual side; on the real clock it uses Node's own timers
 * and reports how late each program set them.
 */
final class NodeBatch {
    private static final long TIMEOUT_SECONDS = 60;
    /** Virtual memory for one Node process: a batch needs under 1 GB (most of it address space reserved at start). */
    private static final long MEMORY_LIMIT_KB = 3L * 1024 * 1024;

    private final Process process;
    private final int size;

    private NodeBatch(Process process, int size) {
        this.process = process;
        this.size = size;
    }

    /** The path of {@code node} on the PATH, or null when it is not installed. */
    static String findNode() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path candidate = Path.of(dir, "node");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }

    /** Starts {@code programs} in Node, on virtual time (the timers shim) or on the real clock. */
    static NodeBatch start(String node, List<Program> programs, boolean virtualTime) throws IOException {
        List<String> command = new ArrayList<>(List.of("sh", "-c", "ulimit -v " + MEMORY_LIMIT_KB + " 2>/dev/null; exec \"$@\"",
                "sh", node, resource("batch-runner.js").toString()));
        if (virtualTime) {
            command.add(resource("/node/virtual-timers.js").toString());
        }
        // A memory cap, so that a runaway Node (see Normalizer on cycles) dies early instead of
        // taking the machine's memory; where ulimit fails (not Linux), Node runs without it.
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> sources = programs.stream().map(JsRenderer::render).toList();
        // NUL cannot occur in a rendered program. Node reads all of stdin before it writes anything.
        try (OutputStream in = process.getOutputStream()) {
            in.write(String.join("\0", sources).getBytes(StandardCharsets.UTF_8));
        }
        return new NodeBatch(process, programs.size());
    }

    /**
     * One program's log in Node and, on the real clock, how much later than its virtual time the
     * latest of its timers was set, in ms (see {@link TimerSchedule}); 0 on virtual time.
     */
    record Output(List<String> log, double lateness) {}

    /** Waits for the process; each program's output, in batch order. */
    List<Output> outputs() throws IOException, InterruptedException {
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("node did not finish the batch within " + TIMEOUT_SECONDS + " s");
        }
        if (process.exitValue() != 0) {
            throw new AssertionError("node failed (exit code " + process.exitValue() + "):\n" + output);
        }
        List<List<String>> logs = new ArrayList<>();
        double[] lateness = new double[size];
        for (int i = 0; i < size; i++) {
            logs.add(new ArrayList<>());
        }
        for (String line : output.lines().toList()) {
            String[] fields = line.split("\t", 3); // index, entry (no tabs) or index, "late", ms
            int index = parseIndex(fields[0]);
            if (index < 0 || index >= size || fields.length < 2) {
                throw new AssertionError("unexpected line from node: " + line + "\nin:\n" + output);
            }
            if (fields.length == 3) {
                lateness[index] = Double.parseDouble(fields[2]);
            } else {
                logs.get(index).add(fields[1]);
            }
        }
        List<Output> outputs = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            outputs.add(new Output(logs.get(i), lateness[i]));
        }
        return outputs;
    }

    private static int parseIndex(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * A file of the test classes directory: the runner (prelude.js lies beside it) or, from the
     * root, the timers shim.
     */
    private static Path resource(String name) {
        URL url = NodeBatch.class.getResource(name);
        if (url == null) {
            throw new IllegalStateException("test resource " + name + " is missing");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("test resource " + name + " is not a file: " + url, e);
        }
    }
}
