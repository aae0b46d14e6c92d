package dev.eventual.fuzz;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Differential fuzzing against Node.js: random small programs ({@link Programs}) run in Node
 * ({@link JsRenderer}) and on Eventual ({@link EventualInterpreter}), and every program's two
 * logs must be equal, line for line. The log records handler order, the values and reasons
 * handlers receive, and unhandled-rejection events, so it checks rules 2, 4 and 5 (see the
 * dev.eventual package overview), and with async functions and await rule 8, against the
 * reference, not against anyone's memory of it. {@link AsyncFuzzTest} runs programs focused on
 * async functions, on both paths of async bodies.
 *
 * <p>Unhandled rejections are not avoided but compared: Node's {@code unhandledRejection} and
 * {@code rejectionHandled} events and Eventual's reports both write to the log.
 *
 * <p><b>Virtual time.</b> Both sides run on virtual time, as the differential ordering tests do
 * (dev.eventual.ordering.NodeHarness): Eventual on a {@link dev.eventual.testkit.TestLoop
 * TestLoop}, Node under {@code node/virtual-timers.js}. Timers fire by virtual deadline, ties in
 * the order they were set, on both sides, so every program is compared (also those whose timer
 * order would be a race on the real clock; the statistics count them) and the same seed gives
 * the same logs on every run and every machine, however busy ({@link FuzzDeterminismTest}). At
 * its end the test prints a SHA-256 of every program it ran and of Node's log of it (up to a
 * failing program; not the shrinking runs): two runs with the same seed print the same digest.
 *
 * <p><b>Checking the shim against real Node.</b> With {@code -Dfuzz.checkVirtualTimers=true}
 * the test compares, for each program, Node's log on virtual time with real Node's on the
 * real clock (Eventual runs only for its timer schedule). There, programs whose timer order is
 * a race on the real clock are not compared (see {@link TimerSchedule}), and a program whose
 * timers real Node set so late (a busy machine) that they might have swapped runs again, up to
 * {@value #ATTEMPTS} times; the test fails if races are more than a third of the programs,
 * or programs still late after every attempt more than a fifth (then the check is not testing).
 * Run it on a quiet machine: real Node's order is what varies under load.
 *
 * <p><b>Runs and failures.</b> Programs run in batches of {@link SideBySide#MAX_BATCH} (one Node
 * process each). Size: {@code -Dfuzz.tries=N} programs (default {@value #DEFAULT_PROGRAMS});
 * {@code stress/fuzz} runs 100,000. Seed: {@code -Dfuzz.seed=S} (a long); without it a random
 * one, printed at the start. The first failing program is shrunk ({@link Shrinker}, at most
 * {@value #SHRINK_RUNS} candidate runs, each run on both sides again) and reported with the
 * seed, its index in the run (the same seed gives the same program at the same index), the
 * shrunk program as JavaScript and as the fuzzer's Java form, both logs, and the program as
 * generated. Skipped with a message where {@code node} is not installed.
 */
class DifferentialFuzzTest {
    static final int DEFAULT_PROGRAMS = 300;
    /** At most this many candidate programs run while shrinking a failure. */
    static final int SHRINK_RUNS = 1000;
    private static final String NODE = NodeBatch.findNode();
    private static final boolean CHECK_VIRTUAL_TIMERS = Boolean.getBoolean("fuzz.checkVirtualTimers");
    /** How often the real-clock check runs a program whose timers were set late (a busy machine), at most. */
    private static final int ATTEMPTS = 3;
    private static final String PROGRAMS = "programs";
    private static final String COMPARED = "compared";
    private static final String COMPARED_RACE = "compared; on the real clock its timer order would be a race";
    private static final String RACE = "not compared: its timer order is a race on the real clock";
    private static final String LATE = "not compared: real Node set its timers too late in " + ATTEMPTS + " runs";

    /** The programs run so far and Node's logs of them (on virtual time), in order. */
    private final MessageDigest digest = sha256();
    private final Tally tally = new Tally();
    private int programsRun;

    @Test
    void randomPrograms_logTheSameOnEventualAsInNode() throws Exception {
        assumeTrue(NODE != null, "node is not installed (not on PATH): the differential fuzzer needs it");
        int programs = Integer.getInteger("fuzz.tries", DEFAULT_PROGRAMS);
        if (programs < 1) {
            throw new IllegalArgumentException("fuzz.tries must be >= 1: " + programs);
        }
        long seed = seed();
        System.out.println("DifferentialFuzzTest: " + programs + " programs, seed = " + seed
                + (CHECK_VIRTUAL_TIMERS ? " (Node on virtual time against real Node)" : ""));
        Programs.Sequence sequence = new Programs.Sequence(seed);
        try {
            for (int first = 0; first < programs; first += SideBySide.MAX_BATCH) {
                List<Program> batch = new ArrayList<>();
                for (int i = first; i < Math.min(programs, first + SideBySide.MAX_BATCH); i++) {
                    batch.add(sequence.next());
                }
                if (CHECK_VIRTUAL_TIMERS) {
                    checkVirtualTimersAgainstRealNode(batch, first, seed);
                } else {
                    compare(batch, first, seed);
                }
            }
            if (CHECK_VIRTUAL_TIMERS) {
                checkCoverage();
            }
        } finally {
            System.out.print(tally.format("DifferentialFuzzTest"));
            System.out.println("DifferentialFuzzTest: " + programsRun + " programs run; SHA-256 of the programs and Node's logs: "
                    + HexFormat.of().formatHex(digest.digest()));
        }
    }

    /** The default mode: Eventual's log must equal Node's, both on virtual time. */
    private void compare(List<Program> batch, int first, long seed) throws Exception {
        compare(NODE, "fuzz", batch, first, seed, r -> {
            record(r.program(), r.node());
            tally.count(PROGRAMS, r.timers().race().isPresent() ? COMPARED_RACE : COMPARED);
            tally.count("timers a program set", timers(r.timers().count()));
            int bodies = Census.of(r.program()).bodies();
            tally.count("async bodies a program calls", bodies == 0 ? "none" : bodies <= 2 ? "1 or 2" : "3 or more");
        });
    }

    /**
     * Runs a batch side by side, passes each result to {@code seen} (in batch order), and throws
     * the report of the first program whose logs differ, shrunk: the comparison of this test, and
     * of {@link AsyncFuzzTest}. {@code first}: the index of the batch's first program in the run
     * with {@code seed}; {@code properties}: the prefix of the test's system properties
     * ({@code .seed}, {@code .tries}), for the report's line that says how to repeat the run.
     */
    static void compare(String node, String properties, List<Program> batch, int first, long seed,
            Consumer<SideBySide.Result> seen) throws Exception {
        for (SideBySide.Result r : SideBySide.run(node, batch)) {
            seen.accept(r);
            if (!r.matches()) {
                int index = first + batch.indexOf(r.program());
                String what = "logs differently on Eventual than in Node (Node is the reference; both on virtual time)";
                Shrinker<SideBySide.Result> shrinker = new Shrinker<>(b -> SideBySide.run(node, b), x -> !x.matches(),
                        SHRINK_RUNS, SideBySide.MAX_BATCH);
                throw failure(shrinker, properties, r.program(), r, index, seed, what,
                        s -> LogDiff.describe(s.program(), s.headline(), "Node", s.result().node(), "Eventual", s.result().eventual()));
            }
        }
    }

    /**
     * The real-clock mode (see the class javadoc): Node's log on virtual time must equal real
     * Node's, for every program whose real-clock timer order is not a race.
     */
    private void checkVirtualTimersAgainstRealNode(List<Program> batch, int first, long seed) throws Exception {
        List<NodeBatch.Output> virtual = NodeBatch.start(NODE, batch, true).outputs();
        for (int i = 0; i < batch.size(); i++) {
            record(batch.get(i), virtual.get(i).log());
        }
        List<EventualInterpreter.Run> schedules = SideBySide.runOnEventual(batch);
        List<Program> toRun = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            if (schedules.get(i).timers().race().isPresent()) {
                tally.count(PROGRAMS, RACE);
            } else {
                toRun.add(batch.get(i));
            }
        }
        for (int attempt = 1; !toRun.isEmpty(); attempt++) {
            List<Program> again = new ArrayList<>();
            List<NodeBatch.Output> real = NodeBatch.start(NODE, toRun, false).outputs();
            for (int i = 0; i < toRun.size(); i++) {
                Program program = toRun.get(i);
                NodeBatch.Output out = real.get(i);
                String outcome;
                if (out.lateness() > TimerSchedule.LATENESS_LIMIT_MILLIS) {
                    if (attempt < ATTEMPTS) {
                        again.add(program);
                        continue;
                    }
                    outcome = LATE;
                } else {
                    tally.count("compared runs: latest timer set after its virtual time", lateness(out.lateness()));
                    outcome = attempt == 1 ? COMPARED : "compared, after a late run";
                    int index = batch.indexOf(program);
                    RealClockRun run = new RealClockRun(virtual.get(index).log(), out, false);
                    if (run.fails()) {
                        String what = "logs differently in Node on virtual time (node/virtual-timers.js) than in real Node"
                                + " (real Node is the reference)";
                        Shrinker<RealClockRun> shrinker = new Shrinker<>(DifferentialFuzzTest::realClockRuns, RealClockRun::fails,
                                SHRINK_RUNS, SideBySide.MAX_BATCH);
                        throw failure(shrinker, "fuzz", program, run, first + index, seed, what,
                                s -> LogDiff.describe(s.program(), s.headline(), "real Node", s.result().real().log(),
                                        "Node on virtual time", s.result().virtual()));
                    }
                }
                tally.count(PROGRAMS, outcome);
            }
            toRun = again;
        }
    }

    /** A program's run in the real-clock mode: Node's log on virtual time, real Node's output, and whether its timers race. */
    private record RealClockRun(List<String> virtual, NodeBatch.Output real, boolean race) {
        /** Compared (no race, timers set in time) and different. */
        boolean fails() {
            return !race && real.lateness() <= TimerSchedule.LATENESS_LIMIT_MILLIS && !virtual.equals(real.log());
        }
    }

    /** Runs candidates of the shrinker in the real-clock mode: Node on virtual time, Eventual for the schedule, real Node. */
    private static List<RealClockRun> realClockRuns(List<Program> programs) throws Exception {
        List<NodeBatch.Output> virtual = NodeBatch.start(NODE, programs, true).outputs();
        List<EventualInterpreter.Run> schedules = SideBySide.runOnEventual(programs);
        List<NodeBatch.Output> real = NodeBatch.start(NODE, programs, false).outputs();
        List<RealClockRun> runs = new ArrayList<>();
        for (int i = 0; i < programs.size(); i++) {
            runs.add(new RealClockRun(virtual.get(i).log(), real.get(i), schedules.get(i).timers().race().isPresent()));
        }
        return runs;
    }

    /** A shrunk failure to describe: the program, its run, and the headline that says what failed and where. */
    private record Described<R>(Program program, R result, String headline) {}

    @FunctionalInterface
    private interface Describer<R> {
        String describe(Described<R> failure);
    }

    /**
     * Shrinks a failing program and builds the assertion that reports it; if shrinking itself
     * fails (Node crashing on a candidate, say), reports the program as generated and why.
     */
    private static <R> AssertionError failure(Shrinker<R> shrinker, String properties, Program program, R result, int index,
            long seed, String what, Describer<R> describer) {
        String where = "Program " + index + " of the run with seed " + seed + " (repeat: -D" + properties + ".seed=" + seed
                + ", -D" + properties + ".tries=" + (index + 1) + ") " + what + ".";
        Shrinker.Shrunk<R> shrunk;
        try {
            shrunk = shrinker.shrink(program, result);
        } catch (Exception | AssertionError e) {
            AssertionError error = new AssertionError(describer.describe(new Described<>(program, result,
                    where + " Not shrunk: shrinking failed with " + e)));
            error.addSuppressed(e);
            return error;
        }
        String how = "Shrunk from size " + Simplifications.size(program) + " to " + Simplifications.size(shrunk.program())
                + " in " + shrunk.steps() + " steps (" + shrunk.runs() + " candidate runs"
                + (shrunk.bounded() ? ", stopped by the bound of " + SHRINK_RUNS : "") + "); the shrunk program fails too:";
        String message = describer.describe(new Described<>(shrunk.program(), shrunk.result(), where + "\n" + how));
        StringBuilder b = new StringBuilder(message);
        b.append("\nProgram ").append(index).append(" as generated, before shrinking:\n\n");
        program.toString().lines().forEach(l -> b.append("    ").append(l).append('\n'));
        return new AssertionError(b.toString());
    }

    private void checkCoverage() {
        int total = tally.total(PROGRAMS);
        double races = 100.0 * tally.get(PROGRAMS, RACE) / total;
        double late = 100.0 * tally.get(PROGRAMS, LATE) / total;
        if (races >= 34.0) {
            throw new AssertionError(String.format("%.1f %% of %d programs were left out as real-clock races (limit 34 %%):"
                    + " the real-clock check compares too few", races, total));
        }
        if (late >= 20.0) {
            throw new AssertionError(String.format("%.1f %% of %d programs were still late after %d runs (limit 20 %%):"
                    + " the machine is too busy for the real-clock check", late, total, ATTEMPTS));
        }
    }

    private void record(Program program, List<String> nodeLog) {
        digest.update((program + "\0" + String.join("\n", nodeLog) + "\0").getBytes(StandardCharsets.UTF_8));
        programsRun++;
    }

    /** {@code fuzz.seed}, or a random seed. */
    private static long seed() {
        String seed = System.getProperty("fuzz.seed");
        if (seed == null || seed.isBlank()) {
            return new SplittableRandom().nextLong();
        }
        return parseSeed("fuzz.seed", seed);
    }

    /** The value of the seed property {@code name}. */
    static long parseSeed(String name, String seed) {
        try {
            return Long.parseLong(seed.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a long (a seed this test printed): " + seed, e);
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** Buckets of a program's timer count, for the statistics. */
    private static String timers(int count) {
        return count == 0 ? "none" : count <= 2 ? "1 or 2" : count <= 5 ? "3 to 5" : "6 or more";
    }

    /** Buckets of {@link NodeBatch.Output#lateness()}, for the statistics. */
    private static String lateness(double millis) {
        if (millis < 2) {
            return "under 2 ms";
        }
        return millis < 5 ? "2 to 5 ms" : "5 to " + (int) TimerSchedule.LATENESS_LIMIT_MILLIS + " ms";
    }
}
