package dev.eventual.internal;

/**
 * Makes a locked promise follow another promise of ours, in JavaScript's two turns: first run
 * as a microtask with the source as argument (NewPromiseResolveThenableJob), it registers
 * itself on the source; then it runs as the source's reaction and settles the target.
 * {@code registered} is confined to the loop threads that run it, in that order. Stages and
 * promises of other implementations are adopted by {@link ThenableAdoption}.
 */
final class Adoption implements Reaction {
    private final PromiseImpl<?> target;
    private boolean registered;

    Adoption(PromiseImpl<?> target) {
        this.target = target;
    }

    @Override
    public void react(Object arg) {
        if (!registered) {
            registered = true;
            ((PromiseImpl<?>) arg).registerFrom(target.loop, this);
        } else {
            target.completeFollowing(arg);
        }
    }

    @Override
    public boolean needsOutcome() {
        return !target.isSettled(); // a cancelled follower no longer needs what it follows
    }
}
