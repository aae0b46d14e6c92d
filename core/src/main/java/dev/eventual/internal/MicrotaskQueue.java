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
 */
final class MicrotaskQueue {
    private Object[] ring = new Object[64]; // length is a power of two; pairs at even indexes
    private int head; // next pair to take
    private int tail; // next free pair

    boolean isEmpty() {
        return head == tail;
    }

    int size() {
        return ((tail - head) & (ring.length - 1)) >>> 1;
    }

    void add(Object task, Object arg) {
        Object[] r = ring;
        int t = tail;
        r[t] = task;
        r[t + 1] = arg;
        tail = (t + 2) & (r.length - 1);
        if (tail == head) {
            grow();
        }
    }

    private void grow() {
        Object[] old = ring;
        int n = old.length;
        Object[] bigger = new Object[n << 1];
        // The ring is full: head == tail. Unroll it so head moves to 0.
        int firstPart = n - head;
        System.arraycopy(old, head, bigger, 0, firstPart);
        System.arraycopy(old, 0, bigger, firstPart, head);
        ring = bigger;
        head = 0;
        tail = n;
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
