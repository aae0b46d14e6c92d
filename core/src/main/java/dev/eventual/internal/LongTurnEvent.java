package dev.eventual.internal;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Threshold;

/**
 * JFR event {@code dev.eventual.LongTurn}: one unit of a loop's work (a task, a timer callback, a
 * microtask checkpoint, an async body's turn) that took longer than the event's threshold; its
 * duration is the unit's. Default threshold 50 ms, the W3C Long Tasks API's "long task": past it,
 * a loop answers other work visibly late. Set it as any JFR event's, e.g.
 * {@code -XX:StartFlightRecording:dev.eventual.LongTurn#threshold=10ms}. Timed by
 * {@link LongTurns}; no stack trace (it would be the loop's own code, at the unit's end).
 */
@Name("dev.eventual.LongTurn")
@Label("Long Turn")
@Category("Eventual")
@Description("A task, timer callback, microtask checkpoint or async body turn that held an event loop longer than the threshold")
@Threshold("50 ms")
@StackTrace(false)
final class LongTurnEvent extends Event {
    @Label("Event Loop")
    @Description("The name of the loop")
    String loop;

    @Label("Work")
    @Description("What held the loop: a task, a timer callback, a microtask checkpoint, an async body turn")
    String work;
}
