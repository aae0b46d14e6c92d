package dev.eventual.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The shrinker finds small programs: with a fault planted in the comparison, the programs that
 * expose it shrink to a few statements. No Node: the reference is {@link EventualInterpreter}
 * and the "side under test" its broken twin {@link EventualInterpreter#runMisorderingMicrotasks},
 * which runs {@code queueMicrotask} callbacks as 0 ms timers. The smallest programs that show
 * that fault have two top-level statements (a microtask that logs, and anything asynchronous
 * that logs, a reaction or an unhandled-rejection report, say); the test allows a little more
 * than that minimum, since a greedy shrinker stops at a local minimum.
 */
class ShrinkerTest {
    private static final long SEED = 1;
    /** How many failing programs are shrunk (the first ones of the seed). */
    private static final int FAILING = 20;
    /** A shrunk program has at most this many top-level statements... */
    private static final int MAX_STATEMENTS = 3;
    /** ...and at most this {@link Simplifications#size}. */
    private static final int MAX_SIZE = 7;

    /** Both runs of a program: the reference and the broken twin. */
    private record Pair(List<String> reference, List<String> broken) {
        boolean differs() {
            return !reference.equals(broken);
        }
    }

    private static List<Pair> run(List<Program> programs) {
        return programs.stream()
                .map(p -> new Pair(EventualInterpreter.run(p).log(), EventualInterpreter.runMisorderingMicrotasks(p).log()))
                .toList();
    }

    @Test
    void programsThatExposeAPlantedFault_shrinkToAFewStatements() throws Exception {
        Shrinker<Pair> shrinker = new Shrinker<>(ShrinkerTest::run, Pair::differs, DifferentialFuzzTest.SHRINK_RUNS, SideBySide.MAX_BATCH);
        Programs.Sequence sequence = new Programs.Sequence(SEED);
        List<Integer> sizesBefore = new ArrayList<>();
        List<Integer> sizesAfter = new ArrayList<>();
        for (int index = 0; sizesAfter.size() < FAILING; index++) {
            Program program = sequence.next();
            Pair pair = run(List.of(program)).get(0);
            if (!pair.differs()) {
                continue;
            }
            Shrinker.Shrunk<Pair> shrunk = shrinker.shrink(program, pair);
            String report = LogDiff.describe(shrunk.program(), "Program " + index + " of seed " + SEED + ", shrunk from size "
                    + Simplifications.size(program) + " in " + shrunk.steps() + " steps, " + shrunk.runs() + " runs:",
                    "reference", shrunk.result().reference(), "broken", shrunk.result().broken());
            assertThat(shrunk.bounded()).as("shrinking stopped by its bound of %d runs: %s", DifferentialFuzzTest.SHRINK_RUNS, report)
                    .isFalse();
            assertThat(run(List.of(shrunk.program())).get(0).differs()).as("the shrunk program still fails: %s", report).isTrue();
            assertThat(shrunk.program().body()).as("top-level statements of the shrunk program: %s", report)
                    .hasSizeLessThanOrEqualTo(MAX_STATEMENTS);
            assertThat(Simplifications.size(shrunk.program())).as("size of the shrunk program: %s", report)
                    .isLessThanOrEqualTo(MAX_SIZE);
            assertThat(Simplifications.of(shrunk.program())).as("no one-step simplification of it still fails: %s", report)
                    .noneMatch(p -> run(List.of(p)).get(0).differs());
            sizesBefore.add(Simplifications.size(program));
            sizesAfter.add(Simplifications.size(shrunk.program()));
        }
        System.out.println("ShrinkerTest: " + FAILING + " programs of seed " + SEED + " expose the planted fault; sizes before "
                + sizesBefore + ", after shrinking " + sizesAfter);
    }

    @Test
    void theBoundStopsShrinking() throws Exception {
        Program failing = firstFailing();
        Shrinker<Pair> bounded = new Shrinker<>(ShrinkerTest::run, Pair::differs, 1, SideBySide.MAX_BATCH);
        Shrinker.Shrunk<Pair> shrunk = bounded.shrink(failing, run(List.of(failing)).get(0));
        assertThat(shrunk.runs()).as("candidate runs with a bound of 1").isEqualTo(1);
        assertThat(shrunk.bounded()).as("stopped by the bound").isTrue();
        assertThat(shrunk.result().differs()).as("the program it returns fails").isTrue();
    }

    @Test
    void shrinkingIsDeterministic() throws Exception {
        Program failing = firstFailing();
        Shrinker<Pair> shrinker = new Shrinker<>(ShrinkerTest::run, Pair::differs, DifferentialFuzzTest.SHRINK_RUNS, 7);
        Shrinker.Shrunk<Pair> a = shrinker.shrink(failing, run(List.of(failing)).get(0));
        Shrinker.Shrunk<Pair> b = shrinker.shrink(failing, run(List.of(failing)).get(0));
        assertThat(b.program()).as("the second shrink of the same program").isEqualTo(a.program());
        assertThat(b.runs()).as("candidate runs of the second shrink").isEqualTo(a.runs());
    }

    @Test
    void everyCandidateIsNormalizedAndSmaller() {
        List<Program> programs = new ArrayList<>(Programs.generate(SEED, 50));
        programs.addAll(Programs.generate(SEED, 50, Programs.Focus.ASYNC));
        for (Program program : programs) {
            for (Program candidate : Simplifications.of(program)) {
                assertThat(Normalizer.normalize(candidate)).as("a candidate of%n%s", program).isEqualTo(candidate);
                assertThat(Simplifications.size(candidate)).as("size of candidate%n%sof%n%s", candidate, program)
                        .isLessThan(Simplifications.size(program));
            }
        }
    }

    private static Program firstFailing() {
        Programs.Sequence sequence = new Programs.Sequence(SEED);
        while (true) {
            Program p = sequence.next();
            if (run(List.of(p)).get(0).differs()) {
                return p;
            }
        }
    }
}
