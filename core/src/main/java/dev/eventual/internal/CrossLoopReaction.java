package dev.eventual.internal;

import dev.eventual.KeepAlive;

/**
 * A reaction of one loop (the owner) registered on a promise of another loop: a combinator's
 * input, or a promise that an adopting promise follows. It runs on the source's loop thread,
 * hands the outcome to the owner as one task and runs the wrapped reaction there.
 *
 * <p>Keep-alive (rule 7): the owner waits on outside work, as for {@code Promise.from(stage)}.
 * The keep-alive is taken when the reaction is made, on the registering thread, and released
 * after the hand-off is posted, so a run-mode owner never looks idle in between (it reads its
 * keep-alives before its task queue; see {@link EventLoopImpl}). It is held until the source
 * settles or its loop closes, even when the owner no longer needs the outcome: the consumer rule
 * cancels such a source on its own loop, which settles it.
 *
 * <p>Close: the reaction is {@link #external()} and registered with
 * {@link PromiseImpl#registerExternal}, so when the source's loop closes first it runs, on the
 * closing thread, with the source's {@code EventLoopClosedException}, and the owner's promise
 * rejects with it instead of staying pending. When the owner has closed, the post fails and
 * nothing runs: the owner's pending promises were rejected by its own close.
 *
 * <p>{@code result} is written before the post and read by the owner's task: the task queue's
 * publication orders the two.
 */
final class CrossLoopReaction implements Reaction, Bookkeeping {
    private final EventLoopImpl owner;
    private final Reaction reaction;
    private final KeepAlive alive;
    private Object result;

    CrossLoopReaction(EventLoopImpl owner, Reaction reaction) {
        this.owner = owner;
        this.reaction = reaction;
        this.alive = owner.keepAliveOrNull();
    }

    /** The source's loop thread, or the thread closing it. */
    @Override
    public void react(Object r) {
        result = r;
        try {
            owner.post(this);
        } finally {
            if (alive != null) {
                alive.close();
            }
        }
    }

    /** The owner's loop thread. */
    @Override
    public void run() {
        reaction.react(result);
    }

    @Override
    public boolean external() {
        return true;
    }

    @Override
    public boolean needsOutcome() {
        return reaction.needsOutcome();
    }
}
