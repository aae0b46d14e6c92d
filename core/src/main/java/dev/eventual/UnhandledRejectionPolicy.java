package dev.eventual;

/**
 * What an event loop does with a rejection that no handler claimed by the end of the microtask
 * checkpoint in which it happened ({@linkplain dev.eventual##rule-5 rule 5}). Set it with
 * {@link EventLoop.Builder#unhandledRejections(UnhandledRejectionPolicy)}.
 *
 * <p>Whatever the policy, a {@link UnhandledRejectionHandler} set on the builder is called first.
 */
public enum UnhandledRejectionPolicy {
    /**
     * Write a warning with the reason's stack trace (to the {@code dev.eventual}
     * {@link System.Logger}, or {@code System.err}: see {@link EventLoop}'s Messages), and a second one if a
     * handler is attached later. The loop keeps running. The default of a loop from
     * {@link EventLoop#start}: a loop embedded in a larger program (a server, a GUI) does not take
     * that program down.
     */
    WARN,
    /**
     * Stop the loop: it closes (rejecting what is still pending) and {@link EventLoop#run}
     * throws {@link UnhandledRejectionException} with the reason as its cause. This is what
     * Node.js does by default since version 15, and the default of {@link EventLoop#run}: a
     * program whose {@code main} lets the exception escape exits with status 1, as a Node
     * program does. On a loop from {@link EventLoop#start} the exception completes
     * {@link EventLoop#terminationFuture()} exceptionally.
     */
    THROW,
    /** Report nothing (the handler, if any, is still called). */
    IGNORE
}
