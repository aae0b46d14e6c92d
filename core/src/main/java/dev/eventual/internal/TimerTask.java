package dev.eventual.internal;

import dev.eventual.Timeout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A timeout or interval of one loop, and its place in that loop's {@link TimerQueue}.
 *
 * <p>{@code state} is the only field other threads touch: {@code ACTIVE -> FIRED} (a timeout
 * ran) or {@code -> CANCELLED}, by CAS, so {@link #isActive()} is exact from any thread and a
 * cancel that wins the CAS guarantees the callback never starts. Everything else ({@code
 * callback}, {@code referenced}, {@code index}) is confined to the loop thread; methods called
 * elsewhere post their change to the loop. The deadline and insertion order live in the queue's
 * arrays, not here: 40 bytes per timer (compressed oops), plus 16 per queue slot.
 */
final class TimerTask implements Timeout, TimerEntry {
    static final int ACTIVE = 0;
    static final int FIRED = 1;
    static final int CANCELLED = 2;

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(TimerTask.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final EventLoopImpl loop;
    /** Cleared when the timer can no longer run, so a dead timer retains nothing. */
    Runnable callback;
    /** 0 for a timeout, else the interval in ms. */
    final long period;
    /** Loop thread only: whether it keeps the loop alive. */
    boolean referenced = true;
    /** Loop thread only: this timer's slot in its {@link TimerQueue}, -1 when in none. */
    int index = -1;
    /**
     * Volatile mirror of {@code !referenced} for {@link #hasRef()} from other threads. Negated so
     * that its initial value is the default: a volatile write in the constructor would cost every
     * setTimeout a full fence.
     */
    private volatile boolean unrefView;
    @SuppressWarnings("unused") // accessed through STATE
    private volatile int state;

    TimerTask(EventLoopImpl loop, Runnable callback, long period) {
        this.loop = loop;
        this.callback = callback;
        this.period = period;
    }

    @Override
    public int timerSlot() {
        return index;
    }

    @Override
    public void timerSlot(int i) {
        index = i;
    }

    @Override
    public boolean timerReferenced() {
        return referenced;
    }

    /** Loop thread: claims a timeout's single run; false if it was cancelled first. */
    boolean markFired() {
        return STATE.compareAndSet(this, ACTIVE, FIRED);
    }

    @Override
    public void cancel() {
        if (STATE.compareAndSet(this, ACTIVE, CANCELLED)) {
            if (loop.inEventLoop()) {
                drop(); // directly: cancelling on the loop is the common case and must not allocate
            } else {
                loop.post((Bookkeeping) this::drop);
            }
        }
    }

    /**
     * The task that queues this timer, set from another thread, {@code delay} ms after the loop
     * clock of the iteration that runs it. At close it counts as a timer not run if it is still
     * active and referenced, not as a task.
     */
    Bookkeeping queueing(long delay) {
        return new Bookkeeping() {
            @Override
            public void run() {
                if (isActive()) {
                    loop.timers.add(TimerTask.this, loop.dueAfter(delay));
                    if (loop.recorder != null) {
                        loop.recorder.timerSet(TimerTask.this, period, delay);
                    }
                }
            }

            @Override
            public int timersNotStarted() {
                return isActive() && hasRef() ? 1 : 0;
            }
        };
    }

    /** Loop thread, once cancelled: leaves the queue and lets go of the callback. */
    private void drop() {
        loop.timers.cancel(this);
        if (loop.recorder != null) {
            loop.recorder.timerCancelled(this);
        }
        callback = null;
    }

    @Override
    public Timeout unref() {
        unrefView = true;
        loop.runOnLoop((Bookkeeping) () -> loop.timers.setReferenced(this, false));
        return this;
    }

    @Override
    public Timeout ref() {
        unrefView = false;
        loop.runOnLoop((Bookkeeping) () -> loop.timers.setReferenced(this, true));
        return this;
    }

    @Override
    public boolean hasRef() {
        return !unrefView;
    }

    @Override
    public boolean isActive() {
        return (int) STATE.getVolatile(this) == ACTIVE;
    }

    @Override
    public String toString() {
        String kind = period == 0 ? "Timeout" : "Interval(" + period + " ms)";
        String s = switch ((int) STATE.getVolatile(this)) {
            case ACTIVE -> "active";
            case FIRED -> "fired";
            default -> "cancelled";
        };
        return kind + "[" + s + (unrefView ? ", unref'd" : "") + ", loop '" + loop.name() + "']";
    }
}
