package dev.eventual.internal;

/**
 * Something to do when a promise settles that is not itself a derived promise: a combinator
 * slot, an adoption, a bridge to a {@code CompletableFuture} or a Node-style callback.
 *
 * <p>{@link #react} runs on the source promise's loop thread, as a microtask, with the source's
 * encoded result (a value, {@link PromiseImpl#NIL} or a {@link Failure}). A reaction that is
 * {@link #external()} touches no loop-confined state and may instead run on any thread when the
 * loop has closed, so that callers outside the loop are told (see {@link EventLoopImpl#shutdown}).
 */
interface Reaction {
    void react(Object result);

    default boolean external() {
        return false;
    }

    /**
     * Whether this reaction still needs its source's outcome: the consumer rule of rule 6 (see
     * {@link PromiseImpl}) cancels a source only when none of its reactions does. Read on the
     * source's loop thread; a stale {@code true} only keeps a source running.
     */
    default boolean needsOutcome() {
        return true;
    }

    /**
     * This reaction, to be queued while traced work {@code trigger} runs (async stack traces on;
     * see {@link Traces}): it runs with the loop's trace field naming the trigger. A wrapper by
     * default; a derived promise keeps the trigger in its own link instead (no allocation).
     */
    default Reaction triggeredBy(EventLoopImpl loop, Trace trigger) {
        return new TriggeredReaction(loop, this, trigger);
    }
}
