package dev.eventual.internal;

/**
 * A loop thread's stack at one moment, as the throwable of a report (a blocked loop, a close
 * that did not finish in time), so every logger and IDE prints it as a stack trace. Not thrown.
 */
final class LoopThreadStack extends Throwable {
    private static final long serialVersionUID = 1L;

    private LoopThreadStack(String message, StackTraceElement[] stack) {
        super(message, null, false, true);
        setStackTrace(stack);
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this; // the stack is the watched thread's, set in the constructor
    }

    /**
     * The stack of what holds {@code loop} now: the async body with the turn (a plain racy read
     * of loop.turn, see TurnMark), else, or when that body has already ended (an empty stack),
     * the loop thread; null once the loop has no thread.
     */
    static LoopThreadStack of(EventLoopImpl loop) {
        AsyncBody<?> body = loop.turn;
        Thread bodyThread = body == null ? null : body.thread;
        if (bodyThread != null) {
            StackTraceElement[] stack = bodyThread.getStackTrace();
            if (stack.length > 0) {
                return new LoopThreadStack("async body thread '" + bodyThread.getName() + "' of event loop '"
                        + loop.name() + "'", stack);
            }
        }
        Thread t = loop.thread;
        return t == null ? null
                : new LoopThreadStack("thread '" + t.getName() + "' of event loop '" + loop.name() + "'", t.getStackTrace());
    }

    /**
     * What holds the loop, in words, as the subject of a sentence: the kind of work, and whether
     * an async body has the turn ("a task, in an async body's turn,").
     */
    static String what(EventLoopImpl loop, int kind) {
        return TurnMark.describe(kind) + site(loop) + (loop.turn != null ? ", in an async body's turn," : "");
    }

    /**
     * With async stack traces on, where the running work was registered: " (setTimeout at
     * App.main(App.java:12))"; else "". Reads the loop's turn-confined trace field from another
     * thread, racily: a link's fields are all final, so this sees a whole link, or null, or one
     * that has just ended; it only names what ran.
     */
    private static String site(EventLoopImpl loop) {
        Trace t = loop.trace;
        return t == null || t.frame == null ? "" : " (" + t.kind + " at " + t.frame + ")";
    }
}
