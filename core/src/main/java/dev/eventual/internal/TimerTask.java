package dev.eventual.internal;

import dev.eventual.Timer;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A timeout or interval of one loop, and its place in that loop's {@link TimerQueue}.
 *
 * <p>{@code state} is the only field other threads touch: {@code ACTIVE -> FIRED} (a timeout
 * ran) or {@code -> CANCELLED}, by CAS, so {@link #isActive()} is exact from any thread and a
 * cancel that wins the CAS guarantees the callback never starts. Everything else ({@code
 * deadline}, {@code seq}, {@code index}, {@code referenced}) is confined to the loop thread;
 * methods called elsewhere post their change to the loop.
 */
final class TimerTask implements Timer {
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

    final Loop loop;
    /** Cleared when the timer can no longer run, so a dead timer retains nothing. */
    Runnable callback;
    /** 0 for a timeout, else the interval in ms. */
    final long period;
    /** Loop thread only: due time on the loop clock, in ms. */
    long deadline;
    /** Loop thread only: insertion order, breaks ties between equal deadlines (FIFO, as Node). */
    long seq;
    /** Loop thread only: position in the heap, -1 when not in it. */
    int index = -1;
    /** Loop thread only: whether it keeps the loop alive. */
    boolean referenced = true;
    /** Volatile mirror of {@code referenced} for {@link #hasRef()} from other threads. */
    private volatile boolean refView = true;
    @SuppressWarnings("unused") // accessed through STATE
    private volatile int state;

    TimerTask(Loop loop, Runnable callback, long period) {
        this.loop = loop;
        this.callback = callback;
        this.period = period;
    }

    /** Loop thread: claims a timeout's single run; false if it was cancelled first. */
    boolean markFired() {
        return STATE.compareAndSet(this, ACTIVE, FIRED);
    }

    @Override
    public void cancel() {
        if (STATE.compareAndSet(this, ACTIVE, CANCELLED)) {
            loop.runOnLoop(() -> {
                loop.timers.remove(this);
                callback = null;
            });
        }
    }

    @Override
    public Timer unref() {
        refView = false;
        loop.runOnLoop(() -> loop.timers.setReferenced(this, false));
        return this;
    }

    @Override
    public Timer ref() {
        refView = true;
        loop.runOnLoop(() -> loop.timers.setReferenced(this, true));
        return this;
    }

    @Override
    public boolean hasRef() {
        return refView;
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
        return kind + "[" + s + (refView ? "" : ", unref'd") + ", loop '" + loop.name() + "']";
    }
}
