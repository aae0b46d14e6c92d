package dev.eventual.internal;

/**
 * One thing a {@link TimelineRecorder} saw: a turn of the loop (a task or a timer callback with
 * its microtask checkpoint), a stretch of an async body (running, or waiting at await), or an
 * asynchronous operation (a timer waiting to fire, a request, a file or process operation) from
 * its start to the turn that received its outcome.
 *
 * <p>Made and changed only by the recorder, on the turn of its loop; every change after the span
 * is in its {@link TimelineLog} is made under that log's lock, and writers read copies taken
 * under it ({@link #copy}), so the fields need no other guard.
 */
final class TimelineSpan {
    /** A turn of the loop thread: a task or a timer callback, then its microtask checkpoint. */
    static final int TURN = 0;
    /** An async body running on its own thread, with the loop's turn. */
    static final int BODY_RUN = 1;
    /** An async body suspended at await. */
    static final int BODY_WAIT = 2;
    /** An asynchronous operation: a timer, a request, a file or process operation. */
    static final int OPERATION = 3;

    final int id;
    /** Which recorded loop (0 for the first), for the process of the trace. */
    final int loopIndex;
    final int kind;
    /**
     * The lane: "loop" for turns; the body's lane name for BODY_*; for an operation its category
     * ("timer", "fetch", "file", "process" or what the caller gave), packed into lanes on writing.
     */
    final String lane;
    /** Short, for the picture. */
    String name;
    /** Longer, for hovering; may be null. */
    String detail;
    /** System.nanoTime at the start. */
    final long start;
    /** System.nanoTime at the end; -1 while open. */
    long end = -1;
    /** Turns only: System.nanoTime when the microtask checkpoint began; -1 if it had nothing to run. */
    long checkpoint = -1;
    /** The id of the turn or body stretch that started this, or -1. */
    int cause = -1;
    /** Operations: the id of the turn or body stretch in which the outcome arrived, or -1. */
    int receivedBy = -1;
    /** Operations: how it ended ("fulfilled", "rejected: ...", "fired", "cancelled"), or null while open. */
    String outcome;

    TimelineSpan(int id, int loopIndex, int kind, String lane, String name, long start) {
        this.id = id;
        this.loopIndex = loopIndex;
        this.kind = kind;
        this.lane = lane;
        this.name = name;
        this.start = start;
    }

    TimelineSpan copy() {
        TimelineSpan c = new TimelineSpan(id, loopIndex, kind, lane, name, start);
        c.detail = detail;
        c.end = end;
        c.checkpoint = checkpoint;
        c.cause = cause;
        c.receivedBy = receivedBy;
        c.outcome = outcome;
        return c;
    }

    @Override
    public String toString() {
        return "TimelineSpan[" + id + " " + lane + " '" + name + "' " + start + ".." + end + "]";
    }
}
