package dev.eventual.internal;

import dev.eventual.KeepAlive;
import dev.eventual.NodeCallback;
import dev.eventual.Promise;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;

/**
 * Makes a locked promise follow a thenable in Java's terms (rule 4): a {@link CompletionStage}
 * ({@code whenComplete} plays JavaScript's {@code then}) or a {@link Promise} of another
 * implementation ({@code asCallback} plays it). Promises of ours are followed by {@link Adoption}.
 *
 * <pre>
 * Overview
 *
 * Turns, as JavaScript's NewPromiseResolveThenableJob: this object runs as a microtask of the
 * target's loop (scheduled by {@link #start}, from any thread), and there registers one
 * {@link Resolver} on the thenable. A stage that is already complete calls it back inside that
 * registration, so the target settles in that microtask and its handlers run in the next one:
 * one turn more than a plain value, exactly as a JavaScript thenable whose then calls resolve
 * synchronously. A stage that completes later calls it back from the completing thread: the
 * target settles there (rule 3) and its handlers run as microtasks of that hand-off task. The
 * thenable is never called inside the resolve call that adopted it (rule 2).
 *
 * Promises/A+ 2.3.3.3: the resolver may be called many times, from any threads, with a value,
 * an error, another promise or stage, and the registration may throw before or after a call.
 * The first call wins (2.3.3.3.3): {@code called} goes 0 -> 1 by one CAS, and only its winner
 * acts; a throw from the registration rejects the target only if it wins that same CAS
 * (2.3.3.3.4). A call with another promise or stage keeps the target locked and starts the next
 * adoption step (2.3.3.3.1), which has its own resolver, so a later call to this one is ignored
 * even though the target is still pending.
 *
 * Keep-alive (rule 7): the job takes one when it registers, and the winning call releases it
 * after the settle posted its hand-off task (or the next step its job), so the loop never looks
 * idle in between. Invariant: whatever task {@link Resolver#settle} posts (the next step's job;
 * the hand-off of a rejection, or of a fulfilment that has reactions waiting) is claimed on the
 * task queue (a volatile getAndAdd) before the release (a volatile decrement of the count); a
 * run-mode loop's idle check reads the count before the queue ({@link EventLoopImpl}'s sleep
 * protocol), so a loop that sees this release sees the posted task and runs it. Called on the loop
 * thread, the settle queues microtasks instead, which the loop drains before any idle check. A
 * fulfilment nobody waits for posts nothing, and then nothing needs the loop. A thenable that never
 * calls back keeps the loop alive, as a pending stage always did; cancelling a
 * Promise.from(stage) releases it (see {@link StageBridge.FromStage}).
 * </pre>
 */
final class ThenableAdoption implements Reaction {
    private final PromiseImpl<?> target;

    private ThenableAdoption(PromiseImpl<?> target) {
        this.target = target;
    }

    /** Schedules the job that makes {@code target} (locked) follow {@code thenable}; any thread. */
    static void start(PromiseImpl<?> target, Object thenable) {
        assert thenable instanceof CompletionStage<?> || (thenable instanceof Promise<?> && !(thenable instanceof PromiseImpl<?>));
        target.loop.schedule(new ThenableAdoption(target), thenable);
    }

    /** The job: a microtask of the target's loop, with the thenable as argument. */
    @Override
    public void react(Object thenable) {
        if (target.isSettled()) {
            return; // cancelled (or closed) before the job ran: nothing waits for the thenable
        }
        KeepAlive alive = target.loop.keepAliveOrNull(thenable);
        if (target instanceof StageBridge.FromStage<?> from && from.stage == thenable) {
            from.alive = alive; // loop thread, as FromStage.producerCancelled, which releases it
        }
        Resolver resolver = new Resolver(target, alive);
        try {
            if (thenable instanceof CompletionStage<?> stage) {
                stage.whenComplete(resolver);
            } else {
                ((Promise<?>) thenable).asCallback(resolver);
            }
        } catch (Throwable t) {
            if (resolver.claim()) { // 2.3.3.3.4: a throw counts only if nothing was called before it
                resolver.settle(null, t);
            }
        }
    }

    @Override
    public boolean needsOutcome() {
        return !target.isSettled();
    }

    /**
     * The resolving function of one adoption step: both {@code whenComplete}'s and
     * {@code asCallback}'s callback. Called on any thread, any number of times; see the overview.
     */
    static final class Resolver implements BiConsumer<Object, Throwable>, NodeCallback<Object> {
        private static final VarHandle CALLED;

        static {
            try {
                CALLED = MethodHandles.lookup().findVarHandle(Resolver.class, "called", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private final PromiseImpl<?> target;
        private final KeepAlive alive;
        /** 0 until the first call, then 1; CAS only (volatile mode), so exactly one call wins. */
        @SuppressWarnings("unused") // accessed through CALLED
        private volatile int called;

        Resolver(PromiseImpl<?> target, KeepAlive alive) {
            this.target = target;
            this.alive = alive;
        }

        @Override
        public void accept(Object value, Throwable error) {
            if (claim()) {
                settle(value, error);
            }
        }

        @Override
        public void call(Throwable error, Object value) {
            accept(value, error);
        }

        /** Whether this call is the first: the one CAS that decides (A+ 2.3.3.3.3). */
        boolean claim() {
            return CALLED.compareAndSet(this, 0, 1);
        }

        /** The winner only: settles the target, or starts following what it was given. */
        void settle(Object value, Throwable error) {
            try {
                if (error != null) {
                    target.completeFollowing(new Failure(StageBridge.unwrap(error)));
                } else if (value instanceof Promise<?> || value instanceof CompletionStage<?>) {
                    target.followNext(value); // the target stays locked; the next step has its own resolver
                } else {
                    target.completeFollowing(PromiseImpl.encode(value));
                }
            } finally {
                if (alive != null) {
                    alive.close(); // after the settle posted its hand-off, so the loop never looks idle between
                }
            }
        }
    }
}
