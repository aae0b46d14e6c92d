package dev.eventual.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The bounded store behind {@link dev.eventual.Timeline}: the spans its recorders saw, in the
 * order they began, at most {@code capacity} of them.
 *
 * <p>Bounded memory: once {@code capacity} spans are kept, a new span is not stored and only
 * counted ({@link #dropped}); spans already kept still get their ends, so the first part of a
 * long recording stays whole and the writers mark where the dropping began. Keeping the first
 * spans rather than the last ones means no span ever loses the span that caused it.
 *
 * <p>Threads: recorders add and change spans on their loops' turns; writers take a
 * {@link #snapshot} from any thread. Both hold {@code lock}, so a snapshot is a consistent copy
 * and a span is never read half-changed. The lock is taken only while recording, never on a
 * loop that does not record.
 */
public final class TimelineLog {
    private final ReentrantLock lock = new ReentrantLock();
    private final int capacity;
    /** Guarded by lock. */
    private final List<TimelineSpan> spans = new ArrayList<>();
    /** Names of the recorded loops, by loop index; guarded by lock. */
    private final List<String> loops = new ArrayList<>();
    /** Guarded by lock. */
    private long dropped;
    /** System.nanoTime of the first span not stored, or -1; guarded by lock. */
    private long firstDropped = -1;
    /** System.nanoTime when the first recorder started; the trace's time zero. Guarded by lock. */
    private long origin = -1;
    /** Guarded by lock. */
    private int nextId;

    /**
     * A log that keeps at most {@code capacity} spans.
     *
     * @param capacity at least 1
     */
    public TimelineLog(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("maxEvents must be >= 1: " + capacity);
        }
        this.capacity = capacity;
    }

    public int capacity() {
        return capacity;
    }

    /** A new loop starts recording here: returns its index. */
    int addLoop(String name, long now) {
        lock.lock();
        try {
            if (origin < 0) {
                origin = now;
            }
            loops.add(name);
            return loops.size() - 1;
        } finally {
            lock.unlock();
        }
    }

    /** Stores a new span, or counts it as dropped and returns null when the log is full. */
    TimelineSpan open(int loopIndex, int kind, String lane, String name, String detail, int cause, long start) {
        lock.lock();
        try {
            if (spans.size() >= capacity) {
                if (dropped++ == 0) {
                    firstDropped = start;
                }
                return null;
            }
            TimelineSpan span = new TimelineSpan(nextId++, loopIndex, kind, lane, name, start);
            span.detail = detail;
            span.cause = cause;
            spans.add(span);
            return span;
        } finally {
            lock.unlock();
        }
    }

    /** Runs {@code change} on spans already stored, under the lock. */
    void change(Runnable change) {
        lock.lock();
        try {
            change.run();
        } finally {
            lock.unlock();
        }
    }

    /** How many spans are stored. */
    public int size() {
        lock.lock();
        try {
            return spans.size();
        } finally {
            lock.unlock();
        }
    }

    /** How many spans were not stored because the log was full. */
    public long dropped() {
        lock.lock();
        try {
            return dropped;
        } finally {
            lock.unlock();
        }
    }

    /** A consistent copy, for the writers. */
    Snapshot snapshot() {
        lock.lock();
        try {
            List<TimelineSpan> copy = new ArrayList<>(spans.size());
            for (TimelineSpan s : spans) {
                copy.add(s.copy());
            }
            return new Snapshot(copy, List.copyOf(loops), dropped, firstDropped, origin < 0 ? System.nanoTime() : origin,
                    System.nanoTime(), capacity);
        } finally {
            lock.unlock();
        }
    }

    /**
     * What the writers read: the spans (in the order they began, ids ascending), the loops'
     * names, the drop count and when dropping began (-1: never), the time origin and the time
     * of the snapshot (open spans end there), all in System.nanoTime.
     */
    record Snapshot(List<TimelineSpan> spans, List<String> loops, long dropped, long firstDropped, long origin,
                    long taken, int capacity) {}
}
