package dev.eventual.internal;

import java.lang.System.Logger.Level;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The blocked-loop watchdog: ONE daemon thread for the whole JVM ({@code eventual-watchdog},
 * started with the first watched loop) that reads each registered loop's {@link TurnMark}
 * every few milliseconds. A loop whose mark shows the same busy unit of work (a task, a timer
 * callback, a microtask checkpoint; an async body's turn runs inside one of those) for longer
 * than its threshold is reported once, as a warning through {@link Report}, with the stack of
 * the thread that holds it (the async body's when one has the turn); when the mark changes, a
 * second report (INFO) gives the total.
 *
 * <p>The loop pays one opaque store per unit of work (TurnMark). Times are the watchdog's: it
 * sees a unit start at its first reading after the start, so a duration is known to within one
 * period ({@link #period}: a quarter of the smallest threshold, at most 100 ms); the first report
 * says "at least", the second "about".
 *
 * <p>Threading: {@link Watched}'s plain fields are the watchdog thread's own; a loop's thread
 * only adds its entry at start and sets {@code gone} (volatile) when it stops, and the watchdog
 * removes the entry at its next reading.
 */
final class Watchdog {
    /** System property: the default threshold in ms for loops that do not set one; 0 turns it off. */
    static final String PROPERTY = "eventual.blockedThresholdMillis";
    static final long DEFAULT_MILLIS = 1000;

    private static final Set<Watched> LOOPS = ConcurrentHashMap.newKeySet();
    private static Thread thread; // guarded by Watchdog.class

    private Watchdog() {}

    /** The threshold from {@link #PROPERTY}, or {@link #DEFAULT_MILLIS} when unset or not a number >= 0. */
    static long defaultThresholdMillis() {
        String value = System.getProperty(PROPERTY);
        if (value == null) {
            return DEFAULT_MILLIS;
        }
        try {
            long millis = Long.parseLong(value.trim());
            return millis >= 0 ? millis : DEFAULT_MILLIS;
        } catch (NumberFormatException e) {
            return DEFAULT_MILLIS;
        }
    }

    /** Loop thread, as the loop starts running: watch it from now on. */
    static Watched register(EventLoopImpl loop, long thresholdMillis) {
        Watched w = new Watched(loop, TimeUnit.MILLISECONDS.toNanos(thresholdMillis));
        LOOPS.add(w);
        Thread t;
        synchronized (Watchdog.class) {
            if (thread == null) {
                thread = new Thread(Watchdog::watch, "eventual-watchdog");
                thread.setDaemon(true);
                thread.start();
            }
            t = thread;
        }
        LockSupport.unpark(t); // it may be parked with nothing to watch
        return w;
    }

    private static void watch() {
        for (;;) {
            if (LOOPS.isEmpty()) {
                LockSupport.park(); // register unparks; a spurious return just reads again
                continue;
            }
            long period = period();
            LockSupport.parkNanos(period);
            long now = System.nanoTime();
            for (Watched w : LOOPS) {
                try {
                    if (w.gone) {
                        LOOPS.remove(w);
                        w.ended(now);
                    } else {
                        w.check(now);
                    }
                } catch (Throwable e) {
                    // A report failed (out of memory): the watchdog must outlive it; the next reading retries.
                }
            }
        }
    }

    /** A quarter of the smallest threshold, between 1 and 100 ms. */
    private static long period() {
        long min = Long.MAX_VALUE;
        for (Watched w : LOOPS) {
            min = Math.min(min, w.thresholdNanos);
        }
        return Math.max(TimeUnit.MILLISECONDS.toNanos(1), Math.min(min / 4, TimeUnit.MILLISECONDS.toNanos(100)));
    }

    /** One watched loop. */
    static final class Watched {
        private final EventLoopImpl loop;
        private final long thresholdNanos;
        /** Set by the loop thread when it stops; the watchdog then drops this entry. */
        volatile boolean gone;
        // The watchdog thread's own:
        private long lastState = -1;
        private long since;
        private boolean reported;
        private String what;

        Watched(EventLoopImpl loop, long thresholdNanos) {
            this.loop = loop;
            this.thresholdNanos = thresholdNanos;
        }

        void check(long now) {
            long state = loop.mark.read();
            if (state != lastState) {
                ended(now);
                lastState = state;
                since = now;
                return;
            }
            int kind = TurnMark.kind(state);
            if (kind == TurnMark.IDLE || reported || now - since < thresholdNanos) {
                return;
            }
            reported = true;
            what = LoopThreadStack.what(loop, kind);
            LoopThreadStack stack = LoopThreadStack.of(loop);
            if (JfrSetup.ready) { // see JfrSetup: no event class before the recorder exists
                BlockedLoopEvent.emit(loop, what, now - since, thresholdNanos, stack);
            }
            Report.log(Level.WARNING, "[eventual] event loop '" + loop.name() + "' is blocked: " + what
                    + " has held it for at least " + millis(now - since) + " ms (threshold " + millis(thresholdNanos)
                    + " ms); the thread holding it is at:", stack);
        }

        /** The unit of work seen blocked has ended (or the loop stopped): the total, once. */
        void ended(long now) {
            if (reported) {
                reported = false;
                Report.log(Level.INFO, "[eventual] event loop '" + loop.name() + "' is no longer blocked: " + what
                        + " held it for about " + millis(now - since) + " ms in all", null);
            }
        }

        private static long millis(long nanos) {
            return TimeUnit.NANOSECONDS.toMillis(nanos);
        }
    }
}
