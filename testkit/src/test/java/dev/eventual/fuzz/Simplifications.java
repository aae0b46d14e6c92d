package dev.eventual.fuzz;

import dev.eventual.fuzz.Link.Handler;
import dev.eventual.fuzz.Link.Outcome;
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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * The one-step simplifications of a {@link Program}, for {@link Shrinker}, and the size that
 * each of them lowers.
 *
 * <p>A simplification changes one place: it drops a statement (top level or in a body), puts a
 * callback's body (or a handler's, of a promise expression statement) in the statement's place,
 * replaces a statement by a {@code log}, replaces a promise expression by a leaf
 * ({@code Promise.resolve(0)}, {@code Promise.reject(...)}) or by one of its own parts, drops a
 * link of a chain or an input of a combinator, turns a two-handler {@code then} into one
 * handler, makes a handler or an async body end with nothing, lowers a delay or the rounds of a
 * loop of awaits or of a tick chain, or takes an await out of its try/catch. An async body's
 * statements count as a callback's body here (its awaits become plain uses of their operands
 * where the body is put in its call's place: see {@link Normalizer}). Candidates come biggest cuts
 * first (whole top-level statements), so a greedy shrinker takes those when it can.
 *
 * <p>Invariants: every candidate is normalized ({@link Normalizer}: a dropped slot definition
 * renumbers the references after it, modulo the slots still in scope, so every candidate is a
 * valid program), differs from the program, and has a strictly smaller {@link #size}, so that
 * shrinking ends. Candidates are distinct and in a fixed order (deterministic shrinking).
 */
final class Simplifications {
    private Simplifications() {}

    /** The candidates, biggest cuts first; empty for a program that cannot get smaller. */
    static List<Program> of(Program program) {
        int size = size(program);
        Set<Program> out = new LinkedHashSet<>();
        for (List<Stmt> body : statements(program.body())) {
            if (body.isEmpty()) {
                continue; // an empty program logs nothing, on either side
            }
            Program candidate = Normalizer.normalize(new Program(body));
            if (size(candidate) < size) {
                out.add(candidate);
            }
        }
        return List.copyOf(out);
    }

    /**
     * A program's size: one per node (statement, expression, link, handler outcome other than
     * none, the aggregate-only test of a catch), plus one per timer and its delay's index in
     * {@link Programs#DELAYS}, so that a leaf instead of a timer, or a shorter delay, is smaller.
     */
    static int size(Program program) {
        return statementsSize(program.body());
    }

    private static int statementsSize(List<Stmt> body) {
        return body.stream().mapToInt(Simplifications::size).sum();
    }

    private static int size(Stmt s) {
        return switch (s) {
            case Stmt.Log ignored -> 1;
            case Stmt.Let l -> 1 + size(l.value());
            case Stmt.LetDeferred ignored -> 1;
            case Stmt.Use u -> 1 + size(u.value());
            case Stmt.Settle st -> 1 + (st.how() instanceof Settlement.Follow f ? size(f.promise()) : 1);
            case Stmt.Microtask m -> 1 + statementsSize(m.body());
            case Stmt.Timeout t -> 2 + delayRank(t.delay()) + statementsSize(t.body());
            case Stmt.ClearTimeout ignored -> 1;
            case Stmt.Ticks t -> t.count();
            case Stmt.Await a -> 1 + (a.caught() ? 1 : 0) + size(a.value());
            case Stmt.AwaitLoop l -> l.count() + size(l.value());
        };
    }

    private static int size(PromiseExpr e) {
        return switch (e) {
            case Resolved ignored -> 1;
            case Rejected ignored -> 1;
            case Ref ignored -> 1;
            case Delayed d -> 2 + delayRank(d.delay());
            case Queued ignored -> 2;
            case Async a -> 1 + statementsSize(a.body()) + size(a.outcome());
            case Adopt a -> 1 + size(a.inner());
            case Same s -> 1 + size(s.inner());
            case Combine c -> 1 + c.inputs().stream().mapToInt(Simplifications::size).sum();
            case Chain c -> 1 + size(c.source()) + c.links().stream().mapToInt(Simplifications::size).sum();
        };
    }

    private static int size(Link l) {
        return switch (l) {
            case Link.Then t -> 1 + size(t.onFulfilled());
            case Link.ThenBoth t -> 1 + size(t.onFulfilled()) + size(t.onRejected());
            case Link.Catch c -> 1 + (c.aggregateOnly() ? 1 : 0) + size(c.onRejected());
            case Link.Finally f -> 1 + size(f.onSettled());
        };
    }

    private static int size(Handler h) {
        return statementsSize(h.body()) + size(h.outcome());
    }

    private static int size(Outcome outcome) {
        return switch (outcome) {
            case Outcome.Nothing ignored -> 0;
            case Outcome.Follow f -> 1 + size(f.promise());
            default -> 1;
        };
    }

    private static int delayRank(int delay) {
        return Math.max(0, Programs.DELAYS.indexOf(delay));
    }

    /** The simplifications of a statement list (the top level or a body). */
    private static List<List<Stmt>> statements(List<Stmt> body) {
        List<List<Stmt>> out = new ArrayList<>();
        for (int i = 0; i < body.size(); i++) {
            out.add(replace(body, i, List.of()));
        }
        for (int i = 0; i < body.size(); i++) {
            switch (body.get(i)) {
                case Stmt.Microtask m -> out.add(replace(body, i, m.body()));
                case Stmt.Timeout t -> out.add(replace(body, i, t.body()));
                default -> {
                    for (List<Stmt> handlerBody : handlerBodies(body.get(i))) {
                        out.add(replace(body, i, handlerBody));
                    }
                }
            }
        }
        for (int i = 0; i < body.size(); i++) {
            if (!(body.get(i) instanceof Stmt.Log)) {
                out.add(replace(body, i, List.of(new Stmt.Log(""))));
            }
        }
        for (int i = 0; i < body.size(); i++) {
            for (Stmt s : statement(body.get(i))) {
                out.add(replace(body, i, List.of(s)));
            }
        }
        return out;
    }

    /** The non-empty bodies of the handlers in a statement's promise expression, outermost first. */
    private static List<List<Stmt>> handlerBodies(Stmt s) {
        List<List<Stmt>> out = new ArrayList<>();
        switch (s) {
            case Stmt.Let l -> handlerBodies(l.value(), out);
            case Stmt.Use u -> handlerBodies(u.value(), out);
            case Stmt.Settle st when st.how() instanceof Settlement.Follow f -> handlerBodies(f.promise(), out);
            case Stmt.Await a -> handlerBodies(a.value(), out);
            default -> { }
        }
        return out;
    }

    private static void handlerBodies(PromiseExpr e, List<List<Stmt>> out) {
        switch (e) {
            case Adopt a -> handlerBodies(a.inner(), out);
            case Same s -> handlerBodies(s.inner(), out);
            case Combine c -> c.inputs().forEach(i -> handlerBodies(i, out));
            case Chain c -> {
                for (Link l : c.links()) {
                    List<Handler> handlers = switch (l) {
                        case Link.Then t -> List.of(t.onFulfilled());
                        case Link.ThenBoth t -> List.of(t.onFulfilled(), t.onRejected());
                        case Link.Catch k -> List.of(k.onRejected());
                        case Link.Finally f -> List.of(f.onSettled());
                    };
                    for (Handler h : handlers) {
                        if (!h.body().isEmpty()) {
                            out.add(h.body());
                        }
                    }
                }
                handlerBodies(c.source(), out);
            }
            case Async a -> {
                if (!a.body().isEmpty()) {
                    out.add(a.body()); // its awaits become plain uses there (see Normalizer)
                }
                for (Stmt s : a.body()) {
                    if (s instanceof Stmt.Await await) {
                        handlerBodies(await.value(), out);
                    }
                }
            }
            default -> { }
        }
    }

    private static List<Stmt> statement(Stmt s) {
        return switch (s) {
            case Stmt.Let l -> map(expr(l.value()), e -> new Stmt.Let(l.slot(), e));
            case Stmt.Use u -> map(expr(u.value()), Stmt.Use::new);
            case Stmt.Settle st -> switch (st.how()) {
                case Settlement.Follow f -> {
                    List<Stmt> out = new ArrayList<>();
                    out.add(new Stmt.Settle(st.slot(), new Settlement.Fulfil(0)));
                    out.addAll(map(expr(f.promise()), p -> new Stmt.Settle(st.slot(), new Settlement.Follow(p))));
                    yield out;
                }
                default -> List.of();
            };
            case Stmt.Microtask m -> map(statements(m.body()), Stmt.Microtask::new);
            case Stmt.Timeout t -> {
                List<Stmt> out = new ArrayList<>();
                for (int d : lowerDelays(t.delay())) {
                    out.add(new Stmt.Timeout(t.handle(), d, t.body()));
                }
                out.addAll(map(statements(t.body()), b -> new Stmt.Timeout(t.handle(), t.delay(), b)));
                yield out;
            }
            case Stmt.Log ignored -> List.of();
            case Stmt.LetDeferred ignored -> List.of();
            case Stmt.ClearTimeout ignored -> List.of();
            case Stmt.Ticks t -> {
                List<Stmt> out = new ArrayList<>();
                for (int c = 1; c < t.count(); c++) {
                    out.add(new Stmt.Ticks(t.label(), c));
                }
                yield out;
            }
            case Stmt.Await a -> {
                List<Stmt> out = new ArrayList<>();
                if (a.caught()) {
                    out.add(new Stmt.Await(a.label(), a.value(), a.bare(), false));
                }
                out.addAll(map(expr(a.value()), v -> new Stmt.Await(a.label(), v, a.bare(), a.caught())));
                yield out;
            }
            case Stmt.AwaitLoop l -> {
                List<Stmt> out = new ArrayList<>();
                for (int c = 1; c < l.count(); c++) {
                    out.add(new Stmt.AwaitLoop(l.label(), c, l.value(), l.bare()));
                }
                if (!l.bare()) {
                    out.addAll(map(expr(l.value()), v -> new Stmt.AwaitLoop(l.label(), l.count(), v, false)));
                }
                yield out;
            }
        };
    }

    /** Leaves first, then the expression's own parts in its place, then simpler parts. */
    private static List<PromiseExpr> expr(PromiseExpr e) {
        List<PromiseExpr> out = new ArrayList<>();
        boolean leaf = e instanceof Resolved || e instanceof Rejected || e instanceof Ref;
        if (!leaf) {
            out.add(new Resolved(0));
            out.add(new Rejected(""));
        }
        switch (e) {
            case Async a -> {
                if (!(a.outcome() instanceof Outcome.Nothing)) {
                    out.add(new Async(a.label(), a.body(), new Outcome.Nothing()));
                }
                if (a.outcome() instanceof Outcome.Follow f) {
                    out.add(f.promise()); // what the body returns, in its place
                    out.addAll(map(expr(f.promise()), p -> new Async(a.label(), a.body(), new Outcome.Follow(p))));
                }
                out.addAll(map(statements(a.body()), b -> new Async(a.label(), b, a.outcome())));
            }
            case Delayed d -> {
                for (int lower : lowerDelays(d.delay())) {
                    out.add(new Delayed(lower, d.value(), d.message()));
                }
            }
            case Adopt a -> {
                out.add(a.inner());
                out.addAll(map(expr(a.inner()), Adopt::new));
            }
            case Same s -> {
                out.add(s.inner());
                out.addAll(map(expr(s.inner()), Same::new));
            }
            case Combine c -> {
                out.addAll(c.inputs());
                for (int i = 0; i < c.inputs().size(); i++) {
                    out.add(new Combine(c.kind(), replace(c.inputs(), i, List.of())));
                }
                for (int i = 0; i < c.inputs().size(); i++) {
                    int at = i;
                    out.addAll(map(expr(c.inputs().get(i)), p -> new Combine(c.kind(), replace(c.inputs(), at, List.of(p)))));
                }
            }
            case Chain c -> {
                out.add(c.source());
                if (c.links().size() > 1) {
                    for (int i = 0; i < c.links().size(); i++) {
                        out.add(new Chain(c.source(), replace(c.links(), i, List.of())));
                    }
                }
                out.addAll(map(expr(c.source()), s -> new Chain(s, c.links())));
                for (int i = 0; i < c.links().size(); i++) {
                    int at = i;
                    out.addAll(map(link(c.links().get(i)), l -> new Chain(c.source(), replace(c.links(), at, List.of(l)))));
                }
            }
            default -> { }
        }
        return out;
    }

    private static List<Link> link(Link l) {
        return switch (l) {
            case Link.Then t -> map(handler(t.onFulfilled()), Link.Then::new);
            case Link.ThenBoth t -> {
                List<Link> out = new ArrayList<>();
                out.add(new Link.Then(t.onFulfilled()));
                out.add(new Link.Catch(t.onRejected(), false));
                out.addAll(map(handler(t.onFulfilled()), h -> new Link.ThenBoth(h, t.onRejected())));
                out.addAll(map(handler(t.onRejected()), h -> new Link.ThenBoth(t.onFulfilled(), h)));
                yield out;
            }
            case Link.Catch c -> {
                List<Link> out = new ArrayList<>();
                if (c.aggregateOnly()) {
                    out.add(new Link.Catch(c.onRejected(), false));
                }
                out.addAll(map(handler(c.onRejected()), h -> new Link.Catch(h, c.aggregateOnly())));
                yield out;
            }
            case Link.Finally f -> map(handler(f.onSettled()), Link.Finally::new);
        };
    }

    private static List<Handler> handler(Handler h) {
        List<Handler> out = new ArrayList<>();
        if (!(h.outcome() instanceof Outcome.Nothing)) {
            out.add(new Handler(h.label(), h.body(), new Outcome.Nothing()));
        }
        if (h.outcome() instanceof Outcome.Follow f) {
            out.addAll(map(expr(f.promise()), p -> new Handler(h.label(), h.body(), new Outcome.Follow(p))));
        }
        out.addAll(map(statements(h.body()), b -> new Handler(h.label(), b, h.outcome())));
        return out;
    }

    private static List<Integer> lowerDelays(int delay) {
        return Programs.DELAYS.stream().filter(d -> d < delay).toList();
    }

    /** {@code list} with its element at {@code index} replaced by {@code with} (none, one or several). */
    private static <T> List<T> replace(List<T> list, int index, List<? extends T> with) {
        List<T> out = new ArrayList<>(list.subList(0, index));
        out.addAll(with);
        out.addAll(list.subList(index + 1, list.size()));
        return out;
    }

    private static <A, B> List<B> map(List<A> list, Function<A, B> f) {
        return list.stream().map(f).toList();
    }
}
