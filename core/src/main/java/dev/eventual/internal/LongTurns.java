package dev.eventual.internal;

/**
 * Times a loop's units of work for {@link LongTurnEvent}: the loop calls {@link #next} where a
 * unit starts and where it goes idle (the same places as {@link TurnMark}, so a unit is what the
 * watchdog calls one), and {@link AsyncBody#enter} brackets a body's turn with
 * {@link #bodyTurnStarts}/{@link #bodyTurnEnded}.
 *
 * <p>Cost: with no flight recorder, a unit pays a read and null check of {@code current} and a
 * read of {@link JfrSetup#ready} (the event class is not even loaded). With a recorder and no
 * recording that enables the event, {@code isEnabled()} is false and the JIT drops the unused
 * event object. With a recording that enables it: one event object and two clock reads per
 * unit; only the units past the threshold are written. Loop thread only (the thread with the
 * turn).
 */
final class LongTurns {
    private final EventLoopImpl loop;
    /** The unit in progress, timed; null when no recording wants the event. */
    private LongTurnEvent current;

    LongTurns(EventLoopImpl loop) {
        this.loop = loop;
    }

    /** The unit in progress (if timed) ends; a unit of {@code kind} starts, or the loop idles. */
    void next(int kind) {
        LongTurnEvent e = current;
        if (e != null) {
            current = null;
            end(e, loop);
        }
        if (kind != TurnMark.IDLE && JfrSetup.ready) {
            LongTurnEvent n = new LongTurnEvent();
            if (n.isEnabled()) {
                n.work = TurnMark.describe(kind);
                n.begin();
                current = n;
            }
        }
    }

    /** An async body is given the turn: its timing, or null when no recording wants it. */
    static LongTurnEvent bodyTurnStarts() {
        if (!JfrSetup.ready) {
            return null;
        }
        LongTurnEvent n = new LongTurnEvent();
        if (!n.isEnabled()) {
            return null;
        }
        n.work = "an async body's turn";
        n.begin();
        return n;
    }

    /** The body gave the turn back (it awaits or ended). */
    static void bodyTurnEnded(LongTurnEvent e, EventLoopImpl loop) {
        if (e != null) {
            end(e, loop);
        }
    }

    private static void end(LongTurnEvent e, EventLoopImpl loop) {
        e.end();
        if (e.shouldCommit()) {
            e.loop = loop.name();
            e.commit();
        }
    }
}
