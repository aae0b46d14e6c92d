package dev.eventual.internal;

import java.util.Arrays;

/**
 * The pending timers of one loop: a binary min-heap ordered by (deadline, seq), with each timer
 * storing its index so cancellation removes it in O(log n) instead of leaving a tombstone.
 * Also counts the referenced timers, which keep a {@code run} loop alive.
 *
 * <p>Loop thread only; no synchronization.
 */
final class TimerQueue {
    private TimerTask[] heap = new TimerTask[16];
    private int size;
    private long nextSeq;
    private int referenced;

    int size() {
        return size;
    }

    /** How many timers in the queue keep the loop alive. */
    int referencedCount() {
        return referenced;
    }

    TimerTask peek() {
        return size == 0 ? null : heap[0];
    }

    void add(TimerTask t, long deadline) {
        assert t.index < 0 : "already queued";
        t.deadline = deadline;
        t.seq = nextSeq++;
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        t.index = size;
        heap[size++] = t;
        siftUp(t.index);
        if (t.referenced) {
            referenced++;
        }
    }

    TimerTask poll() {
        TimerTask first = heap[0];
        removeAt(0);
        return first;
    }

    void remove(TimerTask t) {
        if (t.index >= 0) {
            removeAt(t.index);
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

    /** Drops every timer (the loop is closing); returns how many there were. */
    int clear() {
        int n = size;
        for (int i = 0; i < size; i++) {
            heap[i].index = -1;
            heap[i].callback = null;
            heap[i] = null;
        }
        size = 0;
        referenced = 0;
        return n;
    }

    private void removeAt(int i) {
        TimerTask t = heap[i];
        t.index = -1;
        if (t.referenced) {
            referenced--;
        }
        TimerTask last = heap[--size];
        heap[size] = null;
        if (i < size) {
            heap[i] = last;
            last.index = i;
            siftDown(i);
            if (heap[i] == last) {
                siftUp(i);
            }
        }
    }

    private static boolean less(TimerTask a, TimerTask b) {
        return a.deadline < b.deadline || (a.deadline == b.deadline && a.seq < b.seq);
    }

    private void siftUp(int i) {
        TimerTask t = heap[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            TimerTask p = heap[parent];
            if (!less(t, p)) {
                break;
            }
            heap[i] = p;
            p.index = i;
            i = parent;
        }
        heap[i] = t;
        t.index = i;
    }

    private void siftDown(int i) {
        TimerTask t = heap[i];
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            int right = child + 1;
            if (right < size && less(heap[right], heap[child])) {
                child = right;
            }
            if (!less(heap[child], t)) {
                break;
            }
            heap[i] = heap[child];
            heap[i].index = i;
            i = child;
        }
        heap[i] = t;
        t.index = i;
    }
}
