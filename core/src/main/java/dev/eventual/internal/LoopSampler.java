package dev.eventual.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The live loops of the JVM, weakly held, and JFR's periodic {@link LoopSampleEvent} over them.
 *
 * <p>A loop joins when it starts running and leaves when it stops ({@link EventLoopImpl}); the
 * map holds it weakly, so a loop nobody references and that never stopped (its thread died) is
 * not kept. The map is guarded by itself; its values ({@link Probe}) never reference their loop.
 *
 * <p>JFR: {@link JfrSetup} registers the periodic hook once the recorder exists; JFR calls it
 * only while a recording enables the event, once per its period.
 *
 * <p>The hook, on JFR's thread, per loop: if the loop ran the sampling task posted at the previous
 * period, it posts a new one ({@link Bookkeeping}: not user work, and not counted when a close
 * drops it) stamped with the time; the task, on the loop, takes the sample exactly (its lag: how
 * long it waited in the queue) and commits it. If the loop has not run the previous task yet, it
 * is busy: the hook commits a sample itself with what other threads can read and the lag so far.
 *
 * <p>Invariant: at most one sampling task per loop is queued. {@code Probe.postedAt} is 0 when none
 * is; a hook claims the right to post one by a CAS from 0 to the time (JFR may run the hook on
 * its periodic thread and, at a chunk's end, on another: two hooks never both post), and the task,
 * on the loop, reads it and sets it back to 0 when its sample is taken. The CAS and the volatile
 * accesses order the time before the task's read (the post itself, through the task queue, does
 * too); a hook that reads a non-zero time while the task is setting it to 0 takes one extra,
 * approximate sample, which is harmless. The other fields of Probe are the loop thread's.
 */
final class LoopSampler {
    private static final Map<EventLoopImpl, Probe> LOOPS = new WeakHashMap<>();

    private LoopSampler() {}

    /** Loop thread, as the loop starts running. */
    static void joined(EventLoopImpl loop) {
        synchronized (LOOPS) {
            LOOPS.put(loop, new Probe());
        }
        JfrSetup.listen();
    }

    /** Loop thread, as the loop stops. */
    static void left(EventLoopImpl loop) {
        synchronized (LOOPS) {
            LOOPS.remove(loop);
        }
    }

    /** JFR's periodic hook; see the class comment. */
    static void sample() {
        List<EventLoopImpl> loops = new ArrayList<>();
        List<Probe> probes = new ArrayList<>();
        synchronized (LOOPS) {
            for (Map.Entry<EventLoopImpl, Probe> e : LOOPS.entrySet()) {
                loops.add(e.getKey());
                probes.add(e.getValue());
            }
        }
        long now = System.nanoTime();
        for (int i = 0; i < loops.size(); i++) {
            EventLoopImpl loop = loops.get(i);
            Probe probe = probes.get(i);
            if (probe.postedAt.compareAndSet(0, now)) {
                if (!loop.post((Bookkeeping) () -> probe.take(loop))) {
                    probe.postedAt.set(0); // closed meanwhile: it leaves the map as it stops
                }
                continue;
            }
            long posted = probe.postedAt.get();
            if (posted != 0) { // 0: the pending task has just run and taken its sample
                busy(loop, Math.max(0, now - posted));
            }
        }
    }

    /** JFR's thread: a sample of a loop that has not run the last sampling task. */
    private static void busy(EventLoopImpl loop, long lagSoFar) {
        LoopSampleEvent e = new LoopSampleEvent();
        e.loop = loop.name();
        e.onLoop = false;
        e.queuedTasks = loop.tasks.approximateSize();
        e.pendingTimers = loop.timers.size(); // a plain int read racily: whole, possibly stale
        e.keepAlives = loop.keepAliveCount();
        e.lag = lagSoFar;
        e.commit();
    }

    /** One loop's sampling state; see the class comment. */
    static final class Probe {
        /** System.nanoTime() when the pending sampling task was posted; 0: none pending. */
        final AtomicLong postedAt = new AtomicLong();
        // The loop thread's: the microtask counters at the previous sample taken on the loop.
        private int drainsBefore;
        private long drainedBefore;

        /** The sampling task, on the loop. */
        void take(EventLoopImpl loop) {
            long lag = System.nanoTime() - postedAt.get();
            MicrotaskQueue m = loop.microtasks;
            LoopSampleEvent e = new LoopSampleEvent();
            e.loop = loop.name();
            e.onLoop = true;
            e.queuedTasks = loop.tasks.approximateSize(); // exact on the loop
            e.pendingTimers = loop.timers.size();
            e.keepAlives = loop.keepAliveCount();
            e.asyncBodies = loop.bodies == null ? 0 : loop.bodies.count();
            e.checkpoints = m.drains - drainsBefore; // an int count: the difference is right across a wrap
            e.microtasks = m.drained - drainedBefore;
            e.microtasksPerCheckpoint = e.checkpoints == 0 ? 0 : (double) e.microtasks / e.checkpoints;
            e.maxMicrotasksPerCheckpoint = m.takeMostDrained();
            e.lag = lag;
            drainsBefore = m.drains;
            drainedBefore = m.drained;
            e.commit();
            postedAt.set(0);
        }
    }
}
