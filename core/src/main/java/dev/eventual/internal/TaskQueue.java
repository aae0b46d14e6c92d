package dev.eventual.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The loop's task queue: unbounded, many producers (any thread), one consumer (the loop thread).
 *
 * <pre>
 * Overview
 *
 * A linked list of fixed-size array segments. Every item has a global index, claimed once by its
 * producer with one atomic getAndAdd on tailIndex; index i lives in segment i / size, slot
 * i % size. Producers never retry and never allocate per item: a segment (one array) is
 * allocated per {@code size} items, by the producer that first needs it. The consumer walks the
 * indexes in order with plain fields and drops each segment once it has passed it. This is the
 * shape of JCTools' MpscUnboundedArrayQueue and of the segment lists of Kotlin's channels. Not a
 * node queue (Vyukov's): that allocates a node per task and makes the consumer chase a pointer
 * per task.
 *
 * Fields and who writes them:
 *   tailIndex     the next index to claim; getAndAdd only (volatile): totally orders producers
 *                 and is the linearization point of offer.
 *   tailSegment   a hint: some segment at or before the one that holds tailIndex. Advanced by CAS
 *                 (only forward) by the producer that claimed an index in a newer segment.
 *   Segment.next  null until the next segment is appended, by CAS from null (volatile), once.
 *   slot          null until its producer writes the item (setRelease); consumer-only after,
 *                 cleared by the consumer only when it goes idle (releaseTaken), never per item:
 *                 a store per item to the cache line the producers write would bounce it.
 *   headIndex, headSegment, clearedIndex   consumer-only, plain.
 *
 * Invariants:
 *   - A producer reads tailSegment BEFORE it claims its index, so that segment's id is at most its
 *     index's: tailSegment is moved to segment k only by a producer that claimed an index >= k *
 *     size, and that claim precedes (in tailIndex's total order) every claim made after the move
 *     was seen. So a producer only ever walks forward, through next links, to its segment.
 *   - Every segment from headSegment to the one holding tailIndex - 1 is linked or being linked:
 *     the producer that needs segment k+1 appends it before it writes its slot.
 *   - The queue is non-empty iff tailIndex != headIndex. NOTE: between a producer's claim and
 *     its slot write (or its segment's link) the queue is non-empty but the item is not readable:
 *     {@link #poll} returns null while {@link #isEmpty} says false. The window lasts a few
 *     instructions unless the producer is descheduled. The loop waits it out in its idle spin,
 *     which reads the head slot only ({@link #hasReadable}), and past the spin in rounds of
 *     yield and re-check ({@link EventLoopImpl}'s overview); {@link #pollSpinning} waits it out for the
 *     loop's shutdown.
 *   - Every claimed index is written exactly once, by its producer: with its item, or with SKIP
 *     when the producer fails after its claim (below). poll passes a SKIP as if it were taken.
 *
 * Failure after the claim: between its claim and its write a producer may meet an error: an
 * OutOfMemoryError appending the next segment (the one allocation after a claim, once per
 * segment), or a StackOverflowError at any call. offer catches it, writes SKIP in its slot and
 * rethrows: the offer failed, nothing was queued, and the consumer passes the slot. When the
 * segment exists, the SKIP write makes no call (a StackOverflowError would recur at any call
 * from the failing frame); when it does not, the append failed, and the producer retries,
 * yielding, until the segment exists: it appends it itself once memory allows, or finds it
 * appended by a later producer or by the consumer, which appends it when it finds the head item
 * claimed in an unlinked segment ({@link #appendForStuckProducer}). So no claimed slot stays
 * unwritten while the consumer can allocate one segment. (JCTools' unbounded queue instead holds
 * the producer index locked while it allocates, and an error there leaves it locked.)
 *
 * Memory ordering: the slot's setRelease in offer pairs with the getAcquire in poll, so the
 * consumer sees the item's fields as the producer wrote them. A segment is published by the
 * volatile CAS of next (and its fields are final); the consumer reads next with getAcquire. The
 * loop's sleep protocol (see {@link EventLoopImpl}) uses the claim (a volatile read-modify-write of
 * tailIndex) as the producer's publication and {@link #isEmpty}'s volatile read of tailIndex as
 * the loop's re-check: both sequentially consistent, so no wake-up is lost.
 *
 * False sharing: tailIndex is written by every offer and headIndex by every poll; the padding
 * classes below keep the producers' fields and the consumer's on different cache lines (layout
 * checked with JOL on JDK 25), and the consumer reads its own copies of the segment geometry.
 * The running consumer never reads tailIndex between items: each read takes the producers' line
 * into shared state, and the next claim's getAndAdd then waits for it (with one producer and a
 * loop that keeps up, that read dominates both threads' profiles; figures: BENCHMARKS.md, the
 * CrossThreadSubmit note). Only the
 * loop's sleep protocol reads it ({@link #isEmpty}): once per idle spin that found nothing.
 * </pre>
 */
final class TaskQueue extends TaskQueueConsumerFields {
    /** Slots per segment by default: 4 KiB of references, one allocation per 1,024 tasks. */
    static final int DEFAULT_SEGMENT_SIZE = 1024;
    /** Written by a producer that failed after its claim, in place of its item; poll passes it. */
    static final Object SKIP = new Sentinel("SKIP");
    /** Busy-wait iterations in pollSpinning before it starts yielding the processor. */
    private static final int SPINS_BEFORE_YIELD = 128;

    private static final VarHandle TAIL_INDEX;
    private static final VarHandle TAIL_SEGMENT;
    private static final VarHandle NEXT;
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Object[].class);
    private static final VarHandle HEAD_INDEX;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            TAIL_INDEX = lookup.findVarHandle(TaskQueueProducerFields.class, "tailIndex", long.class);
            TAIL_SEGMENT = lookup.findVarHandle(TaskQueueProducerFields.class, "tailSegment", Segment.class);
            NEXT = lookup.findVarHandle(Segment.class, "next", Segment.class);
            HEAD_INDEX = lookup.findVarHandle(TaskQueueConsumerFields.class, "headIndex", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** One array of slots; segment {@code id} holds indexes [id * size, (id + 1) * size). */
    static final class Segment {
        final long id;
        final Object[] slots;
        /** Null until the next segment is appended (CAS once); see the overview. */
        @SuppressWarnings("unused") // accessed through NEXT
        volatile Segment next;

        Segment(long id, int size) {
            this.id = id;
            this.slots = new Object[size];
        }

        /** The segment after this one, appending it if no producer has yet. */
        Segment nextOrAppend(TaskQueue queue) {
            Segment n = (Segment) NEXT.getAcquire(this);
            if (n != null) {
                return n;
            }
            if (queue.appendHookForTest != null) {
                queue.appendHookForTest.run();
            }
            Segment fresh = new Segment(id + 1, slots.length);
            // Loses only to another producer appending the same segment: take the winner's.
            Segment witness = (Segment) NEXT.compareAndExchange(this, null, fresh);
            return witness == null ? fresh : witness;
        }
    }

    /** Tests only: runs before a segment is allocated, to inject the error the allocation may throw. */
    volatile Runnable appendHookForTest;

    TaskQueue() {
        this(DEFAULT_SEGMENT_SIZE);
    }

    /** A queue with segments of {@code segmentSize} slots (a power of two): small ones for tests. */
    TaskQueue(int segmentSize) {
        super(segmentSize);
        Segment first = new Segment(0, segmentSize);
        headSegment = first;
        // Plain: the queue is published to other threads by the loop's construction (final field).
        TAIL_SEGMENT.set(this, first);
    }

    /** Adds an item; any thread. Wait-free but for appending a segment (one CAS, no retry loop). */
    void offer(Object item) {
        offer(item, null);
    }

    /**
     * {@link #offer(Object)}, running {@code afterClaimForTest} (tests only; null otherwise, a
     * constant the compiler folds away) between the claim and the write, to inject the error a
     * producer may meet there.
     */
    void offer(Object item, Runnable afterClaimForTest) {
        // Read before the claim: see the overview's first invariant.
        Segment segment = (Segment) TAIL_SEGMENT.getAcquire(this);
        long index = (long) TAIL_INDEX.getAndAdd(this, 1L);
        try {
            if (afterClaimForTest != null) {
                afterClaimForTest.run();
            }
            write(segment, index, item);
        } catch (Throwable e) {
            // The claimed slot must be written (overview, "Failure after the claim"). No call on
            // this path while the segment exists: a StackOverflowError thrown at write's entry
            // would be thrown again by any call from this frame. Volatile reads of next (plain
            // getfield of a volatile field) and a plain store: SKIP carries no data, so the
            // consumer's acquire read needs nothing ordered before it.
            long id = index >>> shift;
            Segment s = segment;
            Segment n;
            while (s.id < id && (n = s.next) != null) {
                s = n;
            }
            if (s.id == id) {
                int slot = (int) (index & mask);
                if (s.slots[slot] == null) {
                    s.slots[slot] = SKIP;
                }
            } else {
                skipAfterFailedAppend(s, index); // an allocation failed: stack is not short here
            }
            throw e;
        }
    }

    /**
     * Writes SKIP at {@code index}, whose segment is not linked yet because appending it failed
     * (an OutOfMemoryError): retries, yielding, until the segment exists, appended by this
     * producer, another one, or the consumer ({@link #appendForStuckProducer}).
     */
    private void skipAfterFailedAppend(Segment from, long index) {
        for (;;) {
            try {
                write(from, index, SKIP);
                return;
            } catch (Throwable again) {
                Thread.yield(); // memory may come back; the consumer appends the segment when it can
            }
        }
    }

    /**
     * Tests only: claims an index for {@code item} now and returns the write that makes it
     * readable, to run later; so a test holds open the window between a producer's claim and its
     * write, which a producer descheduled mid-offer opens for as long as it stays off a core.
     */
    Runnable claimForTest(Object item) {
        Segment segment = (Segment) TAIL_SEGMENT.getAcquire(this);
        long index = (long) TAIL_INDEX.getAndAdd(this, 1L);
        return () -> write(segment, index, item);
    }

    /** The rest of offer: walks from {@code segment} (read before the claim) to index's, and writes. */
    private void write(Segment segment, long index, Object item) {
        long id = index >>> shift;
        if (segment.id != id) {
            while (segment.id < id) {
                segment = segment.nextOrAppend(this);
            }
            advanceTail(segment);
        }
        SLOT.setRelease(segment.slots, (int) (index & mask), item); // pairs with getAcquire in poll
    }

    /** Moves the tail hint forward to {@code segment} unless another producer moved it further. */
    private void advanceTail(Segment segment) {
        Segment current;
        do {
            current = (Segment) TAIL_SEGMENT.getVolatile(this);
            if (current.id >= segment.id) {
                return;
            }
            // Loses to another producer advancing it: re-read, and stop once it is at or past ours.
        } while (!TAIL_SEGMENT.compareAndSet(this, current, segment));
    }

    /** Takes the oldest item, or null if none is readable yet; consumer only. Passes SKIPs. */
    Object poll() {
        for (;;) {
            long index = headIndex;
            Segment segment = headSegment;
            if ((index >>> headShift) != segment.id) {
                Segment next = (Segment) NEXT.getAcquire(segment);
                if (next == null) {
                    return null; // claimed, but its producer has not appended the segment yet
                }
                headSegment = segment = next; // the passed segment is garbage now
            }
            int slot = (int) (index & headMask);
            Object item = SLOT.getAcquire(segment.slots, slot);
            if (item == null) {
                return null;
            }
            // The slot is not cleared here: a store to the line the producers are writing would take
            // it from them on every item. Passed segments are dropped whole; releaseTaken clears the
            // current one's taken slots when the loop goes idle.
            headIndex = index + 1;
            if (item != SKIP) {
                return item;
            }
        }
    }

    /**
     * Consumer only, when the head item is claimed and unreadable: if its segment is not linked,
     * appends it, so that a producer whose own append failed (see skipAfterFailedAppend) can write
     * its SKIP without allocating. An error here is the consumer's own.
     */
    void appendForStuckProducer() {
        Segment segment = headSegment;
        if ((headIndex >>> headShift) != segment.id && NEXT.getAcquire(segment) == null) {
            segment.nextOrAppend(this);
        }
    }

    /**
     * Clears the slots taken from the current segment since the last call, so that an idle loop
     * keeps no task that already ran reachable; consumer only. Each slot is cleared once at most:
     * O(1) amortized per item. Plain stores: a taken slot's index was claimed once, and no
     * producer writes it again.
     */
    void releaseTaken() {
        Segment segment = headSegment;
        long start = Math.max(clearedIndex, segment.id << headShift);
        long end = Math.min(headIndex, (segment.id + 1) << headShift);
        for (long i = start; i < end; i++) {
            segment.slots[(int) (i & headMask)] = null;
        }
        clearedIndex = headIndex;
    }

    /**
     * Like {@link #poll}, but waits out a producer caught between its claim and its write: for a
     * consumer that must see every queued item now (the loop's shutdown; tests). It reads
     * {@code tailIndex} once per call that finds the head empty, so the running loop, which
     * finds it empty after nearly every task when it keeps up, does not use it: see
     * {@link EventLoopImpl}'s overview.
     */
    Object pollSpinning() {
        for (int spins = 0;; spins++) {
            long before = headIndex;
            Object item = poll();
            if (item != null) {
                return item;
            }
            if (spins == 0 || headIndex != before) {
                // First look, or poll passed SKIPs: is anything claimed beyond them?
                if (isEmpty()) {
                    return null;
                }
            } else if (spins < SPINS_BEFORE_YIELD) {
                // headIndex is claimed, so its slot will be written: wait for that slot alone.
                // Re-reading tailIndex here would pull the producers' line away from them at every
                // spin, and each of their claims would pay for it.
                Thread.onSpinWait();
            } else {
                appendForStuckProducer();
                Thread.yield(); // the producer was likely descheduled mid-offer: give it the core
            }
        }
    }

    /**
     * Whether {@link #poll} would return an item now; consumer only. Reads the head slot (and the
     * next segment's link when the head passed the current one), never {@code tailIndex}: the
     * loop's idle spin calls it repeatedly, and repeated reads of the producers' line would take
     * it from them at every claim. False while the head item is claimed but not yet written.
     * Acquire reads, as in poll; a true answer is only a hint to the caller, whose next poll
     * reads the slot again and takes the item.
     */
    boolean hasReadable() {
        long index = headIndex;
        Segment segment = headSegment;
        if ((index >>> headShift) != segment.id) {
            segment = (Segment) NEXT.getAcquire(segment);
            if (segment == null) {
                return false;
            }
        }
        // Segments are never reused, so a non-null head slot is the head item, not a stale one.
        return SLOT.getAcquire(segment.slots, (int) (index & headMask)) != null;
    }

    /**
     * How many items are queued or being queued; any thread, for diagnostics (the loop's
     * description and JFR sample). Exact on the consumer's thread; elsewhere approximate: an
     * opaque read of the consumer's plain headIndex (possibly stale; the consumer's plain store
     * of a long is whole on 64-bit JVMs, and a torn one would only make one diagnostic count
     * wrong) after a volatile read of tailIndex, clamped to [0, Integer.MAX_VALUE]. Only the
     * diagnostic paths call it, never a hot one.
     */
    int approximateSize() {
        long tail = (long) TAIL_INDEX.getVolatile(this);
        long head = (long) HEAD_INDEX.getOpaque(this);
        return (int) Math.max(0, Math.min(Integer.MAX_VALUE, tail - head));
    }

    /**
     * Whether no item is queued or being queued; consumer only. Reads {@code tailIndex} with
     * volatile mode: the loop's sleep protocol relies on this read being ordered after its own
     * volatile write of the sleeping flag (see {@link EventLoopImpl}).
     */
    boolean isEmpty() {
        return (long) TAIL_INDEX.getVolatile(this) == headIndex;
    }
}

/*
 * Padding: HotSpot lays out a superclass's fields before its subclass's, so these classes put 64
 * bytes between the producers' fields and the consumer's, and before the producers' (the object
 * header and whatever precedes the queue in memory).
 */

abstract class TaskQueuePad0 {
    long p00, p01, p02, p03, p04, p05, p06, p07;
}

/** The fields every producer writes; see {@link TaskQueue}'s overview. */
abstract class TaskQueueProducerFields extends TaskQueuePad0 {
    @SuppressWarnings("unused") // accessed through TaskQueue.TAIL_INDEX
    volatile long tailIndex;
    @SuppressWarnings("unused") // accessed through TaskQueue.TAIL_SEGMENT
    volatile TaskQueue.Segment tailSegment;
    /** log2 of the segment size, for producers (the consumer has its own copy: see headShift). */
    final int shift;
    /** The segment size minus one. */
    final int mask;

    TaskQueueProducerFields(int segmentSize) {
        if (segmentSize < 1 || Integer.bitCount(segmentSize) != 1) {
            throw new IllegalArgumentException("segmentSize must be a power of two: " + segmentSize);
        }
        shift = Integer.numberOfTrailingZeros(segmentSize);
        mask = segmentSize - 1;
    }
}

abstract class TaskQueuePad1 extends TaskQueueProducerFields {
    TaskQueuePad1(int segmentSize) {
        super(segmentSize);
    }

    long p10, p11, p12, p13, p14, p15, p16, p17;
}

/** The consumer's fields (loop thread only, plain); see {@link TaskQueue}'s overview. */
abstract class TaskQueueConsumerFields extends TaskQueuePad1 {
    /**
     * The consumer's copies of shift and mask: read on every poll, and a read of the producers'
     * line (where tailIndex is) would cost each producer's next claim a cache-line transfer (the
     * getAndAdd was most of an offer's time in a profile with one producer).
     */
    final int headShift;
    final int headMask;

    TaskQueueConsumerFields(int segmentSize) {
        super(segmentSize);
        headShift = shift;
        headMask = mask;
    }

    /** The next index to take. */
    long headIndex;
    /** The segment that holds headIndex, or the one before it when headIndex starts a new one. */
    TaskQueue.Segment headSegment;
    /** Slots below this index were cleared by releaseTaken (or belong to dropped segments). */
    long clearedIndex;
    long p20, p21, p22, p23, p24, p25, p26, p27;
}
