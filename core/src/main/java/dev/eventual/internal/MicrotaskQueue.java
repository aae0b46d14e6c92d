package dev.eventual.internal;

/**
 * The loop's microtask queue: a growable ring of (task, argument) pairs, FIFO.
 *
 * <p>Loop thread only: plain fields, no synchronization. A task is a {@link Reaction} (argument:
 * its source's encoded result; derived promises are reactions too), or a {@link Runnable} from
 * {@code queueMicrotask} (argument unused). Storing the argument beside the task lets a settled
 * promise schedule its reactions without allocating a job object per reaction. Slots are
 * cleared as they are taken, so the queue retains nothing that already ran.
 *
 * <p>A derived promise (the reaction of {@code then} and its kin, most microtasks) is run
 * through a class test and a direct call of the final {@link Derived#react}, not through the
 * {@link Reaction} interface: a program with more than two kinds of reaction makes the
 * interface call site megamorphic (an itable stub per microtask), while the class test stays
 * one compare whatever the mix.
 *
 * <p>Invariants: the pairs [head, tail) (mod length) are queued, all other slots are null;
 * head == tail means empty, so the ring holds at most length / 2 - 1 pairs and add grows it
 * before it would fill. add allocates (grow) before it writes anything, so an error there (an
 * OutOfMemoryError) leaves the queue as it was; its two writes and the tail update cannot fail.
 * drain moves head past a pair before running it, so a microtask that throws, or an error in
 * the loop's report of it, leaves the rest queued and nothing half-taken.
 *
 * <p>Shrinking ({@link #trim}, once per trim window of the loop, with the queue empty): the ring
 * only grows in add, at full, and shrinks when no drain in a whole window ran a quarter of its
 * pairs, to more than twice that peak. The gap between the two thresholds is the hysteresis: a
 * load that stays within a factor of two never resizes.
 *
 * <p>Renewal (keeping the ring young): the queue lives as long as its loop, so the garbage
 * collector soon moves its ring to the old generation; under G1 every store of a young object
 * (a reaction just made) into an old array then pays the post-write barrier's slow path, a
 * StoreLoad fence, and add makes such a store per microtask. So the ring is replaced by a fresh
 * array of the same length, which is young, at the end of a drain (the queue empty: nothing to
 * copy) once RENEW_AFTER microtasks and at least RENEW_LENGTHS ring lengths of them ran since
 * the last new ring: an array that moves to the old generation only after surviving several
 * young collections is replaced long before that at any rate of microtasks that matters, for at
 * most an eighth of a byte per microtask (the new array's 4 bytes a slot over the 32 slots'
 * worth of microtasks between renewals, with compressed pointers). Grow and trim make young
 * rings too, so they restart the count. A drain run inside another (a nested checkpoint) may
 * renew the ring: the outer drain re-reads ring, head and tail at each step, and finds the
 * queue empty as the inner one left it. A renewal that cannot allocate (an
 * OutOfMemoryError) keeps the ring it has: renewing is an optimisation, never needed.
 */
final class MicrotaskQueue {
    /** The ring's smallest length (32 pairs); it never shrinks below this. */
    private static final int MIN_LENGTH = 64;
    /** The fewest microtasks between two renewals of the ring (see the overview). */
    static final long RENEW_AFTER = 1 << 16;
    /** The fewest ring lengths of microtasks between two renewals (see the overview). */
    static final int RENEW_LENGTHS = 32;

    private Object[] ring = new Object[MIN_LENGTH]; // length is a power of two; pairs at even indexes
    private int head; // next pair to take
    private int tail; // next free pair
    /**
     * The most microtasks one drain ran since the last {@link #trim}: at least the most that were
     * queued at once (an overestimate when they queue each other one by one, which only makes
     * the ring shrink less).
     */
    private int peak;
    /** Drains that ran at least one microtask, and the microtasks they ran, for LoopSampler. */
    int drains;
    long drained;
    /** The most microtasks one drain ran since {@link #takeMostDrained}. */
    private int mostDrained;
    /** The value of {@link #drained} when the ring was last made (renewed, grown or trimmed). */
    private long madeAt;
    /** Rings made by renewal, for tests. */
    int renewals;
    /** Tests only: runs before a grow allocates, to inject the error an allocation may throw. */
    Runnable growHookForTest;

    boolean isEmpty() {
        return head == tail;
    }

    int size() {
        return ((tail - head) & (ring.length - 1)) >>> 1;
    }

    void add(Object task, Object arg) {
        Object[] r = ring;
        int t = tail;
        int next = (t + 2) & (r.length - 1);
        if (next == head) {
            // One pair short of full: grow before writing, so that an error in grow (an
            // OutOfMemoryError) leaves the queue as it was and this add throws it, queuing nothing.
            r = grow();
            t = tail;
            next = t + 2;
        }
        r[t] = task;
        r[t + 1] = arg;
        tail = next;
    }

    /** Doubles the ring, unrolled so that head moves to 0; returns it. Changes nothing if it throws. */
    private Object[] grow() {
        if (growHookForTest != null) {
            growHookForTest.run();
        }
        Object[] old = ring;
        int n = old.length;
        Object[] bigger = new Object[n << 1];
        int used = (tail - head) & (n - 1);
        if (head <= tail) {
            System.arraycopy(old, head, bigger, 0, used);
        } else {
            int firstPart = n - head;
            System.arraycopy(old, head, bigger, 0, firstPart);
            System.arraycopy(old, 0, bigger, firstPart, tail);
        }
        ring = bigger;
        head = 0;
        tail = used;
        madeAt = drained;
        return bigger;
    }

    /** Runs every microtask, including those queued while running, until the queue is empty. */
    void drain(EventLoopImpl loop) {
        int ran = 0;
        while (head != tail) {
            ran++;
            Object[] r = ring;
            int h = head;
            Object task = r[h];
            Object arg = r[h + 1];
            r[h] = null;
            r[h + 1] = null;
            head = (h + 2) & (r.length - 1);
            try {
                if (task instanceof Derived<?> derived) {
                    derived.react(arg); // a direct call: Derived.react is final (class comment)
                } else if (task instanceof Reaction reaction) {
                    reaction.react(arg);
                } else {
                    ((Runnable) task).run();
                }
            } catch (Throwable t) {
                loop.taskError(t);
            }
        }
        if (ran > peak) {
            peak = ran;
        }
        if (ran > 0) {
            drains++;
            drained += ran;
            if (ran > mostDrained) {
                mostDrained = ran;
            }
            if (drained - madeAt >= Math.max(RENEW_AFTER, (long) RENEW_LENGTHS * ring.length)) {
                renew();
            }
        }
    }

    /** Replaces the ring, empty here, by a young one of the same length (see the overview). */
    private void renew() {
        assert head == tail : "renew of a non-empty microtask queue";
        madeAt = drained;
        try {
            ring = new Object[ring.length];
        } catch (OutOfMemoryError e) {
            return; // keep the old ring: renewing is never needed (overview)
        }
        head = 0;
        tail = 0;
        renewals++;
    }

    /** The most microtasks one drain ran since the last call; starts a new count. */
    int takeMostDrained() {
        int most = mostDrained;
        mostDrained = 0;
        return most;
    }

    /**
     * Called by the loop once per trim window, with the queue empty: if no drain since the last
     * call ran a quarter of the ring's pairs, shrinks the ring to more than twice that peak (a
     * power of two, at least MIN_LENGTH); then starts a new window. Growing happens at a full ring, so
     * after a shrink the load must double before the ring grows again: a steady load never
     * resizes, and a burst's ring is let go one window after the burst.
     */
    void trim() {
        assert head == tail : "trim of a non-empty microtask queue";
        int pairs = ring.length >>> 1;
        if (ring.length > MIN_LENGTH && peak < pairs >>> 2) {
            // 4 * highestOneBit(peak) pairs: more than twice the peak, less than the old ring.
            ring = new Object[Math.max(MIN_LENGTH, 8 * Integer.highestOneBit(Math.max(1, peak)))];
            head = 0;
            tail = 0;
            madeAt = drained;
        }
        peak = 0;
    }

    /** Whether {@link #trim} could shrink the ring if the load stays as it is now. */
    boolean canShrink() {
        return ring.length > MIN_LENGTH;
    }

    /** The ring's length, for tests and soaks. */
    int capacity() {
        return ring.length;
    }

    /** Drops everything (the loop is closing); returns how many microtasks were dropped. */
    int clear() {
        int n = size();
        ring = new Object[MIN_LENGTH]; // lets go of the peak-sized ring too
        head = 0;
        tail = 0;
        peak = 0;
        return n;
    }
}
