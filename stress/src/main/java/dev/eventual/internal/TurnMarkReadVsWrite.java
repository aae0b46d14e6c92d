package dev.eventual.internal;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJ_Result;

/**
 * The watchdog reads a loop's {@link TurnMark} while the loop thread writes it (a task, a timer
 * callback, then idle). Opaque access must give whole values (never a torn long) and, for two
 * readings in a row, never an older state after a newer one (coherence), so the watchdog never
 * sees a turn "come back". States in write order: 0 (initial), 9 (turn 1, task), 18 (turn 2,
 * timer), 16 (idle after turn 2).
 */
@JCStressTest
@Outcome(id = {"0, 0", "0, 9", "0, 18", "0, 16", "9, 9", "9, 18", "9, 16", "18, 18", "18, 16", "16, 16"},
        expect = Expect.ACCEPTABLE, desc = "two readings in write order")
@Outcome(expect = Expect.FORBIDDEN, desc = "a torn value, or an older state read after a newer one")
@State
public class TurnMarkReadVsWrite {
    private final TurnMark mark = new TurnMark();

    @Actor
    public void loopThread() {
        mark.start(TurnMark.TASK);
        mark.start(TurnMark.TIMER);
        mark.idle();
    }

    @Actor
    public void watchdog(JJ_Result r) {
        r.r1 = mark.read();
        r.r2 = mark.read();
    }
}
