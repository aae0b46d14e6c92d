package dev.eventual.fuzz;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The timers of one run of a program on an ideal clock, where code takes no time: a timer set
 * at ideal time {@code t} with delay {@code d} is due at {@code t + max(d, 1)}, and its callback
 * (with the microtasks after it) runs at that ideal time. From these, whether the program's
 * timer order is fixed or a race with execution time.
 *
 * <p>Why: Node and Eventual count a delay from the moment the timer is set, in whole
 * milliseconds, and run due timers in deadline order (equal delays in the order they were set:
 * Node keeps one FIFO list per delay, Eventual breaks deadline ties by sequence). So two timers
 * with the same delay keep their order whatever the code costs, and two with different delays
 * keep it when their ideal deadlines are far apart. A timer set in a later callback starts late
 * by however long the callbacks before it took, or by how late the loop woke (on a loaded
 * 2-core machine, several milliseconds); ideal deadlines closer than {@link #MARGIN_MILLIS}
 * with different delays could swap in either runtime, and Node breaks exact ties of different
 * delays by the age of its per-delay lists, not by the order the timers were set. Such a
 * program is not compared (the property counts how many).
 *
 * <p>The margin holds only while every timer is set within {@link #LATENESS_LIMIT_MILLIS} of
 * its ideal time; {@link #lateness()} says how late the latest was (the Node runner measures
 * the same for its side), and the property runs a program again when either side was later.
 *
 * <p>Loop thread of the program's run only.
 */
final class TimerSchedule {
    /** Ideal deadlines of timers with different delays must be at least this far apart. */
    static final long MARGIN_MILLIS = 15;
    /**
     * Timers set later than this after their ideal time void a run: two timers swap only if one
     * was set more than the margin later than the other, less the rounding of whole milliseconds.
     */
    static final double LATENESS_LIMIT_MILLIS = MARGIN_MILLIS - 3;

    private record Timer(int delay, long setAt, long dueAt) {}

    private final List<Timer> timers = new ArrayList<>();
    /** The ideal time of the callback running now: 0 for the top level. */
    private long now;
    private double lateness;

    /**
     * Records a timer set now, {@code elapsedMillis} after the program started; returns its ideal
     * deadline, to pass to {@link #fire}.
     */
    long set(int delay, double elapsedMillis) {
        lateness = Math.max(lateness, elapsedMillis - now);
        int effective = Math.max(delay, 1); // Node and Eventual both: below 1 ms is 1 ms
        Timer t = new Timer(effective, now, now + effective);
        timers.add(t);
        return t.dueAt;
    }

    /** A timer's callback starts: it and its microtasks run at its ideal deadline. */
    void fire(long dueAt) {
        now = dueAt;
    }

    /** How much later than its ideal time the latest timer was set, in milliseconds. */
    double lateness() {
        return lateness;
    }

    /** Describes two timers whose order depends on execution time, if there are such. */
    Optional<String> race() {
        for (int i = 0; i < timers.size(); i++) {
            for (int j = i + 1; j < timers.size(); j++) {
                Timer a = timers.get(i);
                Timer b = timers.get(j);
                if (a.delay != b.delay && Math.abs(a.dueAt - b.dueAt) < MARGIN_MILLIS) {
                    return Optional.of("a " + a.delay + " ms timer set at " + a.setAt + " ms and a " + b.delay
                            + " ms timer set at " + b.setAt + " ms are due " + a.dueAt + " and " + b.dueAt + " ms (ideal times)");
                }
            }
        }
        return Optional.empty();
    }
}
