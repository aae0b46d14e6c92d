package dev.eventual.bench;

import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.jctools.queues.MpscUnboundedArrayQueue;

/**
 * The floors' loop: one daemon thread that runs the tasks of a JCTools
 * {@code MpscUnboundedArrayQueue}, with no timers, microtasks or bookkeeping, and the idle policy
 * of an Eventual loop, so that a floor never pays a hand-off an Eventual loop would not: when its
 * queue is empty it spins for {@value #IDLE_SPIN_NANOS} ns reading only the next slot
 * ({@code relaxedPoll}: the consumer's own index and the slot, never the producers' index, whose
 * cache line every offer writes), then sleeps.
 *
 * <p>Sleep protocol (no lost wake-up): the consumer writes {@code sleeping = 1} (volatile), then
 * re-checks with {@code poll}, which reads the producers' index when the slot is empty and waits
 * for a claimed slot to be written; then parks. A producer claims its slot with a CAS on the
 * producers' index, writes the slot, then reads {@code sleeping} (volatile) and unparks the
 * consumer if it was 1. The CAS and both volatile accesses are sequentially consistent: either
 * the consumer's re-check comes after the claim and finds the task, or the producer's read of
 * {@code sleeping} comes after the consumer's write and unparks it. A spurious wake-up only costs
 * one more round of the loop.
 */
final class FloorLoop implements Executor {
    /** The same idle spin as an Eventual loop's ({@code EventLoopImpl.IDLE_SPIN_NANOS}). */
    static final long IDLE_SPIN_NANOS = 1_000;

    private final MpscUnboundedArrayQueue<Runnable> queue = new MpscUnboundedArrayQueue<>(1024);
    private final AtomicInteger sleeping = new AtomicInteger();
    private volatile boolean stopped;
    private final Thread thread;

    FloorLoop(String name) {
        thread = Thread.ofPlatform().name(name).daemon().start(this::drain);
    }

    @Override
    public void execute(Runnable task) {
        queue.offer(task);
        if (sleeping.get() == 1 && sleeping.compareAndSet(1, 0)) {
            LockSupport.unpark(thread);
        }
    }

    private void drain() {
        while (!stopped) {
            Runnable r = queue.relaxedPoll();
            if (r == null) {
                r = idle();
                if (r == null) {
                    continue;
                }
            }
            r.run();
        }
    }

    /** Spins, then sleeps; returns a task found on the way, or null after a wake-up. */
    private Runnable idle() {
        long spinEnd = System.nanoTime() + IDLE_SPIN_NANOS;
        do {
            Thread.onSpinWait();
            Runnable r = queue.relaxedPoll();
            if (r != null) {
                return r;
            }
        } while (System.nanoTime() - spinEnd < 0);
        sleeping.set(1);
        Runnable r = queue.poll();
        if (r != null || stopped) {
            sleeping.set(0);
            return r;
        }
        LockSupport.park(this);
        sleeping.set(0);
        return null;
    }

    void stop() {
        stopped = true;
        LockSupport.unpark(thread);
    }
}
