package dev.eventual.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The loop's task queue: unbounded, many producers (any thread), one consumer (the loop thread).
 *
 * <p>Dmitry Vyukov's intrusive MPSC node queue ("Non-intrusive MPSC node-based queue",
 * 1024cores.net). Producers swing {@code tail} with one atomic exchange and then link the old
 * tail to the new node; the consumer walks {@code head.next}. Wait-free for producers, no CAS
 * retry loop anywhere.
 *
 * <p>Invariants and memory ordering:
 * <ul>
 *   <li>{@code tail} is changed only by {@code getAndSet} (volatile): it totally orders producers
 *       and is the linearization point of {@link #offer}.</li>
 *   <li>{@code node.next} is written once, with release ({@code setRelease}), after the node's
 *       item was written; the consumer reads it with acquire ({@code getAcquire}), so it sees
 *       the item. Pairs: NEXT.setRelease in offer / NEXT.getAcquire in poll.</li>
 *   <li>NOTE: between a producer's exchange and its link, the queue is non-empty but the node
 *       is not reachable from {@code head}: {@link #poll} returns null while
 *       {@link #isEmpty} says false. The consumer spins briefly in that window
 *       ({@link #pollSpinning}); it lasts a few instructions unless the producer is descheduled.</li>
 *   <li>{@code head} and the items after it are consumer-only (loop thread), plain access.</li>
 * </ul>
 */
final class TaskQueue {
    private static final VarHandle TAIL;
    private static final VarHandle NEXT;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            TAIL = lookup.findVarHandle(TaskQueue.class, "tail", Node.class);
            NEXT = lookup.findVarHandle(Node.class, "next", Node.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    static final class Node {
        Object item; // written before publication, cleared by the consumer
        @SuppressWarnings("unused") // accessed through NEXT
        volatile Node next;

        Node(Object item) {
            this.item = item;
        }
    }

    /** Consumer-only: the last node taken (a stub at first); its item is already null. */
    private Node head;
    /** Newest node; getAndSet only. */
    @SuppressWarnings("unused") // accessed through TAIL
    private volatile Node tail;

    TaskQueue() {
        Node stub = new Node(null);
        head = stub;
        TAIL.set(this, stub);
    }

    /** Adds an item; any thread. */
    void offer(Object item) {
        Node node = new Node(item);
        Node prev = (Node) TAIL.getAndSet(this, node);
        NEXT.setRelease(prev, node); // publishes node.item to the consumer's getAcquire
    }

    /** Takes the oldest linked item, or null; consumer only. */
    Object poll() {
        Node h = head;
        Node next = (Node) NEXT.getAcquire(h);
        if (next == null) {
            return null;
        }
        head = next;
        Object item = next.item;
        next.item = null;
        return item;
    }

    /** Like {@link #poll}, but waits out a producer caught between its exchange and its link. */
    Object pollSpinning() {
        Object item = poll();
        while (item == null && !isEmpty()) {
            Thread.onSpinWait();
            item = poll();
        }
        return item;
    }

    /**
     * Whether no item is queued or being queued; consumer only. Reads {@code tail} with volatile
     * mode: the loop's sleep protocol relies on this read being ordered after its own volatile
     * write of the sleeping flag (see {@link Loop}).
     */
    boolean isEmpty() {
        return TAIL.getVolatile(this) == head;
    }
}
