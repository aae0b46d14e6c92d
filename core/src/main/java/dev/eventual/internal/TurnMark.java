package dev.eventual.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * What a loop thread is doing, for the {@link Watchdog}: one long, {@code (turns << 3) | kind},
 * written by the loop thread when a unit of work starts (a task, a timer callback, a microtask
 * drain) and when it goes to sleep ({@link #IDLE}), read by the watchdog thread.
 *
 * <p>Invariant: only the loop thread writes {@code state}, and every write of a busy kind bumps
 * the turn count, so two different turns never have the same state (the count wraps after 2^61
 * turns). A loop whose state stays the same, busy, across the watchdog's readings for longer
 * than the threshold is in one unit of work all that time.
 *
 * <p>Memory ordering: an opaque write and opaque reads, no fence. Opaque gives what the watchdog
 * needs and no more: the long is read whole (no torn value), each reader sees this one variable's
 * writes in order (coherence; the count never seems to go back), and a write becomes visible
 * to the reader in bounded time; on x86 and ARM it compiles to a plain store, and it keeps the
 * JIT from merging or dropping the writes of a loop that runs many short tasks. Nothing else
 * is published through it: the watchdog reads the loop's thread (volatile) and which async
 * body has the turn (a plain racy read; a stale one only names the wrong stack in a report).
 * Being a heuristic, the watchdog can be late only by the time a store takes to become visible
 * (nanoseconds to microseconds), far below any threshold, so a report is never caused by a
 * stale read of a loop that moved on, and a stuck loop writes nothing, so its last state is
 * what the watchdog keeps seeing.
 *
 * <p>Padded on both sides: producers on other threads read the loop's own fields on every post,
 * and a store per task to their cache line would take it from them.
 */
final class TurnMark extends TurnMarkState {
    static final int IDLE = 0;
    static final int TASK = 1;
    static final int TIMER = 2;
    static final int MICROTASKS = 3;

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(TurnMarkState.class, "state", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused")
    private long q0, q1, q2, q3, q4, q5, q6, q7;

    /** Loop thread: a unit of work of {@code kind} starts. */
    void start(int kind) {
        STATE.setOpaque(this, ((state >>> 3) + 1) << 3 | kind);
    }

    /** Loop thread: the loop goes to sleep (or has stopped). */
    void idle() {
        STATE.setOpaque(this, state & ~7L);
    }

    /** Any thread: the current state. */
    long read() {
        return (long) STATE.getOpaque(this);
    }

    static int kind(long state) {
        return (int) (state & 7);
    }

    static String describe(int kind) {
        return switch (kind) {
            case TASK -> "a task";
            case TIMER -> "a timer callback";
            case MICROTASKS -> "a microtask checkpoint (promise reactions and microtasks)";
            default -> "nothing";
        };
    }
}

/** The padding before {@link TurnMark}'s state, then the state; see {@link TurnMark}. */
abstract class TurnMarkPad {
    @SuppressWarnings("unused")
    private long p0, p1, p2, p3, p4, p5, p6, p7;
}

/** The state itself, between the paddings; see {@link TurnMark}. */
abstract class TurnMarkState extends TurnMarkPad {
    /** Read by the loop thread plainly (it is the only writer), by others through TurnMark.read. */
    long state;
}
