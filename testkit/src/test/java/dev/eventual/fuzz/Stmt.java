package dev.eventual.fuzz;

import java.util.List;

/** A statement of a generated {@link Program}; see there for the invariants. */
sealed interface Stmt {

    /** {@code log('label')}. */
    record Log(String label) implements Stmt {}

    /** {@code P[slot] = value}; top level only. */
    record Let(int slot, PromiseExpr value) implements Stmt {}

    /** {@code D[slot] = Promise.withResolvers(); P[slot] = D[slot].promise}; top level only. */
    record LetDeferred(int slot) implements Stmt {}

    /** Evaluates a promise expression for its effects and drops the promise. */
    record Use(PromiseExpr value) implements Stmt {}

    /** {@code D[slot].resolve(...)} or {@code .reject(...)}: the first settlement wins, later ones are ignored. */
    record Settle(int slot, Settlement how) implements Stmt {}

    /** {@code queueMicrotask(() => { body })}. */
    record Microtask(List<Stmt> body) implements Stmt {
        public Microtask {
            body = List.copyOf(body);
        }
    }

    /**
     * {@code T[handle] = setTimeout(() => { body }, delay)}. Handles are numbered in program
     * order; each statement runs at most once, so each handle names at most one timer.
     */
    record Timeout(int handle, int delay, List<Stmt> body) implements Stmt {
        public Timeout {
            body = List.copyOf(body);
        }
    }

    /** {@code clearTimeout(T[handle])}: nothing if that timer was not set (yet), or has fired. */
    record ClearTimeout(int handle) implements Stmt {}

    /**
     * {@code ticks('label', count)}: a chain of {@code count} microtasks, each queued by the one
     * before and logging {@code label i}; it competes for turns with the awaits of async bodies.
     */
    record Ticks(String label, int count) implements Stmt {}

    /**
     * {@code log('label', show(await value))}: only directly in an {@link PromiseExpr.Async}
     * body. With {@code bare}, JavaScript's {@code await n} of a number ({@code value} is then a
     * {@link PromiseExpr.Resolved}; Eventual's {@code await(Promise.resolve(n))}). With
     * {@code caught}, in {@code try ... catch (e) { log('label caught', describe(e)); }};
     * without, a rejection ends the body and rejects its promise.
     */
    record Await(String label, PromiseExpr value, boolean bare, boolean caught) implements Stmt {}

    /**
     * {@code for (let i = 0; i < count; i++) log('label', i, show(await value));}: only directly
     * in an {@link PromiseExpr.Async} body; {@code value} is a leaf, evaluated on every round, or,
     * with {@code bare}, the number {@code i} itself ({@code value} is then ignored).
     */
    record AwaitLoop(String label, int count, PromiseExpr value, boolean bare) implements Stmt {}

    /** How a {@link Settle} settles its deferred. */
    sealed interface Settlement {
        /** {@code resolve(value)} with a number. */
        record Fulfil(int value) implements Settlement {}

        /** {@code resolve(promise)}: adoption, or a chaining-cycle TypeError if it is the deferred's own promise. */
        record Follow(PromiseExpr promise) implements Settlement {}

        /** {@code reject(new Error(message))}. */
        record Reject(String message) implements Settlement {}
    }
}
