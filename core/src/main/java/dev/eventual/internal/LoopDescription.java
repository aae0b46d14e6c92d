package dev.eventual.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@link dev.eventual.EventLoop#describe()}: a text snapshot of what keeps a loop alive.
 *
 * <p>Two ways to read the loop's state, chosen by the calling thread:
 * <ul>
 *   <li><b>On the loop</b> ({@link #onLoop}): with the loop's turn (a callback, an async body, or
 *       the snapshot task below), every loop-confined structure is read directly and exactly:
 *       the timer heap, the list of async bodies, the task queue's head.
 *   <li><b>Approximate</b> ({@link #approximate}): from any thread, without the loop, only what
 *       other threads may read: the keep-alive set (concurrent), the keep-alive count and the
 *       closed flags (volatile), the task count ({@link TaskQueue#approximateSize}), the timer
 *       counts (plain int fields read racily: an int is read whole, possibly stale), and what the
 *       loop is running ({@link TurnMark}). Loop-confined lists (timers, bodies) are not walked.
 * </ul>
 * From a thread that runs no loop, {@link #of} posts the snapshot to the loop as a
 * {@link Bookkeeping} task (so a close does not count it as user work) and waits at most
 * {@link #WAIT_MILLIS}; when the loop does not answer in that time (a callback holds it) or is
 * closing (the task would be dropped), it falls back to the approximate text. From a thread of
 * another loop it never waits (that would block that loop): approximate at once.
 */
final class LoopDescription {
    /**
     * How long a thread outside the loop waits for the loop's own snapshot: the watchdog's default
     * threshold, past which a loop counts as blocked. The first snapshot of a JVM loads the
     * classes that read a virtual thread's stack, which takes a few hundred ms on a busy machine.
     */
    static final long WAIT_MILLIS = Watchdog.DEFAULT_MILLIS;
    /** At most this many lines per list; the rest is counted. */
    private static final int MAX_LINES = 20;

    private LoopDescription() {}

    /** {@link dev.eventual.EventLoop#describe()}; never throws for the loop's state. */
    static String of(EventLoopImpl loop) {
        if (loop.isClosed()) {
            return header(loop) + "\n";
        }
        if (loop.inEventLoop()) {
            return onLoop(loop, "running the callback or async body that called describe()");
        }
        if (EventLoopImpl.current() != null || loop.closeRequested) {
            return approximate(loop);
        }
        CompletableFuture<String> answer = new CompletableFuture<>();
        Bookkeeping snapshot = () -> {
            if (answer.isDone()) {
                return; // the caller stopped waiting
            }
            try {
                answer.complete(onLoop(loop, "between tasks (it ran this snapshot as a task of its own)"));
            } catch (Throwable e) {
                answer.completeExceptionally(e);
            }
        };
        if (!loop.post(snapshot)) {
            return header(loop) + "\n";
        }
        try {
            return answer.get(WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return approximate(loop);
        } catch (TimeoutException | ExecutionException e) {
            answer.cancel(false);
            return approximate(loop);
        }
    }

    /** With the loop's turn: everything, exactly. */
    static String onLoop(EventLoopImpl loop, String now) {
        StringBuilder out = new StringBuilder(header(loop)).append('\n');
        out.append("  now: ").append(now).append('\n');
        int tasks = loop.tasks.approximateSize();
        out.append("  queued tasks: ").append(tasks).append(tasks > 0 ? " (the loop's own bookkeeping included)" : "")
                .append('\n');
        timers(loop, out);
        keepAlives(loop, out);
        bodies(loop, out);
        return out.toString();
    }

    /** Without the loop: what other threads can read; see the class comment. */
    static String approximate(EventLoopImpl loop) {
        if (loop.isClosed()) {
            return header(loop) + "\n"; // it ended while the caller waited: nothing holds it now
        }
        StringBuilder out = new StringBuilder(header(loop)).append(" (approximate: read without the loop's turn)\n");
        int kind = TurnMark.kind(loop.mark.read());
        out.append("  now: ").append(kind == TurnMark.IDLE ? "idle" : LoopThreadStack.what(loop, kind).replaceAll(",$", ""))
                .append('\n');
        out.append("  queued tasks: about ").append(loop.tasks.approximateSize()).append('\n');
        int timers = loop.timers.size();
        out.append("  pending timers: about ").append(timers).append(", ").append(loop.timers.referencedCount())
                .append(" keeping the loop alive (the list needs the loop's turn)\n");
        keepAlives(loop, out);
        out.append("  async bodies not finished: not readable without the loop's turn\n");
        return out.toString();
    }

    private static String header(EventLoopImpl loop) {
        String state = loop.isClosed() ? "closed" : loop.closeRequested ? "closing" : "running";
        String mode = loop.endsWhenIdle() ? "EventLoop.run: ends when none of the work below is left"
                : "EventLoop.start: runs until closed";
        return "event loop '" + loop.name() + "' (" + state + (loop.isClosed() ? "" : "; " + mode) + ")";
    }

    private static void timers(EventLoopImpl loop, StringBuilder out) {
        long now = loop.clock();
        List<String> lines = new ArrayList<>();
        List<Long> order = new ArrayList<>();
        loop.timers.forEachLive((t, deadline) -> {
            order.add(deadline);
            lines.add(timerLine(t, deadline - now));
        });
        Integer[] byDeadline = new Integer[lines.size()];
        for (int i = 0; i < byDeadline.length; i++) {
            byDeadline[i] = i;
        }
        java.util.Arrays.sort(byDeadline, (a, b) -> Long.compare(order.get(a), order.get(b)));
        out.append("  pending timers: ").append(lines.size()).append(", ").append(loop.timers.referencedCount())
                .append(" keeping the loop alive\n");
        for (int i = 0; i < byDeadline.length && i < MAX_LINES; i++) {
            out.append("    ").append(lines.get(byDeadline[i])).append('\n');
        }
        more(out, byDeadline.length);
    }

    /**
     * One timer: kind, time until due, whether it keeps the loop alive, and the code it will
     * call. A timer's registration site, once timers record one, belongs at the end of this line.
     */
    static String timerLine(TimerEntry e, long dueInMillis) {
        TimerTask t = e instanceof TimerTask task ? task : null;
        long period = t != null ? t.period : 0;
        StringBuilder line = new StringBuilder(period > 0 ? "interval every " + period + " ms, next" : "timeout");
        line.append(dueInMillis > 0 ? " due in " + dueInMillis + " ms" : " due now");
        if (!e.timerReferenced()) {
            line.append(" (unref'd: does not keep the loop alive)");
        }
        Runnable callback = t != null ? t.callback : (Delay) e; // a Delay is its own timer's callback
        if (callback != null) {
            line.append(", calls ").append(codeName(callback));
        }
        return line.toString();
    }

    private static void keepAlives(EventLoopImpl loop, StringBuilder out) {
        Map<String, Integer> byLabel = new LinkedHashMap<>();
        for (KeepAliveHolder holder : loop.keepAliveHolders) {
            byLabel.merge(holder.describe(), 1, Integer::sum);
        }
        out.append("  keep-alives (I/O and other work in flight): ").append(loop.keepAliveCount()).append('\n');
        int shown = 0;
        for (Map.Entry<String, Integer> e : byLabel.entrySet()) {
            if (shown++ == MAX_LINES) {
                out.append("    ... and ").append(byLabel.size() - MAX_LINES).append(" more\n");
                break;
            }
            out.append("    ").append(e.getValue() > 1 ? e.getValue() + " x " : "").append(e.getKey()).append('\n');
        }
    }

    private static void bodies(EventLoopImpl loop, StringBuilder out) {
        List<String> lines = new ArrayList<>();
        if (loop.bodies != null) {
            loop.bodies.forEach(b -> lines.add(bodyLine(b)));
        }
        out.append("  async bodies not finished: ").append(lines.size()).append('\n');
        for (int i = 0; i < lines.size() && i < MAX_LINES; i++) {
            out.append("    ").append(lines.get(i)).append('\n');
        }
        more(out, lines.size());
    }

    /** One body: suspended (and where: its first frame outside Eventual) or running. */
    private static String bodyLine(AsyncBody<?> b) {
        Thread t = b.thread;
        if (!b.isSuspended()) {
            return "running (it has the loop's turn" + (t == null ? ")" : ", thread '" + t.getName() + "')");
        }
        StackTraceElement at = t == null ? null : userFrame(t.getStackTrace());
        return "suspended in await" + (at == null ? "" : " at " + at);
    }

    /** The first frame of user code: not the JDK's, not Eventual's internals or its Async entry. */
    static StackTraceElement userFrame(StackTraceElement[] stack) {
        for (StackTraceElement f : stack) {
            String c = f.getClassName();
            if (!(c.startsWith("java.") || c.startsWith("jdk.") || c.startsWith("sun.")
                    || c.startsWith("dev.eventual.internal.") || c.equals("dev.eventual.Async"))) {
                return f;
            }
        }
        return null;
    }

    /** A callback's class in words: "a lambda in com.acme.Job", or the class name. */
    private static String codeName(Object callback) {
        String name = callback.getClass().getName();
        int lambda = name.indexOf("$$Lambda");
        return lambda >= 0 ? "a lambda in " + name.substring(0, lambda) : name;
    }

    private static void more(StringBuilder out, int total) {
        if (total > MAX_LINES) {
            out.append("    ... and ").append(total - MAX_LINES).append(" more\n");
        }
    }
}
