package dev.eventual.internal;

import java.util.ArrayDeque;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * What one loop records into a {@link TimelineLog} while a {@link dev.eventual.Timeline} is on:
 * the loop calls it from a few hook points, each guarded by one plain read of
 * {@link EventLoopImpl#recorder}, so a loop that records nothing pays that read and no more.
 *
 * <pre>
 * Overview
 *
 * Hooks (all on the loop's turn: the loop thread, or an async body's thread that has the turn):
 *   turnStart / checkpointStart / turnEnd   EventLoopImpl.runTasks and runDueTimers, checkpoint
 *   timerSet / timerCancelled               EventLoopImpl.addTimer and addDelay, TimerTask.queueing
 *                                           and drop, Delay.queueing and dropTimer
 *   operation / settled                     Timeline.track (io and users), PromiseImpl.dispatch
 *   bodyEnter / bodyLeave                   AsyncBody.enter, around the body's stretch
 *
 * Causes: {@code current} is the innermost span that is running user code: the turn, or the
 * stretch of an async body that has the turn (a stack, since a body may start a body). Whatever
 * starts meanwhile (a timer, an operation, a body) names it as its cause; an operation whose
 * promise is dispatched, or a timer that fires, names the span in which that happened as the one
 * that received it. Operations are found by identity (their promise or timer entry) in
 * {@code pending}, which holds only operations still open, so it stays as small as the work in
 * flight; a Delay is both a promise and its own timer entry, so timers have their own map,
 * {@code timers}, where a Delay's timer span cannot be taken for its promise's operation.
 *
 * Thread-confinement: every field is touched only on the loop's turn; the turn's handoff
 * (release/acquire, see AsyncBody) orders a body's calls after the loop thread's. The log has
 * its own lock for its writers on other threads.
 *
 * Robustness: recording may start or stop in the middle of a turn, so a hook that finds no open
 * turn or body stretch does nothing, and a full log (its spans dropped) only makes the open*
 * calls return null, which every caller checks.
 * </pre>
 */
public final class TimelineRecorder {
    private final TimelineLog log;
    private final int loopIndex;
    /** The open turn, or null between turns (and when it was dropped). */
    private TimelineSpan turn;
    /** The running spans, innermost first: the turn, then body stretches it entered. */
    private final ArrayDeque<TimelineSpan> running = new ArrayDeque<>();
    /** Open operations by their promise. */
    private final Map<Object, TimelineSpan> pending = new IdentityHashMap<>();
    /** Pending timers' spans by their {@link TimerEntry}. */
    private final Map<TimerEntry, TimelineSpan> timers = new IdentityHashMap<>();
    /** Live async bodies' lanes and their open waits. */
    private final Map<AsyncBody<?>, Body> bodies = new IdentityHashMap<>();
    private int bodyCount;
    /** The first task of a loop from EventLoop.run is its main: named so. */
    private boolean nextTaskIsMain;

    /** One async body's lane. */
    private static final class Body {
        final String lane;
        TimelineSpan waiting;
        boolean started;

        Body(String lane) {
            this.lane = lane;
        }
    }

    TimelineRecorder(TimelineLog log, String loopName, boolean nextTaskIsMain) {
        this.log = log;
        this.loopIndex = log.addLoop(loopName, System.nanoTime());
        this.nextTaskIsMain = nextTaskIsMain;
    }

    private int currentId() {
        TimelineSpan c = running.peekFirst();
        return c == null ? -1 : c.id;
    }

    // ------------------------------------------------------------------ turns

    /** A task or timer callback starts; {@code task} is the queued object or the {@link TimerEntry}. */
    void turnStart(Object task) {
        long now = System.nanoTime();
        String name;
        String detail = null;
        TimelineSpan delivered = null;
        if (task instanceof TimerEntry entry) {
            long period = entry instanceof TimerTask timer ? timer.period : 0;
            delivered = timers.remove(entry);
            name = period == 0 ? "timer fired" : "interval fired";
            detail = (period == 0 ? "the callback of a setTimeout" : "the callback of a setInterval ("
                    + period + " ms)") + " runs, then the microtasks it queued";
        } else if (task instanceof PromiseImpl<?> promise) {
            TimelineSpan op = pending.get(promise);
            name = op != null ? "result of " + op.name : "a promise settled on another thread";
            detail = "a promise was settled on another thread; its reactions run now, as microtasks";
        } else if (nextTaskIsMain) {
            name = "main program";
            detail = "the program's first task, given to EventLoop.run";
        } else if (task instanceof ScheduledReaction) {
            name = "reaction from another thread";
        } else if (task instanceof Bookkeeping) {
            name = "loop bookkeeping";
            detail = "a timer set, cancelled or unref'd from another thread";
        } else {
            name = "task";
            detail = "a task (execute, submit): " + describe(task);
        }
        nextTaskIsMain = false;
        TimelineSpan span = log.open(loopIndex, TimelineSpan.TURN, "loop", name, detail,
                delivered == null ? -1 : delivered.id, now);
        turn = span;
        running.clear();
        if (span == null) {
            return;
        }
        if (delivered != null) {
            TimelineSpan op = delivered;
            log.change(() -> {
                op.end = now;
                op.receivedBy = span.id;
                op.outcome = "fired";
            });
        }
        running.push(span);
        if (task instanceof TimerTask timer && timer.period > 0) {
            timerSet(timer, timer.period, timer.period); // the interval's next run waits from here
        }
    }

    /** The microtask checkpoint of the open turn begins (it has microtasks to run). */
    void checkpointStart() {
        TimelineSpan t = turn;
        if (t != null && t.checkpoint < 0) {
            long now = System.nanoTime();
            log.change(() -> t.checkpoint = now);
        }
    }

    /** The open turn and its checkpoint are done. */
    void turnEnd() {
        TimelineSpan t = turn;
        turn = null;
        running.clear();
        if (t != null) {
            long now = System.nanoTime();
            log.change(() -> t.end = now);
        }
    }

    /** Recording stops on this loop: the open turn ends now; open operations stay open. */
    void stop() {
        turnEnd();
    }

    /** The loop closed: what is still open ends now, as not finished. */
    void loopClosed() {
        turnEnd();
        long now = System.nanoTime();
        log.change(() -> {
            for (Map.Entry<Object, TimelineSpan> e : pending.entrySet()) {
                TimelineSpan op = e.getValue();
                op.end = now;
                // A promise fulfilled on another thread with no reaction is never dispatched: the
                // loop learns of it only here, so when it ended is not known.
                op.outcome = e.getKey() instanceof PromiseImpl<?> p && p.isSettled()
                        ? "ended with no callback waiting for it (when, unseen)" : "not finished: the loop closed";
            }
            for (TimelineSpan op : timers.values()) {
                op.end = now;
                op.outcome = "not finished: the loop closed";
            }
            for (Body b : bodies.values()) {
                if (b.waiting != null) {
                    b.waiting.end = now;
                    b.waiting.outcome = "not finished: the loop closed";
                }
            }
        });
        pending.clear();
        timers.clear();
        bodies.clear();
    }

    /**
     * {@link dev.eventual.Timeline#track}: when {@code promise}'s loop records and the calling
     * thread has its turn, records an operation of {@code kind} named {@code what} from now until
     * the promise settles. Elsewhere it does nothing (see Timeline.track).
     */
    public static void track(dev.eventual.Promise<?> promise, String kind, Object what) {
        if (promise instanceof PromiseImpl<?> impl) {
            EventLoopImpl loop = impl.loop;
            if (loop.inEventLoop()) {
                TimelineRecorder r = loop.recorder; // turn-confined: read only with the turn
                if (r != null) {
                    r.operation(impl, kind, String.valueOf(what));
                }
            }
        }
    }

    // ------------------------------------------------------------------ timers

    /** {@code timer} was queued, due in {@code delayMillis}; {@code period} is 0 for a timeout. */
    void timerSet(TimerEntry timer, long period, long delayMillis) {
        String kind = period == 0 ? "setTimeout" : "setInterval";
        TimelineSpan op = startOperation("timer", kind + "(" + delayMillis + " ms)",
                "a timer waits " + delayMillis + " ms, then its callback runs as a task");
        if (op != null) {
            timers.put(timer, op);
        }
    }

    void timerCancelled(TimerEntry timer) {
        TimelineSpan op = timers.remove(timer);
        if (op != null) {
            long now = System.nanoTime();
            int by = currentId();
            log.change(() -> {
                op.end = now;
                op.outcome = "cancelled";
                op.receivedBy = by;
            });
        }
    }

    // ------------------------------------------------------------------ operations

    /** An operation whose outcome {@code promise} carries starts now, caused by what runs. */
    void operation(PromiseImpl<?> promise, String kind, String what) {
        TimelineSpan op = startOperation(kind, what, null);
        if (op == null) {
            return;
        }
        if (promise.isSettled()) { // failed at once (a closed loop, an aborted signal)
            settled(op, promise.settledResult());
        } else {
            pending.put(promise, op);
        }
    }

    private TimelineSpan startOperation(String kind, String what, String detail) {
        return log.open(loopIndex, TimelineSpan.OPERATION, kind, what, detail, currentId(), System.nanoTime());
    }

    /** {@code promise} settles with the encoded {@code result} and dispatches its reactions. */
    void settled(PromiseImpl<?> promise, Object result) {
        if (pending.isEmpty()) {
            return;
        }
        TimelineSpan op = pending.remove(promise);
        if (op != null) {
            settled(op, result);
        }
    }

    private void settled(TimelineSpan op, Object result) {
        long now = System.nanoTime();
        int by = currentId();
        String outcome = result instanceof Failure f ? "rejected: " + describe(f.reason) : "fulfilled";
        log.change(() -> {
            op.end = now;
            op.receivedBy = by;
            op.outcome = outcome;
        });
    }

    // ------------------------------------------------------------------ async bodies

    /** {@code body} gets the turn: it starts, or resumes after an await. */
    void bodyEnter(AsyncBody<?> body) {
        long now = System.nanoTime();
        Body b = bodies.get(body);
        if (b == null) {
            Thread t = body.thread;
            b = new Body("async body " + ++bodyCount + (t == null ? "" : " (thread '" + t.getName() + "')"));
            bodies.put(body, b);
        }
        TimelineSpan wait = b.waiting;
        b.waiting = null;
        if (wait != null) {
            log.change(() -> wait.end = now);
        }
        TimelineSpan run = log.open(loopIndex, TimelineSpan.BODY_RUN, b.lane,
                b.started ? "resumes after await" : "async body starts",
                "the body runs on its own thread and has the loop's turn: the loop thread waits", currentId(), now);
        b.started = true;
        if (run != null) {
            running.push(run);
        } else {
            running.push(new TimelineSpan(-1, loopIndex, TimelineSpan.BODY_RUN, b.lane, "", now)); // dropped: keeps the stack
        }
    }

    /** {@code body} gave the turn back: it suspended at an await, or ended ({@code done}). */
    void bodyLeave(AsyncBody<?> body, boolean done) {
        long now = System.nanoTime();
        TimelineSpan run = running.peekFirst();
        if (run == null || run.kind != TimelineSpan.BODY_RUN) {
            return; // recording began while the body ran
        }
        running.pop();
        if (run.id >= 0) {
            log.change(() -> {
                run.end = now;
                run.outcome = done ? "ended" : "suspended at await";
            });
        }
        Body b = bodies.get(body);
        if (b == null) {
            return;
        }
        if (done) {
            bodies.remove(body);
        } else {
            b.waiting = log.open(loopIndex, TimelineSpan.BODY_WAIT, b.lane, "waiting at await",
                    "suspended at await: the loop runs other callbacks meanwhile", run.id, now);
        }
    }

    // ------------------------------------------------------------------ names

    /** A reason or task as a short phrase: its class's simple name and message. */
    static String describe(Object o) {
        if (o instanceof Throwable t) {
            String m = t.getMessage();
            return t.getClass().getSimpleName() + (m == null ? "" : ": " + m);
        }
        String n = o.getClass().getName();
        int lambda = n.indexOf("$$Lambda");
        if (lambda >= 0) {
            String owner = n.substring(0, lambda);
            return "a lambda in " + owner.substring(owner.lastIndexOf('.') + 1);
        }
        return n.substring(n.lastIndexOf('.') + 1);
    }
}
