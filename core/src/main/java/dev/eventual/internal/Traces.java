package dev.eventual.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Async stack traces: the switch, and attaching a chain of {@link Trace} links to a rejection
 * reason as one {@code dev.eventual.AsyncStackTrace}. Finding the user frame of a registration
 * is {@link TraceSites}' job.
 *
 * <pre>
 * Overview
 *
 * Off (the default) costs one read of the loop's final {@code traces} field per registration and per settle, and
 * of its {@code trace} field (always null then) per reaction scheduled: nothing is captured, no
 * stack is walked, nothing is wrapped.
 *
 * On, the loop's {@code trace} field (loop-confined, like the rest of its state: only the thread
 * with the loop's turn reads or writes it, an async body included, whose turn handoff orders it)
 * names the link whose work is running. Each registration captures a site (TraceSites.capture)
 * whose cause is that field. The work then runs under its run link:
 *   - a task, timer callback or queued microtask: {@link TracedRun}, link = the site;
 *   - a derived promise's handler ({@code then}, {@code caught}, ...): its site is a
 *     {@link Trace.Reacting} link, which also holds the handler; the loop's schedule writes the
 *     trace field at that moment (the context that settled its promise: the trigger) into it
 *     (Reaction.triggeredBy; from another thread a wrapper carries it, and the link takes it from
 *     the trace field when it runs), and the handler runs under that same link, now its run;
 *   - any other reaction (await, asCallback, a future): the loop's schedule wraps it in a
 *     {@link TriggeredReaction} holding the trigger, and the reaction runs under
 *     Trace.run(site, trigger);
 *   - a promise from a stage ({@code loop.from}, io): its reactions are triggered by the
 *     operation's site ({@link PromiseImpl#dispatch}).
 * Every such wrapper restores the field afterwards, so a run never leaks its context.
 *
 * What on allocates: a derived promise's registration, that one link (32 bytes with compressed
 * pointers); a task, timer or microtask, a site and a TracedRun; any other reaction, a site,
 * its wrapper when queued and a run link. A growing chain's cuts add a copy of one link per
 * three links (see Trace).
 *
 * Attaching ({@link #attach}) happens where a reason reaches user code: a rejection handler,
 * await, a CompletableFuture, the unhandled-rejection report. The chain is rendered newest first,
 * a link seen before (by identity) skipped, consecutive equal frames merged; the one
 * AsyncStackTrace on the reason is updated in place, or added if there is none. Find-or-add holds
 * the reason's monitor, which Throwable's own addSuppressed and getSuppressed hold, so two threads
 * delivering one reason add one between them; the last update wins.
 * </pre>
 */
public final class Traces {
    private Traces() {}

    /** The system property's default for every loop: {@code eventual.asyncStackTraces}. */
    static final boolean DEFAULT = Boolean.getBoolean("eventual.asyncStackTraces");

    /** Makes and updates {@code dev.eventual.AsyncStackTrace}, whose constructor is private. */
    public interface Maker {
        /**
         * A new trace.
         *
         * @param message the kinds, newest first
         * @param sites the frames, newest first
         * @return the new trace
         */
        RuntimeException make(String message, StackTraceElement[] sites);

        /**
         * Updates {@code existing} if it is a trace.
         *
         * @param existing one of the reason's suppressed exceptions
         * @param message the kinds, newest first
         * @param sites the frames, newest first
         * @return whether it was a trace (and is now updated)
         */
        boolean update(Throwable existing, String message, StackTraceElement[] sites);
    }

    private static volatile Maker maker;

    /**
     * Called once by {@code AsyncStackTrace}'s static initializer.
     *
     * @param m its maker
     */
    public static void install(Maker m) {
        maker = m;
    }

    private static Maker maker() {
        Maker m = maker;
        if (m == null) {
            try {
                Class.forName("dev.eventual.AsyncStackTrace", true, Traces.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("dev.eventual.AsyncStackTrace is missing", e);
            }
            m = maker;
        }
        return m;
    }

    /** Test hook: how many times a reason got a trace attached or updated. */
    private static final AtomicLong ATTACHED = new AtomicLong();

    /** Test hook: see {@link #ATTACHED}. */
    static long attachedForTest() {
        return ATTACHED.get();
    }

    /** Whether a loop made with {@code config} records traces. */
    static boolean enabled(LoopConfig config) {
        return config.asyncStackTraces != null ? config.asyncStackTraces : DEFAULT;
    }

    /**
     * A site for {@code kind} registered now on {@code loop}; call only when {@code loop.traces}.
     * {@code handler} is the user's callback (its class keys the frame cache), or null.
     */
    static Trace site(EventLoopImpl loop, String kind, Object handler) {
        Trace context = loop.inEventLoop() ? loop.trace : null;
        return Trace.site(kind, TraceSites.capture(handler), context);
    }

    /**
     * A derived promise's link for {@code kind} registered now on {@code loop} (see {@link
     * Trace.Reacting}); call only when {@code loop.traces}. {@code key} is the user's callback (its
     * class keys the frame cache); {@code handler} is what the derived promise calls.
     */
    static Trace.Reacting reacting(EventLoopImpl loop, String kind, Object key, Object handler) {
        Trace context = loop.inEventLoop() ? loop.trace : null;
        return new Trace.Reacting(kind, TraceSites.capture(key), context, handler);
    }

    /**
     * The core-internal entry point of the io module: {@code loop.from(stage)} for an operation
     * of the given kind ({@code "fetch"}, {@code "readFile"}, ...), called where the operation
     * starts, in the user's call. With traces on, the promise's reactions run under the
     * operation's site, so a failure of the operation names the line that started it.
     *
     * @param loop the loop
     * @param kind the operation
     * @param stage the operation's future
     * @param <T> the type of the value
     * @return {@code loop.from(stage)}
     */
    public static <T> dev.eventual.Promise<T> operation(dev.eventual.EventLoop loop, String kind,
                                                        java.util.concurrent.CompletionStage<? extends T> stage) {
        return loop instanceof EventLoopImpl impl ? StageBridge.from(impl, stage, kind) : loop.from(stage);
    }

    /**
     * Attaches the async stack of {@code context} to {@code reason} (see the overview). Never
     * throws: a diagnostic must not change the outcome it describes.
     */
    static void attach(Throwable reason, Trace context) {
        if (context == null || reason == null || reason instanceof VirtualMachineError) {
            return;
        }
        try {
            List<StackTraceElement> frames = new ArrayList<>();
            StringBuilder kinds = new StringBuilder("async stack (newest first): ");
            render(context, frames, kinds);
            if (frames.isEmpty()) {
                return;
            }
            StackTraceElement[] sites = frames.toArray(new StackTraceElement[0]);
            String message = kinds.toString();
            Maker m = maker();
            synchronized (reason) { // Throwable's own lock: see the overview
                for (Throwable s : reason.getSuppressed()) {
                    if (m.update(s, message, sites)) {
                        ATTACHED.incrementAndGet();
                        return;
                    }
                }
                reason.addSuppressed(m.make(message, sites)); // a no-op when suppression is disabled
            }
            ATTACHED.incrementAndGet();
        } catch (Throwable cannot) {
            // Out of memory while rendering, or a Throwable subclass that refuses: the reason
            // goes on as it is.
        }
    }

    /** Whether two frames are on the same line of the same class (a lambda and its enclosing method). */
    private static boolean sameLine(StackTraceElement a, StackTraceElement b) {
        return b != null && a.getLineNumber() == b.getLineNumber() && a.getClassName().equals(b.getClassName())
                && java.util.Objects.equals(a.getFileName(), b.getFileName());
    }

    /** Renders a chain newest first: sites seen before skipped, consecutive equal frames merged. */
    static void render(Trace context, List<StackTraceElement> frames, StringBuilder kinds) {
        Trace[] seen = new Trace[Trace.MAX_DEPTH];
        int seenCount = 0;
        StackTraceElement last = null;
        boolean first = true;
        for (Trace t = context; t != null && seenCount < seen.length; t = t.cause) {
            boolean repeated = false;
            for (int i = 0; i < seenCount && !repeated; i++) {
                repeated = seen[i] == t;
            }
            if (repeated) {
                continue;
            }
            seen[seenCount++] = t;
            if (t.frame == null || sameLine(t.frame, last)) {
                continue;
            }
            last = t.frame;
            frames.add(t.frame);
            kinds.append(first ? "" : " <- ").append(t.kind);
            first = false;
        }
    }
}
