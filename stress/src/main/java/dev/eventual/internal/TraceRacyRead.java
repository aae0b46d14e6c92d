package dev.eventual.internal;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.I_Result;

/**
 * Async stack-trace links are read racily: a {@link Failure}'s trace field by a registration on
 * another thread (PromiseImpl.register), the loop's trace field by the watchdog
 * (LoopThreadStack.what). Both are plain fields. The argument (see {@link Trace}'s overview): a
 * link's kind and frame are final, so a reader that sees the reference sees them whole; its cause
 * and depth are plain, written by the loop before it publishes the link and never after, so a racy
 * reader sees the values written or the defaults (a shorter chain), never anything else. The loop
 * here publishes a derived promise's link as it does: made with its registering context,
 * triggered, started, then stored.
 * Outcome: 0, no link seen yet; 1, the whole link as written; 3, kind and frame whole, cause or
 * depth stale (allowed: the racy readers read only kind and frame, or hand the link back to the loop).
 */
@JCStressTest
@Outcome(id = "0", expect = Expect.ACCEPTABLE, desc = "not yet published")
@Outcome(id = "1", expect = Expect.ACCEPTABLE, desc = "a whole link")
@Outcome(id = "3", expect = Expect.ACCEPTABLE_INTERESTING, desc = "kind and frame whole, cause or depth not yet seen")
@Outcome(expect = Expect.FORBIDDEN, desc = "a kind or frame not as written, or a cause the loop never wrote")
@State
public class TraceRacyRead {
    private static final StackTraceElement FRAME = new StackTraceElement("App", "main", "App.java", 12);
    private static final Trace CONTEXT = Trace.site("execute", FRAME, null);
    private static final Trace TRIGGER = Trace.site("setTimeout", FRAME, null);
    private final Failure failure = new Failure(new RuntimeException("r"));

    @Actor
    public void loopThread() {
        Trace.Reacting link = new Trace.Reacting("then", FRAME, CONTEXT, "handler");
        link.trigger(TRIGGER);
        link.start();
        failure.trace = link; // plain store
    }

    @Actor
    public void registeringThread(I_Result r) {
        Trace t = failure.trace; // plain load, as PromiseImpl.register does
        if (t == null) {
            r.r1 = 0;
            return;
        }
        if (!"then".equals(t.kind) || t.frame != FRAME) {
            r.r1 = 2;
            return;
        }
        Trace cause = t.cause;
        int depth = t.depth;
        if (cause == TRIGGER && depth == 2) {
            r.r1 = 1;
        } else if (cause == null || cause == CONTEXT || cause == TRIGGER) {
            r.r1 = 3;
        } else {
            r.r1 = 2;
        }
    }
}
