package dev.eventual.fuzz;

import dev.eventual.fuzz.Link.Handler;
import dev.eventual.fuzz.PromiseExpr.Adopt;
import dev.eventual.fuzz.PromiseExpr.Async;
import dev.eventual.fuzz.PromiseExpr.Chain;
import dev.eventual.fuzz.PromiseExpr.Combine;
import dev.eventual.fuzz.PromiseExpr.Delayed;
import dev.eventual.fuzz.PromiseExpr.Queued;
import dev.eventual.fuzz.PromiseExpr.Ref;
import dev.eventual.fuzz.PromiseExpr.Rejected;
import dev.eventual.fuzz.PromiseExpr.Resolved;
import dev.eventual.fuzz.PromiseExpr.Same;
import dev.eventual.fuzz.Stmt.Settlement;
import java.util.ArrayList;
import java.util.List;

/**
 * What a program's async part is made of, for the statistics of the fuzz tests and for
 * {@link AsyncFuzzTest}'s check that the generator makes every kind it promises: where each async
 * body is called from, what each await waits for, and the loops of awaits and tick chains.
 *
 * <p>The walk follows the program's structure only (no run): a body called where nothing runs it
 * (under a handler that never runs, say) still counts.
 *
 * @param calls where each async body is called from, one entry per body (see {@link #calledFrom})
 * @param awaits what each {@link Stmt.Await} waits for, one entry per await (see {@link #operand}),
 *     with " (caught)" when it is in a try/catch
 * @param loops one entry per {@link Stmt.AwaitLoop}: its rounds
 * @param ticks one entry per {@link Stmt.Ticks}
 */
record Census(List<String> calls, List<String> awaits, List<Integer> loops, int ticks) {
    static final String TOP_LEVEL = "top level";
    static final String HANDLER = "a then/catch/finally handler";
    static final String TIMER = "a timer callback";
    static final String MICROTASK = "a microtask";
    static final String BODY_AWAITED = "another body, awaited";
    static final String BODY_NOT_AWAITED = "another body, not awaited";
    static final String EXPRESSION = "a promise expression (chain source, combinator input, slot, adoption)";

    /** How many async bodies the program has. */
    int bodies() {
        return calls.size();
    }

    static Census of(Program program) {
        Walk w = new Walk();
        w.statements(program.body(), TOP_LEVEL);
        return new Census(List.copyOf(w.calls), List.copyOf(w.awaits), List.copyOf(w.loops), w.ticks);
    }

    /** What an await's operand is, as {@link AsyncFuzzTest} counts it. */
    static String operand(Stmt.Await a) {
        return switch (a.value()) {
            case Resolved ignored when a.bare() -> "a number (await n)";
            case Resolved ignored -> "a fulfilled promise";
            case Rejected ignored -> "a rejected promise";
            case Delayed d -> d.message() == null ? "a promise a timer fulfils" : "a promise a timer rejects";
            case Queued q -> q.message() == null ? "a promise a microtask fulfils" : "a promise a microtask rejects";
            case Ref ignored -> "a slot (deferred, body, chain...)";
            case Chain ignored -> "a then-chain";
            case Async ignored -> "another body's promise";
            default -> "another promise expression";
        };
    }

    private static final class Walk {
        final List<String> calls = new ArrayList<>();
        final List<String> awaits = new ArrayList<>();
        final List<Integer> loops = new ArrayList<>();
        int ticks;

        /** {@code where}: what runs these statements, as {@link #calls} names it. */
        void statements(List<Stmt> body, String where) {
            for (Stmt s : body) {
                statement(s, where);
            }
        }

        void statement(Stmt s, String where) {
            String inBody = where.startsWith("body") ? BODY_NOT_AWAITED : where;
            switch (s) {
                case Stmt.Log ignored -> { }
                case Stmt.Let l -> expr(l.value(), EXPRESSION);
                case Stmt.LetDeferred ignored -> { }
                case Stmt.Use u -> expr(u.value(), inBody);
                case Stmt.Settle st -> {
                    if (st.how() instanceof Settlement.Follow f) {
                        expr(f.promise(), EXPRESSION);
                    }
                }
                case Stmt.Microtask m -> statements(m.body(), MICROTASK);
                case Stmt.Timeout t -> statements(t.body(), TIMER);
                case Stmt.ClearTimeout ignored -> { }
                case Stmt.Ticks ignored -> ticks++;
                case Stmt.Await a -> {
                    awaits.add(operand(a) + (a.caught() ? " (caught)" : ""));
                    expr(a.value(), BODY_AWAITED);
                }
                case Stmt.AwaitLoop l -> {
                    loops.add(l.count());
                    expr(l.value(), EXPRESSION);
                }
            }
        }

        /** {@code where}: what an async call here is called from. */
        void expr(PromiseExpr e, String where) {
            switch (e) {
                case Async a -> {
                    calls.add(where);
                    statements(a.body(), "body");
                    if (a.outcome() instanceof Link.Outcome.Follow f) {
                        expr(f.promise(), EXPRESSION);
                    }
                }
                case Adopt x -> expr(x.inner(), EXPRESSION);
                case Same x -> expr(x.inner(), EXPRESSION);
                case Combine c -> c.inputs().forEach(i -> expr(i, EXPRESSION));
                case Chain c -> {
                    expr(c.source(), EXPRESSION);
                    for (Link l : c.links()) {
                        for (Handler h : handlers(l)) {
                            statements(h.body(), HANDLER);
                            if (h.outcome() instanceof Link.Outcome.Follow f) {
                                expr(f.promise(), EXPRESSION);
                            }
                        }
                    }
                }
                default -> { }
            }
        }
    }

    static List<Handler> handlers(Link l) {
        return switch (l) {
            case Link.Then t -> List.of(t.onFulfilled());
            case Link.ThenBoth t -> List.of(t.onFulfilled(), t.onRejected());
            case Link.Catch c -> List.of(c.onRejected());
            case Link.Finally f -> List.of(f.onSettled());
        };
    }
}
