package dev.eventual.fuzz;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The timers one run of a program set, on the virtual clock of its Eventual run (where code
 * takes no time: a timer set at virtual time {@code t} with delay {@code d} is due at
 * {@code t + max(d, 1)}), and from them whether the program's timer order would be a race on the
 * real clock.
 *
 * <p>On virtual time there are no races: both sides run timers by (deadline, order set). On the
 * real clock, Node counts a delay from the moment the timer is set, in whole milliseconds, and
 * keeps one FIFO list per delay. So two timers with the same delay keep their order whatever
 * the code costs, and two with different delays keep it when their deadlines are far apart. A
 * timer set in a later callback starts late by however long the callbacks before it took, or by
 * how late the loop woke (on a loaded 2-core machine, several milliseconds); deadlines closer
 * than {@link #MARGIN_MILLIS} with different delays could swap, and Node breaks exact ties of
 * different delays by the age of its per-delay lists, not by the order the timers were set. Such
 * a program's real-Node log is no reference for the virtual-time one: the real-clock check of
 * {@link DifferentialFuzzTest} leaves it out (the statistics count how many).
 *
 * <p>The margin holds only while every timer is set within {@link #LATENESS_LIMIT_MILLIS} of its
 * virtual time; the Node runner measures how late the latest was on the real clock, and the check
 * runs a program again when it was later.
 *
 * <p>Thread of the program's run only.
 */
final class TimerSchedule {
    /** Deadlines of timers with different delays must be at least this far apart. */
    static final long MARGIN_MILLIS = 15;
    /**
     * Timers set later than this after their virtual time void a real-clock run: two timers swap
     * only if one was set more than the margin later than the other, less the rounding of whole
     * milliseconds.
     */
    static final double LATENESS_LIMIT_MILLIS = MARGIN_MILLIS - 3;

    private record Timer(int delay, long setAt, long dueAt) {}

    private final List<Timer> timers = new ArrayList<>();

    /** Records a timer set at virtual time {@code nowMillis}. */
    void set(int delay, long nowMillis) {
        int effective = Math.max(delay, 1); // Node and Eventual both: below 1 ms is 1 ms
        timers.add(new Timer(effective, nowMillis, nowMillis + effective));
    }

    /** How many timers the run set. */
    int count() {
        return timers.size();
    }

    /** Describes two timers whose order on the real clock depends on execution time, if there are such. */
    Optional<String> race() {
        for (int i = 0; i < timers.size(); i++) {
            for (int j = i + 1; j < timers.size(); j++) {
                Timer a = timers.get(i);
                Timer b = timers.get(j);
                if (a.delay != b.delay && Math.abs(a.dueAt - b.dueAt) < MARGIN_MILLIS) {
                    return Optional.of("a " + a.delay + " ms timer set at " + a.setAt + " ms and a " + b.delay
                            + " ms timer set at " + b.setAt + " ms are due at " + a.dueAt + " and " + b.dueAt
                            + " ms (virtual time)");
                }
            }
        }
        return Optional.empty();
    }
}
