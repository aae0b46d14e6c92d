package dev.eventual.fuzz;

import java.util.List;

/** An expression of a generated {@link Program} whose value is a promise. */
sealed interface PromiseExpr {

    /** {@code Promise.resolve(value)}. */
    record Resolved(int value) implements PromiseExpr {}

    /** {@code Promise.reject(new Error(message))}. */
    record Rejected(String message) implements PromiseExpr {}

    /**
     * A promise that a timer settles: {@code delay(ms, value)} or, when {@code message} is not
     * null, {@code fail(ms, message)}.
     */
    record Delayed(int delay, int value, String message) implements PromiseExpr {}

    /**
     * A promise that a microtask settles: {@code soon(value)} or, when {@code message} is not
     * null, {@code soonFail(message)}; the microtask is queued when the expression is evaluated.
     */
    record Queued(int value, String message) implements PromiseExpr {}

    /**
     * An async function called at once: {@code (async () => { log('label'); body; outcome })()},
     * Eventual's {@code async(() -> ...)}, or {@code asyncCompose} when the outcome returns a
     * promise ({@code return p} in JavaScript, which the function's promise adopts). The body may
     * hold {@link Stmt.Await} and {@link Stmt.AwaitLoop} directly; the outcome is a
     * {@link Link.Outcome.Nothing}, {@link Link.Outcome.Value}, {@link Link.Outcome.Throw} or
     * {@link Link.Outcome.Follow}.
     */
    record Async(String label, List<Stmt> body, Link.Outcome outcome) implements PromiseExpr {
        public Async {
            body = List.copyOf(body);
        }
    }

    /** {@code new Promise(r => r(inner))}: a new promise that adopts {@code inner} (two extra turns). */
    record Adopt(PromiseExpr inner) implements PromiseExpr {}

    /** {@code Promise.resolve(inner)}, which returns {@code inner} itself. */
    record Same(PromiseExpr inner) implements PromiseExpr {}

    /** {@code P[slot]}. */
    record Ref(int slot) implements PromiseExpr {}

    /** {@code Promise.all([...])} and its siblings. */
    record Combine(Combinator kind, List<PromiseExpr> inputs) implements PromiseExpr {
        public Combine {
            inputs = List.copyOf(inputs);
        }
    }

    /** {@code source.then(...).catch(...)...}: handler methods applied in order. */
    record Chain(PromiseExpr source, List<Link> links) implements PromiseExpr {
        public Chain {
            links = List.copyOf(links);
        }
    }

    /** The four combinators, by their JavaScript names. */
    enum Combinator {
        ALL("all"), ALL_SETTLED("allSettled"), ANY("any"), RACE("race");

        final String js;

        Combinator(String js) {
            this.js = js;
        }
    }
}
