package dev.eventual.internal;

/**
 * One link of an async stack (see {@link Traces}): a registration site, or one run of the work
 * registered there, with the link that caused it. Immutable.
 *
 * <pre>
 * A registration ({@code then}, {@code setTimeout}, {@code await}, ...) makes a site: its kind,
 * the user frame that made it, and as cause the context of the code that registered it (the
 * loop's {@code trace} field then, null outside the loop). When the work runs, the loop's trace
 * field names the run: the site itself when nothing else caused it (a task, a timer), or a run
 * link {@code (site, cause = trigger)} when something did: the context that settled the promise
 * the reaction waited for. So each link's causes lead back through what made its work run to the
 * code that started it all.
 *
 * Depth: {@code depth} counts the links to the root. A chain that keeps growing (a timer that sets
 * the next, a promise loop) is cut: a link whose cause is MAX_DEPTH deep gets a copy of the newest
 * KEEP links of it instead, so a chain holds at most MAX_DEPTH links, and the copy, O(KEEP), is
 * paid once per MAX_DEPTH - KEEP links.
 * </pre>
 */
final class Trace {
    /** How many links a chain keeps at most. */
    static final int MAX_DEPTH = 64;
    /** How many of the newest links survive a cut. */
    private static final int KEEP = 32;

    /** The kind of registration: "then", "setTimeout", "await", ... */
    final String kind;
    /** The first frame outside Eventual of the registering call; null if it had none. */
    final StackTraceElement frame;
    /** What caused this link: the registering context (a site) or the trigger (a run); null at the root. */
    final Trace cause;
    /** The registration this link is: itself for a site, the site for a run. */
    final Trace site;
    /** Links from here to the root, this one included. */
    final int depth;

    private Trace(String kind, StackTraceElement frame, Trace cause, Trace site) {
        this.kind = kind;
        this.frame = frame;
        this.cause = cause;
        this.site = site == null ? this : site;
        this.depth = cause == null ? 1 : cause.depth + 1;
    }

    /** A registration site caused by {@code context} (the registering code's run, or null). */
    static Trace site(String kind, StackTraceElement frame, Trace context) {
        return new Trace(kind, frame, bounded(context), null);
    }

    /**
     * The run of {@code site}'s work, caused by {@code trigger}: the context that settled what it
     * waited for; the site itself when there is none (then its registering context is the cause).
     */
    static Trace run(Trace site, Trace trigger) {
        if (trigger == null || trigger == site) {
            return site;
        }
        return new Trace(site.kind, site.frame, bounded(trigger), site);
    }

    /** {@code cause}, or a copy of its newest KEEP links when it is MAX_DEPTH deep (see the overview). */
    private static Trace bounded(Trace cause) {
        if (cause == null || cause.depth < MAX_DEPTH) {
            return cause;
        }
        Trace[] newest = new Trace[KEEP];
        Trace p = cause;
        for (int i = 0; i < KEEP; i++) {
            newest[i] = p;
            p = p.cause;
        }
        Trace copy = null;
        for (int i = KEEP - 1; i >= 0; i--) {
            Trace t = newest[i];
            copy = new Trace(t.kind, t.frame, copy, t.site);
        }
        return copy;
    }
}
