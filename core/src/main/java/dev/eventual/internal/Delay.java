package dev.eventual.internal;

import dev.eventual.AbortSignal;
import dev.eventual.Promise;
import java.time.Duration;
import java.util.Objects;

/**
 * The promise of {@code Promise.delay(duration[, signal])}: fulfilled with {@code null} by a
 * timer (a task of the loop, as {@code setTimeout}'s callback), rejected with the signal's reason
 * if the signal aborts first (the timer is cleared), and, when cancelled, its timer is cleared so
 * that the loop can end at once (rules 6 and 7). The web's pattern
 * {@code new Promise((res, rej) => { const t = setTimeout(res, ms); signal.addEventListener('abort',
 * () => { clearTimeout(t); rej(signal.reason); }) })}, in one object.
 *
 * <pre>
 * Overview
 *
 * The promise is its own timer: it is the {@link TimerEntry} its loop's {@link TimerQueue} holds,
 * not the callback of a {@link TimerTask}. A pending delay is then one object (the TimerTask
 * was 40 bytes more per delay: a loop, a callback, a period, ref flags and a CAS state that
 * Promise.delay has no use for). What a TimerTask's fields did is here:
 *   - its state (ACTIVE, FIRED, CANCELLED) is the promise's: the timer is live while the promise
 *     is pending; the timer's run fulfils it only if nothing settled it first (complete's CAS:
 *     the first settle wins), so an abort or cancel that won is never undone by the timer;
 *   - its slot is {@code slot}, loop thread only, as TimerTask.index;
 *   - a delay always keeps its loop alive (there is no unref for it);
 *   - with async stack traces on, the timer runs under the site of the Promise.delay call, as
 *     a TracedRun around a timer callback does ({@link Traced}).
 *
 * Invariant: once the promise has settled, its entry leaves the queue: at once when it settled on
 * the loop's turn (the timer ran, a cancel, an abort on the loop), else by a task posted to the
 * loop ({@link #clearTimer}), after which the queue holds no reference to it; a timer that runs
 * first in between finds the promise settled and does nothing.
 *
 * Threads: the timer runs on the loop thread; the signal's algorithm on the signal's loop (or
 * the aborting thread once that loop has closed); cancel's hook on the loop thread. They meet only
 * through the settling CAS (the first wins), then clearTimer, which touches the queue only on the
 * loop's turn, and Signal.unsubscribe (idempotent, thread-safe). {@code subscription} is written
 * before the promise is returned, then only cleared (a stale read repeats an idempotent call).
 * </pre>
 */
public class Delay extends TriggeredPromise<Void> implements Runnable, TimerEntry {
    /** Loop thread only: this delay's slot in its loop's {@link TimerQueue}, -1 when in none. */
    private int slot = -1;

    private Delay(EventLoopImpl loop) {
        super(loop);
    }

    /**
     * {@code Promise.delay}, on {@code loop}'s turn (the loop thread, or an async body that has
     * the turn): see the overview.
     *
     * @param loop the loop of the calling thread
     * @param delay the delay, rounded down to ms (below 1 ms: 1 ms, as Node)
     * @param abortSignal the signal that rejects it first, or null
     * @return the delay's promise
     */
    public static Promise<Void> start(EventLoopImpl loop, Duration delay, AbortSignal abortSignal) {
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must be >= 0: " + delay);
        }
        Delay d;
        if (loop.traces) {
            Traced traced = new Traced(loop);
            traced.site = Traces.site(loop, "delay", traced);
            d = traced;
        } else {
            d = new Delay(loop);
        }
        if (abortSignal != null) {
            Signal s = Signal.of(abortSignal);
            if (s.aborted()) {
                d.tryReject(s.reason()); // the web rejects at once with the reason, no timer
                return d;
            }
            d.signal = s;
            d.subscription = s.subscribe(d::aborted, Signal.ALGORITHM);
            if (d.subscription == null) { // aborted in between
                d.tryReject(s.reason());
                return d;
            }
        }
        loop.addDelay(d, delay.toMillis());
        if (d.isSettled()) {
            d.clearTimer(); // aborted from another thread while the timer was being set
        }
        return d;
    }

    /** The timer fired (loop thread; the queue has let go of this entry). */
    @Override
    public void run() {
        if (complete(NIL)) {
            unsubscribe();
        }
    }

    private void aborted() {
        subscription = null;
        if (tryReject(signal.reason())) {
            clearTimer();
        }
    }

    @Override
    PromiseImpl<?> producerCancelled() {
        clearTimer();
        unsubscribe();
        return null;
    }

    /**
     * Once settled: takes the timer out of the loop's queue, directly on the loop's turn (no
     * allocation: cancelling on the loop is the common case), else by a task posted to the loop
     * (none runs once the loop has closed, whose queue has let go of every entry).
     */
    private void clearTimer() {
        if (loop.inEventLoop()) {
            dropTimer();
        } else {
            loop.post((Bookkeeping) this::dropTimer);
        }
    }

    /** Loop's turn: leaves the queue if still in it (idempotent). */
    private void dropTimer() {
        loop.timers.cancel(this);
        if (loop.recorder != null) {
            loop.recorder.timerCancelled(this);
        }
    }

    /**
     * The task that queues this delay's timer when it was set off the loop's turn, {@code delay}
     * ms after the loop clock of the iteration that runs it; at close it counts as a timer not run
     * while the delay is pending.
     */
    Bookkeeping queueing(long delay) {
        return new Bookkeeping() {
            @Override
            public void run() {
                if (!isSettled()) {
                    loop.timers.add(Delay.this, loop.dueAfter(delay));
                    if (loop.recorder != null) {
                        loop.recorder.timerSet(Delay.this, 0, delay);
                    }
                }
            }

            @Override
            public int timersNotStarted() {
                return isSettled() ? 0 : 1;
            }
        };
    }

    @Override
    public final int timerSlot() {
        return slot;
    }

    @Override
    public final void timerSlot(int i) {
        slot = i;
    }

    @Override
    public final boolean timerReferenced() {
        return true;
    }

    /** A delay of a loop with async stack traces on: its timer runs under the Promise.delay call's site. */
    private static final class Traced extends Delay {
        /** Written before the promise is published. */
        Trace site;

        Traced(EventLoopImpl loop) {
            super(loop);
        }

        @Override
        public void run() {
            Trace saved = loop.trace;
            loop.trace = site;
            try {
                super.run();
            } finally {
                loop.trace = saved;
            }
        }
    }
}
