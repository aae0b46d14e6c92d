package dev.eventual.fuzz;

import java.util.List;

/**
 * One handler method of a {@link PromiseExpr.Chain}. Which {@link Handler.Outcome} each may have
 * is limited to what Eventual can express with JavaScript's meaning (see {@link Normalizer}).
 */
sealed interface Link {

    /**
     * {@code .then(v => ...)}: Eventual's {@code thenAccept} when the handler returns nothing,
     * {@code thenCompose} when it returns a promise, {@code then} otherwise.
     */
    record Then(Handler onFulfilled) implements Link {}

    /** {@code .then(v => ..., e => ...)}; neither handler returns a promise. */
    record ThenBoth(Handler onFulfilled, Handler onRejected) implements Link {}

    /**
     * {@code .catch(e => ...)} ({@code caught}); with {@code aggregateOnly}, JavaScript's
     * {@code if (e.name !== 'AggregateError') throw e;} first, Eventual's
     * {@code caught(AggregateException.class, ...)}. The handler returns no promise.
     */
    record Catch(Handler onRejected, boolean aggregateOnly) implements Link {}

    /** {@code .finally(() => ...)} ({@code lastly}); the handler returns nothing or throws. */
    record Finally(Handler onSettled) implements Link {}

    /**
     * A handler: it logs its label and what it received, runs its body, then ends with its
     * outcome.
     */
    record Handler(String label, List<Stmt> body, Outcome outcome) {
        public Handler {
            body = List.copyOf(body);
        }
    }

    /** How a handler ends. */
    sealed interface Outcome {
        /** No return statement: {@code undefined} in JavaScript, {@code null} in Eventual. */
        record Nothing() implements Outcome {}

        /** {@code return value;} with a number. */
        record Value(int value) implements Outcome {}

        /** {@code return v;}: what the handler received (a value, a list, a reason as a value). */
        record Arg() implements Outcome {}

        /** {@code return promise;}: followed ({@code thenCompose}); only in {@link Then}. */
        record Follow(PromiseExpr promise) implements Outcome {}

        /** {@code throw new Error(message);}. */
        record Throw(String message) implements Outcome {}
    }
}
