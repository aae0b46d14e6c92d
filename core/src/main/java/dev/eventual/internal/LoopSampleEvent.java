package dev.eventual.internal;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Period;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * JFR periodic event {@code dev.eventual.LoopSample}: one per live loop per period (default 1 s;
 * set it as any JFR periodic event's, e.g. {@code dev.eventual.LoopSample#period=100ms}), made by
 * {@link LoopSampler}. Normally taken by the loop itself ({@code onLoop} true: exact counts, and
 * the lag of the sampling task); when the loop has not run the previous period's sampling task
 * yet, taken by JFR's thread instead ({@code onLoop} false: counts read without the loop, the lag
 * so far, no microtask figures).
 */
@Name("dev.eventual.LoopSample")
@Label("Event Loop Sample")
@Category("Eventual")
@Description("Per event loop, periodically: queued tasks, pending timers, keep-alives, async bodies, microtasks per checkpoint, loop lag")
@Period("1 s")
@StackTrace(false)
final class LoopSampleEvent extends Event {
    @Label("Event Loop")
    String loop;

    @Label("Taken On The Loop")
    @Description("True: exact, taken by the loop; false: the loop did not answer since the last sample, counts are approximate")
    boolean onLoop;

    @Label("Queued Tasks")
    int queuedTasks;

    @Label("Pending Timers")
    int pendingTimers;

    @Label("Keep-Alives")
    @Description("KeepAlive references held: I/O and other work in flight")
    int keepAlives;

    @Label("Async Bodies")
    @Description("Async bodies started and not finished (0 when not taken on the loop)")
    int asyncBodies;

    @Label("Checkpoints")
    @Description("Microtask checkpoints that ran at least one microtask since the previous sample taken on the loop")
    int checkpoints;

    @Label("Microtasks")
    @Description("Microtasks run since the previous sample taken on the loop")
    long microtasks;

    @Label("Microtasks Per Checkpoint")
    @Description("Microtasks over checkpoints that ran any, since the previous sample taken on the loop")
    double microtasksPerCheckpoint;

    @Label("Most Microtasks In A Checkpoint")
    int maxMicrotasksPerCheckpoint;

    @Label("Loop Lag")
    @Description("How long the sampling task waited in the loop's queue before it ran (or has waited so far)")
    @Timespan(Timespan.NANOSECONDS)
    long lag;
}
