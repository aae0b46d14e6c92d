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
 * (LoopThreadStack.what). Both are plain fields; the argument is that every field of a
 * {@link Trace} is final, so a reader that sees the reference sees the whole link and its causes.
 * Outcome: 0, no link seen yet; 1, a whole link (its kind, frame, depth and cause as written).
 */
@JCStressTest
@Outcome(id = "0", expect = Expect.ACCEPTABLE, desc = "not yet published")
@Outcome(id = "1", expect = Expect.ACCEPTABLE, desc = "a whole link")
@Outcome(expect = Expect.FORBIDDEN, desc = "a link seen with a field not yet written")
@State
public class TraceRacyRead {
    private static final StackTraceElement FRAME = new StackTraceElement("App", "main", "App.java", 12);
    private final Failure failure = new Failure(new RuntimeException("r"));

    @Actor
    public void loopThread() {
        failure.trace = Trace.site("then", FRAME, Trace.site("setTimeout", FRAME, null)); // plain store
    }

    @Actor
    public void registeringThread(I_Result r) {
        Trace t = failure.trace; // plain load, as PromiseImpl.register does
        if (t == null) {
            r.r1 = 0;
        } else {
            boolean whole = "then".equals(t.kind) && t.frame == FRAME && t.depth == 2 && t.site == t
                    && t.cause != null && "setTimeout".equals(t.cause.kind) && t.cause.depth == 1;
            r.r1 = whole ? 1 : 2;
        }
    }
}
