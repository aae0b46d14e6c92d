package dev.eventual.internal;

/**
 * The task by which a reaction registered from another thread on an already settled promise
 * reaches its loop's microtask queue. If the loop closes before it runs, {@link EventLoopImpl#shutdown}
 * still runs it when it is external.
 */
final class ScheduledReaction implements Runnable {
    private final EventLoopImpl loop;
    private final Reaction reaction;
    private final Object result;

    ScheduledReaction(EventLoopImpl loop, Reaction reaction, Object result) {
        this.loop = loop;
        this.reaction = reaction;
        this.result = result;
    }

    @Override
    public void run() {
        loop.microtasks.add(reaction, result);
    }

    /** The loop closed first: an external reaction still tells its caller, from this thread. */
    void runExternal() {
        if (reaction.external()) {
            reaction.react(result);
        }
    }
}
