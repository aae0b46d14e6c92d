package dev.eventual.internal;

/**
 * A reaction queued while async stack traces are on and some traced work was running: runs it with
 * the loop's trace field naming that work (the trigger: what settled the promise the reaction
 * waited for; see {@link Traces}), and puts the field back. Everything else is the reaction's.
 */
final class TriggeredReaction implements Reaction {
    private final EventLoopImpl loop;
    private final Reaction reaction;
    private final Trace trigger;

    TriggeredReaction(EventLoopImpl loop, Reaction reaction, Trace trigger) {
        this.loop = loop;
        this.reaction = reaction;
        this.trigger = trigger;
    }

    @Override
    public void react(Object result) {
        if (!loop.inEventLoop()) {
            reaction.react(result); // an external reaction after close: no loop context to set
            return;
        }
        Trace saved = loop.trace;
        loop.trace = trigger;
        try {
            reaction.react(result);
        } finally {
            loop.trace = saved;
        }
    }

    @Override
    public boolean external() {
        return reaction.external();
    }

    @Override
    public boolean needsOutcome() {
        return reaction.needsOutcome();
    }
}
