package dev.eventual.internal;

/**
 * One link of an async stack (see {@link Traces}): a registration site, or one run of the work
 * registered there, with the link that caused it.
 *
 * <pre>
 * A registration ({@code then}, {@code setTimeout}, {@code await}, ...) makes a site: its kind,
 * the user frame that made it, and as cause the context of the code that registered it (the
 * loop's {@code trace} field then, null outside the loop). When the work runs, the loop's trace
 * field names the run: the site itself when nothing else caused it (a task, a timer), or a run
 * link (the site's kind and frame, cause = trigger) when something did: the context that settled
 * the promise the reaction waited for. So each link's causes lead back through what made its work
 * run to the code that started it all.
 *
 * A derived promise's registration is one object, a {@link Reacting} link, that is its site, holds
 * its handler until the handler runs, and then becomes its run: when the reaction is queued in
 * some context (the trigger), the link's cause is replaced by the trigger (first trigger wins;
 * depth 0 marks "triggered, not run yet"), and when the handler starts the cause is bounded and
 * the depth set. So a traced then link costs this one object, not a site, a wrapper for the
 * handler, a wrapper for the queued reaction and a run link.
 *
 * Identity: rendering skips a link seen before in the same chain (the site of a setInterval, whose
 * every run is the site itself).
 *
 * Reachability: a link keeps reachable only its cause (and a Reacting link, until it runs, its
 * handler). A run link copies its site's kind and frame and holds no reference to the site, whose
 * cause is the registering context: were the run to hold it, each run of an async body's awaits
 * would keep the previous await's run reachable through its site, past every cut, and a body that
 * awaits forever would keep every link it ever made.
 *
 * Depth: {@code depth} counts the links to the root. A chain that keeps growing (a timer that sets
 * the next, a promise loop) is cut: a link whose cause is MAX_DEPTH deep gets a copy of the newest
 * KEEP links of it instead, so a chain holds at most MAX_DEPTH links, and the copy, O(KEEP), is
 * paid once per MAX_DEPTH - KEEP links; a chain that was cut keeps at least its newest KEEP
 * links. A copy points at no link of the old chain: it stands for itself.
 *
 * Publication (the memory-ordering argument). {@code kind} and {@code frame} are final. {@code
 * cause} and {@code depth} are written by a link's constructor (on the registering thread, before
 * the registration is handed to the loop) and, for a Reacting link, by the thread with the loop's
 * turn before the link becomes the loop's trace field; never after a link is first stored in the
 * loop's trace field or a Failure's, so a link's chain is fixed before any other code reads it.
 * Readers on the loop's turn (rendering, bounding, the next link) are ordered after those writes
 * by program order, the task queue's handoff or the turn handoff. A reader on another
 * thread without such an edge (the watchdog reading the loop's trace field; a registration
 * reading a Failure's, which only hands the link back to the loop) reads kind and frame, final,
 * whole; a cause or depth read racily is one the loop wrote or the default, so at worst a shorter
 * chain, never a broken one (jcstress: TraceRacyRead).
 * </pre>
 */
class Trace {
    /** How many links a chain keeps at most. */
    static final int MAX_DEPTH = 64;
    /**
     * How many of the newest links survive a cut: a quarter of MAX_DEPTH, so a growing chain
     * pays a copy of one link per three it adds (see the overview).
     */
    private static final int KEEP = 16;

    /** The kind of registration: "then", "setTimeout", "await", ... */
    final String kind;
    /** The first frame outside Eventual of the registering call; null if it had none. */
    final StackTraceElement frame;
    /** What caused this link: the registering context (a site) or the trigger (a run); null at the root. See the overview. */
    Trace cause;
    /** Links from here to the root, this one included; 0 only for a triggered Reacting link that has not run. */
    int depth;

    Trace(String kind, StackTraceElement frame, Trace cause) {
        this.kind = kind;
        this.frame = frame;
        this.cause = cause;
        this.depth = cause == null ? 1 : cause.depth + 1;
    }

    /** A registration site caused by {@code context} (the registering code's run, or null). */
    static Trace site(String kind, StackTraceElement frame, Trace context) {
        return new Trace(kind, frame, bounded(context));
    }

    /**
     * The run of {@code site}'s work, caused by {@code trigger}: the context that settled what it
     * waited for; the site itself when there is none (then its registering context is the cause).
     * A run is a link of the site's kind and frame that does not reference the site (see the
     * overview: Reachability).
     */
    static Trace run(Trace site, Trace trigger) {
        if (trigger == null || trigger == site) {
            return site;
        }
        return new Trace(site.kind, site.frame, bounded(trigger));
    }

    /** {@code cause}, or a copy of its newest KEEP links when it is MAX_DEPTH deep (see the overview). */
    static Trace bounded(Trace cause) {
        if (cause == null || cause.depth < MAX_DEPTH) {
            return cause;
        }
        return copy(cause, KEEP);
    }

    /** A copy of the newest {@code links} links of {@code t}'s chain. */
    private static Trace copy(Trace t, int links) {
        Trace older = links == 1 || t.cause == null ? null : copy(t.cause, links - 1);
        return new Trace(t.kind, t.frame, older);
    }

    /**
     * A derived promise's registration, site and run in one (see the overview). Loop-confined
     * until it runs: made before the derived promise is published, triggered and started on the
     * loop's turn.
     */
    static final class Reacting extends Trace {
        /** The handler (as the derived promise holds it) until it runs; then null, so a chain keeps no handler. */
        private Object handler;

        Reacting(String kind, StackTraceElement frame, Trace context, Object handler) {
            super(kind, frame, bounded(context));
            this.handler = handler;
        }

        /** The reaction is queued (or runs) in {@code trigger}'s context: it becomes the cause, unless an earlier trigger did. */
        void trigger(Trace trigger) {
            if (depth != 0) {
                cause = trigger;
                depth = 0;
            }
        }

        /** The handler starts: fixes the cause and depth, and gives up the handler. */
        Object start() {
            if (depth == 0) {
                Trace c = bounded(cause);
                cause = c;
                depth = c == null ? 1 : c.depth + 1;
            }
            Object h = handler;
            handler = null;
            return h;
        }
    }
}
