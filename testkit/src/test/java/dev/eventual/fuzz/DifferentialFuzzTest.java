package dev.eventual.fuzz;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Predicate;
import net.jqwik.api.AfterFailureMode;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.statistics.Statistics;

/**
 * Differential fuzzing against Node.js: random small programs ({@link Programs}) run in Node
 * ({@link JsRenderer}) and on Eventual ({@link EventualInterpreter}), and every program's two
 * logs must be equal, line for line. The log records handler order, the values and reasons
 * handlers receive, and unhandled-rejection events, so it checks rules 2, 4 and 5 (see the
 * dev.eventual package overview) against the reference, not against anyone's memory of it.
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
 * its end the property prints a SHA-256 of every program it ran and of Node's log of it: two runs
 * with the same seed print the same digest.
 *
 * <p><b>Checking the shim against real Node.</b> With {@code -Dfuzz.checkVirtualTimers=true}
 * the property compares, for each program, Node's log on virtual time with real Node's on the
 * real clock (Eventual runs only for its timer schedule). There, programs whose timer order is
 * a race on the real clock are not compared (see {@link TimerSchedule}), and a program whose
 * timers real Node set so late (a busy machine) that they might have swapped runs again, up to
 * {@value #ATTEMPTS} times; the property fails if races are more than a third of the programs,
 * or programs still late after every attempt more than a fifth (then the check is not testing).
 * Run it on a quiet machine: real Node's order is what varies under load.
 *
 * <p>One try is a batch of {@link SideBySide#MAX_BATCH} programs, run together; a failing batch
 * shrinks to the one failing program, shrunk in turn. Size: {@code -Dfuzz.tries=N} programs
 * (default 300); {@code stress/fuzz} runs 100,000. Repeat a run with {@code -Dfuzz.seed=...}
 * (jqwik prints the seed of a failure). Skipped with a message where {@code node} is not
 * installed.
 */
@AddLifecycleHook(NodeRequired.class)
class DifferentialFuzzTest {
    private static final String NODE = NodeBatch.findNode();
    private static final boolean CHECK_VIRTUAL_TIMERS = Boolean.getBoolean("fuzz.checkVirtualTimers");
    /** How often the real-clock check runs a program whose timers were set late (a busy machine), at most. */
    private static final int ATTEMPTS = 3;
    private static final String COMPARED = "compared";
    private static final String COMPARED_RACE = "compared; on the real clock its timer order would be a race";
    private static final String RACE = "not compared: its timer order is a race on the real clock";
    private static final String LATE = "not compared: real Node set its timers too late in " + ATTEMPTS + " runs";

    /** The programs run so far and Node's logs of them (on virtual time), in order. */
    private final MessageDigest digest = sha256();
    private int programsRun;

    @Property(edgeCases = EdgeCasesMode.NONE, afterFailure = AfterFailureMode.SAMPLE_FIRST)
    @AddLifecycleHook(FuzzTries.class)
    void randomPrograms_logTheSameOnEventualAsInNode(@ForAll("batches") List<Program> batch) throws Exception {
        if (CHECK_VIRTUAL_TIMERS) {
            checkVirtualTimersAgainstRealNode(batch);
            return;
        }
        for (SideBySide.Result r : SideBySide.run(NODE, batch)) {
            record(r.program(), r.node());
            Statistics.label("programs").collect(r.timers().race().isPresent() ? COMPARED_RACE : COMPARED);
            Statistics.label("timers a program set").collect(timers(r.timers().count()));
            if (!r.matches()) {
                throw new AssertionError(LogDiff.describe(r, batch.indexOf(r.program()), batch.size()));
            }
        }
    }

    /**
     * The real-clock mode (see the class javadoc): Node's log on virtual time must equal real
     * Node's, for every program whose real-clock timer order is not a race.
     */
    private void checkVirtualTimersAgainstRealNode(List<Program> batch) throws Exception {
        List<NodeBatch.Output> virtual = NodeBatch.start(NODE, batch, true).outputs();
        for (int i = 0; i < batch.size(); i++) {
            record(batch.get(i), virtual.get(i).log());
        }
        List<EventualInterpreter.Run> schedules = SideBySide.runOnEventual(batch);
        List<Program> toRun = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            if (schedules.get(i).timers().race().isPresent()) {
                Statistics.label("programs").collect(RACE);
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
                    Statistics.label("compared runs: latest timer set after its virtual time").collect(lateness(out.lateness()));
                    outcome = attempt == 1 ? COMPARED : "compared, after a late run";
                    int index = batch.indexOf(program);
                    List<String> shim = virtual.get(index).log();
                    if (!shim.equals(out.log())) {
                        throw new AssertionError(LogDiff.describe(program, "Program " + index + " of a batch of "
                                + batch.size() + " logs differently in Node on virtual time (node/virtual-timers.js)"
                                + " than in real Node (real Node is the reference).", "real Node", out.log(),
                                "Node on virtual time", shim));
                    }
                }
                Statistics.label("programs").collect(outcome);
            }
            toRun = again;
        }
        Statistics.label("programs").coverage(c -> {
            c.check(RACE).percentage((Predicate<Double>) share -> share < 34.0);
            c.check(LATE).percentage((Predicate<Double>) share -> share < 20.0);
        });
    }

    private void record(Program program, List<String> nodeLog) {
        digest.update((program + "\0" + String.join("\n", nodeLog) + "\0").getBytes(StandardCharsets.UTF_8));
        programsRun++;
    }

    /** Prints the digest (see the class javadoc); after a failure it covers the shrinking runs too. */
    @AfterProperty
    void printDigest() {
        System.out.println("DifferentialFuzzTest: " + programsRun + " programs run; SHA-256 of the programs and Node's logs: "
                + HexFormat.of().formatHex(digest.digest()));
    }

    private static MessageDigest sha256() {
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

    @Provide
    Arbitrary<List<Program>> batches() {
        return Programs.programs().list().ofMinSize(1).ofMaxSize(SideBySide.MAX_BATCH).withSizeDistribution(FULL);
    }

    /** Generated batches are full; shrinking still removes programs, down to the one that fails. */
    private static final RandomDistribution FULL = new RandomDistribution() {
        @Override
        public RandomNumericGenerator createGenerator(int genSize, BigInteger min, BigInteger max, BigInteger center) {
            return random -> max;
        }
    };
}
