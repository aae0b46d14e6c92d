package dev.eventual.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The differential fuzzer is deterministic on virtual time: the same seed gives the same
 * programs, and each program the same log, on both sides, however the runs are arranged. A batch
 * of generated programs runs twice, the second time in reverse order (so in Node each program's
 * timers share the one virtual queue with other programs' timers at other places, and on Eventual
 * the loops run in another order); every program's Node log and Eventual log must be the same in
 * both runs, and equal to each other. The batch holds programs whose timer order would be a race
 * on the real clock, which is where a real-clock run could differ from run to run. A batch of
 * async programs ({@link Programs.Focus#ASYNC}) is checked the same way. Skipped with a message
 * where {@code node} is not installed.
 */
class FuzzDeterminismTest {
    /** A seed whose batch holds programs with a real-clock race (the test checks that it does). */
    private static final long SEED = 9;

    @Test
    void theSameSeedGivesTheSameLogsOnEveryRun() throws Exception {
        assumeTrue(NodeBatch.findNode() != null, "node is not installed (not on PATH): the differential fuzzer needs it");
        List<Program> batch = Programs.generate(SEED, SideBySide.MAX_BATCH);
        assertThat(Programs.generate(SEED, SideBySide.MAX_BATCH)).as("the programs generated from seed %d", SEED).isEqualTo(batch);
        runTwice(batch);
    }

    /** The same for async programs, whose bodies run on virtual threads beside the loop thread. */
    @Test
    void theSameSeedGivesTheSameLogsOnEveryRun_async() throws Exception {
        assumeTrue(NodeBatch.findNode() != null, "node is not installed (not on PATH): the differential fuzzer needs it");
        List<Program> batch = Programs.generate(SEED, SideBySide.MAX_BATCH, Programs.Focus.ASYNC);
        assertThat(Programs.generate(SEED, SideBySide.MAX_BATCH, Programs.Focus.ASYNC))
                .as("the async programs generated from seed %d", SEED).isEqualTo(batch);
        runTwice(batch);
    }

    private static void runTwice(List<Program> batch) throws Exception {
        List<SideBySide.Result> first = SideBySide.run(NodeBatch.findNode(), batch);
        List<Program> reversed = new ArrayList<>(batch);
        Collections.reverse(reversed);
        List<SideBySide.Result> second = new ArrayList<>(SideBySide.run(NodeBatch.findNode(), reversed));
        Collections.reverse(second);

        assertThat(first).extracting(r -> r.timers().race().isPresent())
                .as("programs whose timer order would be a race on the real clock").contains(true);
        for (int i = 0; i < batch.size(); i++) {
            SideBySide.Result a = first.get(i);
            SideBySide.Result b = second.get(i);
            assertThat(b.node()).as("Node's log of program %d in the second run:%n%s", i, batch.get(i)).isEqualTo(a.node());
            assertThat(b.eventual()).as("Eventual's log of program %d in the second run:%n%s", i, batch.get(i))
                    .isEqualTo(a.eventual());
            assertThat(a.matches()).as(LogDiff.describe(a, i, batch.size())).isTrue();
        }
    }
}
