package dev.eventual.internal;

import dev.eventual.UnhandledRejectionPolicy;
import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * JFR event {@code dev.eventual.UnhandledRejection}: a rejection nobody handled was reported
 * (rule 5, {@link RejectionTracker}), whatever the loop's policy says to do with it; its reason's
 * class, message and stack as text (the committing thread's stack would be the loop's report).
 */
@Name("dev.eventual.UnhandledRejection")
@Label("Unhandled Rejection")
@Category("Eventual")
@Description("A promise rejection nobody handled, reported at a microtask checkpoint or when its promise was collected or its loop closed")
@StackTrace(false)
final class UnhandledRejectionEvent extends Event {
    @Label("Event Loop")
    String loop;

    @Label("Policy")
    @Description("What the loop does with it: WARN, THROW or IGNORE")
    String policy;

    @Label("Reason Class")
    Class<?> reasonClass;

    @Label("Reason")
    @Description("The reason's text (its class name when its toString fails)")
    String reason;

    @Label("Reason Stack Trace")
    @Description("Where the reason was made, one frame a line")
    String reasonStackTrace;

    /** Loop thread: commits the event for a rejection being reported, if a recording wants it. */
    static void emit(EventLoopImpl loop, UnhandledRejectionPolicy policy, Throwable reason) {
        UnhandledRejectionEvent e = new UnhandledRejectionEvent();
        if (!e.isEnabled()) {
            return;
        }
        e.loop = loop.name();
        e.policy = policy.name();
        e.reasonClass = reason.getClass();
        e.reason = ErrorText.describe(reason);
        StackTraceElement[] stack;
        try {
            stack = reason.getStackTrace();
        } catch (Throwable hostile) {
            stack = new StackTraceElement[0]; // an override that throws: the event still says what it can
        }
        e.reasonStackTrace = BlockedLoopEvent.frames(stack);
        e.commit();
    }
}
