package dev.eventual.internal;

import java.util.Arrays;

/**
 * The pending timers of one loop, in firing order: (deadline, insertion order), as Node. Also
 * counts the referenced timers, which keep a {@code run} loop alive.
 *
 * <pre>
 * Overview
 *
 * State: the slots [0, size) of three parallel arrays: tasks[i] (a TimerEntry: a TimerTask or a
 * Delay), deadlines[i] (loop clock, ms)
 * and seqs[i] (insertion order, unique among the slots). The key of a slot is (deadlines[i],
 * seqs[i]). Slots [0, heapSize) are a 4-ary min-heap: no slot's key is smaller than its
 * parent's, so slot 0 holds the smallest. Slots [heapSize, size) were added since the last look
 * at the top, in no order. Keys live in primitive arrays so that sifting compares without
 * touching an entry: with a million timers each such touch is a likely cache miss. 4-ary
 * rather than binary: half the levels, and a slot's four children share a cache line.
 *
 * Deferred ordering: add only appends. pollDue and nextDeadline, the only readers of the order,
 * first order(): sift the few new slots up one by one, or rebuild the whole heap bottom-up
 * (Floyd, O(size)) when they are many. A loop that sets many timers in one task (and cancels
 * most, as a request handler does) sorts only those still pending when it next looks at timers.
 *
 * Lazy deletion: cancel empties the timer's slot (tasks[i] = null) but leaves its key, so the
 * heap stays valid without sifting. An empty ("dead") slot is dropped when it reaches the top
 * (pollDue and nextDeadline pop dead tops first) or by a compaction, which moves live slots into
 * the dead ones below the new size and leaves every slot unordered, for order() to rebuild.
 *
 * Invariants, true between calls:
 *   - a live slot i holds an entry whose timerSlot() is i; an entry in no slot has timerSlot() -1;
 *   - dead = the number of empty slots; live timers = size - dead;
 *     referenced = the live timers whose entry is referenced;
 *   - dead <= size - dead: a cancel or poll that breaks this compacts at once, so there are at
 *     most two slots per live timer, and none when no timer is live;
 *   - the queue lets go of a cancelled task at once: a dead slot is 16 bytes and references
 *     nothing (TimerTask drops the callback itself; a Delay is settled by then).
 *
 * Costs, n slots: add O(1). order() O(k log n) for k new slots, O(1) each expected for random
 * deadlines, or O(n) when k > heapSize / 4, which is O(1) per slot added or kept by compaction
 * since the last order(). pollDue O(log n) per timer returned or dead top popped. cancel O(1)
 * amortized: a compaction is O(n) with n < 2 * dead, and each of those dead slots was one cancel
 * since the last compaction.
 *
 * Shrinking (trim, once per trim window of the loop): the arrays only grow in add, and shrink
 * when fewer than a quarter of their slots were in use for a whole window, to more than twice
 * that peak. The gap between the two thresholds is the hysteresis: a load that stays within a
 * factor of two never resizes.
 *
 * seqs are ints: when nextSeq reaches seqLimit (Integer.MAX_VALUE outside tests) the slots are
 * renumbered 0, 1, ... in their seq order, which keeps every comparison as it was.
 *
 * Threads: loop thread only, no synchronization. Other threads reach it through tasks posted to
 * the loop (TimerTask, Delay, EventLoopImpl.addTimer).
 * </pre>
 */
final class TimerQueue {
    private static final int INITIAL_CAPACITY = 16;

    /** The timer of each slot; null in a dead slot and beyond size. */
    private TimerEntry[] tasks = new TimerEntry[INITIAL_CAPACITY];
    private long[] deadlines = new long[INITIAL_CAPACITY];
    private int[] seqs = new int[INITIAL_CAPACITY];
    /** Slots in use, dead ones included. */
    private int size;
    /** Slots [0, heapSize) are the heap; [heapSize, size) were added since, in no order. */
    private int heapSize;
    /** Dead slots: emptied by a cancel, not yet dropped. */
    private int dead;
    /** Live slots whose task is referenced. */
    private int referenced;
    private int nextSeq;
    private final int seqLimit;
    /** The most slots in use since the last {@link #trim}. */
    private int peak;

    TimerQueue() {
        this(Integer.MAX_VALUE);
    }

    /** For tests: renumbers the seqs whenever {@code seqLimit} of them have been handed out. */
    TimerQueue(int seqLimit) {
        if (seqLimit < 1) {
            throw new IllegalArgumentException("seqLimit must be >= 1: " + seqLimit);
        }
        this.seqLimit = seqLimit;
    }

    /** How many timers will fire (cancelled ones not counted). */
    int size() {
        return size - dead;
    }

    /** Slots in use, dead ones included: at most {@code 2 * size()}. */
    int slots() {
        return size;
    }

    /** How many timers in the queue keep the loop alive. */
    int referencedCount() {
        return referenced;
    }

    /** The deadline of the next timer to fire; only when {@code size() > 0}. */
    long nextDeadline() {
        order();
        popDeadTops();
        assert size > 0 : "no timer";
        return deadlines[0];
    }

    /**
     * Appends {@code t} (see "Deferred ordering").
     *
     * <p>Why this shape: the common case is the append alone, with no call in it, and the rare
     * case (renumbering, growing) one call after which nothing of this method is needed. add is
     * small enough to be inlined into whatever sets a timer, up to the user's own code: with
     * {@code Promise.delay} in an async body, into the body's compiled frame. Compiled Java code
     * keeps every value that outlives a call in its frame (no register survives a call), the frame
     * is sized for its worst call site, and a suspended virtual thread keeps that frame whole in its
     * stack chunk for as long as it waits. Calls to renumber and grow made from here, with the
     * entry, the deadline and the callers' values live across them, made every body that awaits a
     * timer bigger (BENCHMARKS.md, "Suspended body with its own timer: bytes").
     */
    void add(TimerEntry t, long deadline) {
        assert t.timerSlot() < 0 : "already queued";
        if (size == tasks.length || nextSeq >= seqLimit) {
            addSlow(t, deadline);
        } else {
            append(t, deadline);
        }
    }

    /** {@link #add} when the seqs need renumbering or the arrays are full: makes room, then appends. */
    private void addSlow(TimerEntry t, long deadline) {
        if (nextSeq >= seqLimit) {
            renumber();
        }
        if (size == tasks.length) {
            grow();
        }
        append(t, deadline);
    }

    /** Puts {@code t} in a new slot at the end, unordered; there is room. */
    private void append(TimerEntry t, long deadline) {
        if (t.timerReferenced()) {
            referenced++;
        }
        put(size++, t, deadline, nextSeq++);
        if (size > peak) {
            peak = size;
        }
    }

    /**
     * Called by the loop once per trim window: if fewer than a quarter of the slots were in use
     * all window long, shrinks the arrays to more than twice that peak (a power of two, at least
     * INITIAL_CAPACITY); then starts a new window. Growing happens at full arrays, so after a
     * shrink the load must double before they grow again: a steady load never resizes, and the
     * arrays of a burst of timers are let go one window after it is over.
     */
    void trim() {
        int capacity = tasks.length;
        if (capacity > INITIAL_CAPACITY && peak < capacity >>> 2) {
            int smaller = Math.max(INITIAL_CAPACITY, 4 * Integer.highestOneBit(Math.max(1, peak)));
            tasks = Arrays.copyOf(tasks, smaller); // size <= peak < smaller: every slot in use is kept
            deadlines = Arrays.copyOf(deadlines, smaller);
            seqs = Arrays.copyOf(seqs, smaller);
        }
        peak = size;
    }

    /** Whether {@link #trim} could shrink the arrays if the load stays as it is now. */
    boolean canShrink() {
        return tasks.length > INITIAL_CAPACITY && size < tasks.length >>> 2;
    }

    /** Visits each live timer with its deadline, in no order; loop thread (LoopDescription). */
    void forEachLive(java.util.function.ObjLongConsumer<TimerEntry> visitor) {
        for (int i = 0; i < size; i++) {
            TimerEntry t = tasks[i];
            if (t != null) {
                visitor.accept(t, deadlines[i]);
            }
        }
    }

    /** The arrays' length, for tests and soaks. */
    int capacity() {
        return tasks.length;
    }

    /** Takes out and returns the next timer if its deadline is at most {@code now}, else null. */
    TimerEntry pollDue(long now) {
        order();
        popDeadTops();
        if (size == 0 || deadlines[0] > now) {
            return null;
        }
        TimerEntry t = tasks[0];
        removeTop();
        t.timerSlot(-1);
        if (t.timerReferenced()) {
            referenced--;
        }
        if (dead > size - dead) {
            compact();
        }
        return t;
    }

    /**
     * The loop's part of cancelling {@code t} (TimerTask has already claimed the cancellation, a
     * Delay has settled): its slot, if it has one, becomes dead. Idempotent.
     */
    void cancel(TimerEntry t) {
        int i = t.timerSlot();
        if (i < 0) {
            return;
        }
        tasks[i] = null;
        t.timerSlot(-1);
        dead++;
        if (t.timerReferenced()) {
            referenced--;
        }
        if (dead > size - dead) {
            compact();
        }
    }

    void setReferenced(TimerTask t, boolean ref) {
        if (t.referenced != ref) {
            t.referenced = ref;
            if (t.index >= 0) {
                referenced += ref ? 1 : -1;
            }
        }
    }

    /**
     * Drops every timer (the loop is closing); returns how many of them were dropped work: live,
     * referenced and not cancelled (a cancel from another thread may not have reached the queue
     * yet). An unref'd timer that never fired is not counted, as Node says nothing about it,
     * nor is one whose unref from another thread has not reached the queue yet.
     */
    int clear() {
        int dropped = 0;
        for (int i = 0; i < size; i++) {
            TimerEntry e = tasks[i];
            if (e != null) {
                if (e instanceof TimerTask t) {
                    // hasRef: the user's latest ref/unref, from any thread; the queue's own view
                    // (referenced) may not have taken an unref still queued as bookkeeping
                    if (t.hasRef() && t.isActive()) {
                        dropped++;
                    }
                    t.callback = null;
                } else if (!((Delay) e).isSettled()) { // settled: aborted from another thread, its removal queued
                    dropped++;
                }
                e.timerSlot(-1);
                tasks[i] = null;
            }
        }
        size = 0;
        heapSize = 0;
        dead = 0;
        referenced = 0;
        peak = 0;
        tasks = new TimerEntry[INITIAL_CAPACITY]; // lets go of the peak-sized arrays too
        deadlines = new long[INITIAL_CAPACITY];
        seqs = new int[INITIAL_CAPACITY];
        return dropped;
    }

    /** Only after {@link #order}. */
    private void popDeadTops() {
        while (size > 0 && tasks[0] == null) {
            removeTop();
            dead--;
        }
    }

    /** Only after {@link #order}. */
    private void removeTop() {
        assert heapSize == size : "unordered slots";
        int last = --size;
        heapSize = size;
        TimerEntry t = tasks[last];
        tasks[last] = null;
        if (last > 0) {
            siftDown(0, t, deadlines[last], seqs[last]);
        }
    }

    /** Drops every dead slot, leaving all slots unordered for {@link #order} to heapify. */
    private void compact() {
        // Each dead slot below the new size takes a live one from above it. Fewer moves than
        // shifting every live slot down, so fewer index writes on (cold) tasks and fewer G1
        // post-write barriers on this old array. Holes below `live` and live slots above it are
        // equally many, so `from` never goes below `live`.
        int live = size - dead;
        int from = size;
        for (int i = 0; i < live; i++) {
            if (tasks[i] == null) {
                do {
                    from--;
                } while (tasks[from] == null);
                move(from, i);
            }
        }
        Arrays.fill(tasks, live, size, null);
        size = live;
        heapSize = 0;
        dead = 0;
    }

    /**
     * Makes every slot part of the heap: sifts each unordered slot up when they are at most a
     * quarter of the heap (O(1) each expected, O(log n) at worst), else rebuilds the heap
     * bottom-up (Floyd: O(size), a few compares per slot).
     */
    private void order() {
        int unordered = size - heapSize;
        if (unordered == 0) {
            return;
        }
        if (unordered <= heapSize >>> 2) {
            for (int i = heapSize; i < size; i++) {
                siftUp(i, tasks[i], deadlines[i], seqs[i]);
            }
        } else {
            for (int i = (size - 2) >> 2; i >= 0; i--) { // from the last slot's parent: leaves need no sift
                siftDown(i, tasks[i], deadlines[i], seqs[i]);
            }
        }
        heapSize = size;
    }

    /** Maps the seqs in use onto 0, 1, ... in the same order, so every comparison stays as it was. */
    private void renumber() {
        compact();
        long[] bySeq = new long[size];
        for (int i = 0; i < size; i++) {
            bySeq[i] = (long) seqs[i] << 32 | i;
        }
        Arrays.sort(bySeq);
        for (int rank = 0; rank < size; rank++) {
            seqs[(int) bySeq[rank]] = rank;
        }
        nextSeq = size;
    }

    private void grow() {
        int capacity = tasks.length * 2;
        tasks = Arrays.copyOf(tasks, capacity);
        deadlines = Arrays.copyOf(deadlines, capacity);
        seqs = Arrays.copyOf(seqs, capacity);
    }

    /** Puts (t, deadline, seq) into the hole at {@code i}, moving larger ancestors down. */
    private void siftUp(int i, TimerEntry t, long deadline, int seq) {
        while (i > 0) {
            int parent = (i - 1) >>> 2;
            long d = deadlines[parent];
            if (d < deadline || (d == deadline && seqs[parent] < seq)) {
                break;
            }
            move(parent, i);
            i = parent;
        }
        put(i, t, deadline, seq);
    }

    /**
     * Puts (t, deadline, seq) into the hole at {@code i}, moving smaller descendants up. {@code t}
     * is null when a dead slot sinks.
     */
    private void siftDown(int i, TimerEntry t, long deadline, int seq) {
        for (;;) {
            int first = (i << 2) + 1;
            if (first >= size) {
                break;
            }
            int min = first;
            long minDeadline = deadlines[first];
            int end = Math.min(first + 4, size);
            for (int c = first + 1; c < end; c++) {
                long d = deadlines[c];
                if (d < minDeadline || (d == minDeadline && seqs[c] < seqs[min])) {
                    min = c;
                    minDeadline = d;
                }
            }
            if (deadline < minDeadline || (deadline == minDeadline && seq < seqs[min])) {
                break;
            }
            move(min, i);
            i = min;
        }
        put(i, t, deadline, seq);
    }

    private void move(int from, int to) {
        put(to, tasks[from], deadlines[from], seqs[from]);
    }

    private void put(int i, TimerEntry t, long deadline, int seq) {
        tasks[i] = t;
        if (t != null) {
            t.timerSlot(i);
        }
        deadlines[i] = deadline;
        seqs[i] = seq;
    }
}
