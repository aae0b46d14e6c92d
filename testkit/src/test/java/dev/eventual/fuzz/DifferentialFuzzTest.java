package dev.eventual.fuzz;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Predicate;
import net.jqwik.api.AfterFailureMode;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.BeforeProperty;
import net.jqwik.api.statistics.Statistics;

/**
 * Differential fuzzing against Node.js: random small programs ({@link Programs}) run in Node
 * ({@link JsRenderer}) and on Eventual ({@link EventualInterpreter}), and every program's two
 * logs must be equal, line for line. The log records handler order, the values and reasons
 * handlers receive, and unhandled-rejection events, so it checks rules 2, 4 and 5 (see the
 * dev.eventual package overview) against the reference, not against anyone's memory of it.
 *
 * <p>Unhandled rejections are not avoided but compared: Node's {@code unhandledRejection} and
 * {@code rejectionHandled} events and Eventual's {@code onUnhandledRejection} hook both write to
 * the log. Programs whose timer order depends on execution time are not compared (see
 * {@link TimerSchedule}), and a program whose timers were set so late (a busy machine) that
 * they might have swapped runs again, up to {@value #ATTEMPTS} times. The statistics say how
 * many programs were compared; the property fails if races are more than a third of them, or
 * programs still late after every attempt more than a fifth (then the fuzzer is not testing).
 *
 * <p>One try is a batch of {@link SideBySide#MAX_BATCH} programs, run together; a failing batch
 * shrinks to the one failing program, shrunk in turn. Size: {@code -Dfuzz.tries=N} programs
 * (default 300, about 10 seconds); {@code stress/fuzz} runs 100,000. Repeat a run with
 * {@code -Dfuzz.seed=...} (jqwik prints the seed of a failure). Skipped with a message where
 * {@code node} is not installed.
 */
@AddLifecycleHook(NodeRequired.class)
class DifferentialFuzzTest {
    private static final String NODE = NodeBatch.findNode();
    /** How often a program runs when its timers were set late (a busy machine), at most. */
    private static final int ATTEMPTS = 3;
    private static final String COMPARED = "compared";
    private static final String RACE = "not compared: its timer order is a race";
    private static final String LATE = "not compared: timers set too late in " + ATTEMPTS + " runs";

    /**
     * Loads and links the interpreter's and Eventual's code paths before the first real batch: a
     * cold JVM can take tens of milliseconds in a first callback, enough to reorder timers.
     */
    @BeforeProperty
    void warmUp() throws InterruptedException {
        Random random = new Random(1);
        for (int round = 0; round < 3; round++) {
            SideBySide.runOnEventual(batches().generator(1000).next(random).value());
        }
    }

    @Property(edgeCases = EdgeCasesMode.NONE, afterFailure = AfterFailureMode.SAMPLE_FIRST)
    @AddLifecycleHook(FuzzTries.class)
    void randomPrograms_logTheSameOnEventualAsInNode(@ForAll("batches") List<Program> batch) throws Exception {
        List<Program> toRun = batch;
        for (int attempt = 1; !toRun.isEmpty(); attempt++) {
            List<Program> again = new ArrayList<>();
            for (SideBySide.Result r : SideBySide.run(NODE, toRun)) {
                String outcome;
                if (r.timerRace().isPresent()) {
                    outcome = RACE;
                } else if (r.late()) {
                    if (attempt < ATTEMPTS) {
                        again.add(r.program());
                        continue;
                    }
                    outcome = LATE;
                } else {
                    Statistics.label("compared runs: latest timer set after its ideal time").collect(lateness(r.lateness()));
                    outcome = attempt == 1 ? COMPARED : "compared, after a late run";
                    if (!r.matches()) {
                        throw new AssertionError(LogDiff.describe(r, batch.indexOf(r.program()), batch.size()));
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

    /** Buckets of {@link SideBySide.Result#lateness()}, for the statistics. */
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
