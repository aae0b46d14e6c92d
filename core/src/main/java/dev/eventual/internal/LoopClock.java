package dev.eventual.internal;

/**
 * A loop's source of time, in ms since the loop was made (see {@link EventLoopImpl#clock}). The real
 * loop reads System.nanoTime; the testkit gives a loop a virtual clock that moves only when the
 * test says so. Read on the loop thread (and by async bodies, which hold its turn) and, for a
 * timer set from another thread, on the loop thread too: an implementation needs no more than a
 * volatile field.
 */
public interface LoopClock {
    /** The current time of the loop clock, in ms; never decreases. */
    long millis();
}
