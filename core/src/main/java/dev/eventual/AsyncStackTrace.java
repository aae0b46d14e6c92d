package dev.eventual;

import dev.eventual.internal.Traces;

/**
 * The async stack of a rejection: where the user code that led to it registered its work, found on
 * the rejection reason as a {@linkplain Throwable#getSuppressed() suppressed exception} when async
 * stack traces are on ({@link EventLoop.Builder#asyncStackTraces(boolean)}, or the system property
 * {@code eventual.asyncStackTraces=true}). It is never thrown; it is there so that every logger and
 * IDE prints it under the reason, as {@code Suppressed: dev.eventual.AsyncStackTrace: ...}.
 *
 * <p>Its stack trace is one frame per registration: the first frame outside Eventual of the call
 * that registered the work ({@code then}, {@code caught}, {@code await}, {@code setTimeout},
 * {@code submit}, {@code timeout}, a {@code fetch}, ...), newest first: the handler, {@code await}
 * or future that the rejection reached, the promises it passed through, the task or callback that
 * raised it, and back through what made that work run (the callback that registered it, or the one
 * that settled the promise it waited for) to the code that started it all. The message names the
 * kind of each registration in the same order, for example
 * {@code async stack (newest first): await <- thenCompose <- submit <- setTimeout}. A
 * registration that appears twice (a {@code thenCompose} passes a rejection on after its handler
 * started the work that failed) is shown once, and consecutive equal lines once; at most 64 are
 * kept, the newest.
 *
 * <p>When it is attached: when the reason reaches user code, that is, a rejection handler
 * ({@code caught}, {@code then(onFulfilled, onRejected)}, {@code caughtCompose}, an
 * {@code asCallback} callback), {@code await}, the {@code CompletableFuture} of
 * {@link Promise#toCompletableFuture()}, or the unhandled-rejection report. The reason's own stack
 * trace (a thrown handler's frames) is left as it is. A reason carries at most one
 * {@code AsyncStackTrace}: when it reaches user code again (it was rethrown, or it is shared by
 * several chains), the one already there is updated in place to the newest delivery's stack. An
 * {@link VirtualMachineError} (out of memory, stack overflow) gets none, and nor does a reason
 * created with suppression disabled. Attaching never fails the delivery: if it cannot be done,
 * the reason goes on without it.
 *
 * <p>One frame per site: for a handler that is a lambda or method reference, the site is found
 * once per lambda class and remembered (that is what keeps the cost of a {@code then} low), so a
 * lambda stored in a variable and registered from several lines is shown at the first of them.
 */
public final class AsyncStackTrace extends RuntimeException {
    private static final long serialVersionUID = 1L;

    static {
        Traces.install(new Traces.Maker() {
            @Override
            public RuntimeException make(String message, StackTraceElement[] sites) {
                return new AsyncStackTrace(message, sites);
            }

            @Override
            public boolean update(Throwable existing, String message, StackTraceElement[] sites) {
                if (existing instanceof AsyncStackTrace trace) {
                    trace.message = message;
                    trace.setStackTrace(sites);
                    return true;
                }
                return false;
            }
        });
    }

    /** The kinds of the sites, newest first; replaced when the reason reaches user code again. */
    private volatile String message;

    private AsyncStackTrace(String message, StackTraceElement[] sites) {
        super(null, null, false, true);
        this.message = message;
        setStackTrace(sites);
    }

    /**
     * Returns the kinds of registration, newest first, in the order of the stack trace's frames.
     *
     * @return the message, for example {@code async stack (newest first): caught <- timeout}
     */
    @Override
    public String getMessage() {
        return message;
    }
}
