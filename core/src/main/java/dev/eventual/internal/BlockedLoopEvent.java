package dev.eventual.internal;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * JFR event {@code dev.eventual.BlockedLoop}: the {@link Watchdog} found a loop held by one unit
 * of work past the loop's blocked threshold (the same moment as its warning), with the stack of
 * the thread holding it as text. An instant event, committed while the loop is still blocked, so
 * a recording dumped from a loop that never comes back still has it; the unit's total time is the
 * {@link LongTurnEvent} committed when it ends. Loops with the watchdog off have none.
 */
@Name("dev.eventual.BlockedLoop")
@Label("Blocked Event Loop")
@Category("Eventual")
@Description("An event loop held by one unit of work past its blocked-loop threshold, with the holding thread's stack")
@StackTrace(false)
final class BlockedLoopEvent extends Event {
    @Label("Event Loop")
    String loop;

    @Label("Work")
    @Description("What holds the loop, in words")
    String work;

    @Label("Blocked For")
    @Description("How long the unit had held the loop when the watchdog saw it (at least; the watchdog reads every quarter threshold)")
    @Timespan(Timespan.NANOSECONDS)
    long blockedFor;

    @Label("Threshold")
    @Timespan(Timespan.NANOSECONDS)
    long threshold;

    @Label("Thread")
    @Description("The name of the thread holding the loop (the loop's, or an async body's)")
    String thread;

    @Label("Holding Stack")
    @Description("The holding thread's stack at that moment, one frame a line")
    String holdingStack;

    /** Watchdog thread: commits the event for a report it just made, if a recording wants it. */
    static void emit(EventLoopImpl loop, String what, long blockedNanos, long thresholdNanos, LoopThreadStack stack) {
        BlockedLoopEvent e = new BlockedLoopEvent();
        if (!e.isEnabled()) {
            return;
        }
        e.loop = loop.name();
        e.work = what.endsWith(",") ? what.substring(0, what.length() - 1) : what;
        e.blockedFor = blockedNanos;
        e.threshold = thresholdNanos;
        if (stack != null) {
            e.thread = stack.getMessage();
            e.holdingStack = frames(stack.getStackTrace());
        }
        e.commit();
    }

    static String frames(StackTraceElement[] stack) {
        StringBuilder text = new StringBuilder();
        for (StackTraceElement frame : stack) {
            text.append(frame).append('\n');
        }
        return text.toString();
    }
}
