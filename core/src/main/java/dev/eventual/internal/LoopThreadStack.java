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

    /** The stack of whatever holds {@code loop} now: the async body with the turn, else the loop thread; null if it has none. */
    static LoopThreadStack of(Loop loop) {
        Thread t = holder(loop);
        if (t == null) {
            return null;
        }
        return new LoopThreadStack("thread '" + t.getName() + "' of event loop '" + loop.name() + "'", t.getStackTrace());
    }

    /** The async body's thread if one has the turn (a plain racy read, see TurnMark), else the loop's. */
    static Thread holder(Loop loop) {
        AsyncBody<?> body = loop.turn;
        Thread bodyThread = body == null ? null : body.thread;
        return bodyThread != null ? bodyThread : loop.thread;
    }

    /** What holds the loop, in words. */
    static String what(Loop loop, int kind) {
        return loop.turn != null ? "an async body's turn" : TurnMark.describe(kind);
    }
}
