package dev.eventual.internal;

import java.util.Arrays;

/**
 * The loop's microtask queue: a growable ring of (task, argument) pairs, FIFO.
 *
 * <p>Loop thread only: plain fields, no synchronization. A task is a {@link Reaction} (argument:
 * its source's encoded result; derived promises are reactions too), or a {@link Runnable} from
 * {@code queueMicrotask} (argument unused). Storing the argument beside the task lets a settled
 * promise schedule its reactions without allocating a job object per reaction. Slots are
 * cleared as they are taken, so the queue retains nothing that already ran.
 *
 * <p>Invariants: the pairs [head, tail) (mod length) are queued, all other slots are null;
 * head == tail means empty, so the ring holds at most length / 2 - 1 pairs and add grows it
 * before it would fill. add allocates (grow) before it writes anything, so an error there (an
 * OutOfMemoryError) leaves the queue as it was; its two writes and the tail update cannot fail.
 * drain moves head past a pair before running it, so a microtask that throws, or an error in
 * the loop's report of it, leaves the rest queued and nothing half-taken.
 */
final class MicrotaskQueue {
    private Object[] ring = new Object[64]; // length is a power of two; pairs at even indexes
    private int head; // next pair to take
    private int tail; // next free pair
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
        return bigger;
    }

    /** Runs every microtask, including those queued while running, until the queue is empty. */
    void drain(Loop loop) {
        while (head != tail) {
            Object[] r = ring;
            int h = head;
            Object task = r[h];
            Object arg = r[h + 1];
            r[h] = null;
            r[h + 1] = null;
            head = (h + 2) & (r.length - 1);
            try {
                if (task instanceof Reaction reaction) {
                    reaction.react(arg);
                } else {
                    ((Runnable) task).run();
                }
            } catch (Throwable t) {
                loop.taskError(t);
            }
        }
    }

    /** Drops everything (the loop is closing); returns how many microtasks were dropped. */
    int clear() {
        int n = size();
        Arrays.fill(ring, null);
        head = 0;
        tail = 0;
        return n;
    }
}
