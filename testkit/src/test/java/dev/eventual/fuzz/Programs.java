package dev.eventual.fuzz;

import dev.eventual.fuzz.Link.Handler;
import dev.eventual.fuzz.Link.Outcome;
import dev.eventual.fuzz.PromiseExpr.Combinator;
import dev.eventual.fuzz.Stmt.Settlement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * jqwik generators of small {@link Program}s, normalized (see {@link Normalizer}).
 *
 * <p>Shape: 1 to 6 top-level statements (logs, slot definitions, promise expressions for their
 * effects, settlements of deferreds, microtasks, timers, clearing timers). Expressions nest up to
 * {@link #TOP_DEPTH} deep: chains of 1 to 3 handler methods, combinators of 0 to 3 inputs,
 * adoption wrappers. Handlers and callbacks have bodies of 0 to 2 statements, one level less
 * deep, so callbacks nest at most three levels (a timer in a timer in a handler, say). Each
 * depth has its leaves as the most frequent choice, which keeps programs small enough that
 * their synchronous part takes well under a millisecond.
 *
 * <p>Timer delays come from {@link #DELAYS}: 0 and 1 (both 1 ms, in one FIFO list in Node),
 * 20 and 40. On virtual time any delays would do; these are far apart compared with the time
 * code takes, so that most programs also have a fixed timer order on the real clock, where the
 * real-clock check of {@link DifferentialFuzzTest} compares Node on virtual time with real Node.
 * Nesting can still bring two timers of different delays close; {@link TimerSchedule} finds
 * those programs, which that check leaves out. The alternatives of each choice are listed
 * simplest first: jqwik shrinks towards the first.
 */
final class Programs {
    static final List<Integer> DELAYS = List.of(0, 1, 20, 40);
    static final int TOP_DEPTH = 3;

    private static final Map<Integer, Arbitrary<PromiseExpr>> PROMISES = new HashMap<>();
    private static final Map<Integer, Arbitrary<Stmt>> STATEMENTS = new HashMap<>();

    private Programs() {}

    static Arbitrary<Program> programs() {
        return topLevel().list().ofMinSize(1).ofMaxSize(6).map(body -> Normalizer.normalize(new Program(body)));
    }

    private static Arbitrary<Stmt> topLevel() {
        Arbitrary<PromiseExpr> promise = promise(TOP_DEPTH);
        return Arbitraries.frequencyOf(
                Tuple.of(2, log()),
                Tuple.of(4, Combinators.combine(Arbitraries.just(0), promise).as(Stmt.Let::new)),
                Tuple.of(2, Arbitraries.just(new Stmt.LetDeferred(0))),
                Tuple.of(4, promise.map(Stmt.Use::new)),
                Tuple.of(2, settle(TOP_DEPTH - 1)),
                Tuple.of(2, body(TOP_DEPTH - 1).map(Stmt.Microtask::new)),
                Tuple.of(3, Combinators.combine(delay(), body(TOP_DEPTH - 1)).as((d, b) -> new Stmt.Timeout(0, d, b))),
                Tuple.of(1, handle().map(Stmt.ClearTimeout::new)));
    }

    /** A statement of a callback body; {@code depth} bounds what nests inside it. */
    private static synchronized Arbitrary<Stmt> statement(int depth) {
        Arbitrary<Stmt> s = STATEMENTS.get(depth);
        if (s == null) {
            s = depth == 0
                    ? Arbitraries.frequencyOf(
                            Tuple.of(3, log()),
                            Tuple.of(2, promise(0).map(Stmt.Use::new)),
                            Tuple.of(2, settle(0)),
                            Tuple.of(1, handle().map(Stmt.ClearTimeout::new)))
                    : Arbitraries.frequencyOf(
                            Tuple.of(3, log()),
                            Tuple.of(3, promise(depth - 1).map(Stmt.Use::new)),
                            Tuple.of(2, settle(depth - 1)),
                            Tuple.of(1, body(depth - 1).map(Stmt.Microtask::new)),
                            Tuple.of(2, Combinators.combine(delay(), body(depth - 1)).as((d, b) -> new Stmt.Timeout(0, d, b))),
                            Tuple.of(1, handle().map(Stmt.ClearTimeout::new)));
            s = Shared.of(s); // see Shared: jqwik would hash the whole tree below at each use
            STATEMENTS.put(depth, s);
        }
        return s;
    }

    /** Mostly empty: most handlers and callbacks only log. */
    private static Arbitrary<List<Stmt>> body(int depth) {
        return Arbitraries.frequencyOf(
                Tuple.of(5, Arbitraries.just(List.<Stmt>of())),
                Tuple.of(4, statement(depth).list().ofSize(1)),
                Tuple.of(1, statement(depth).list().ofSize(2)));
    }

    private static Arbitrary<Stmt> log() {
        return Arbitraries.just(new Stmt.Log(""));
    }

    private static Arbitrary<Stmt> settle(int depth) {
        Arbitrary<Settlement> how = Arbitraries.frequencyOf(
                Tuple.of(3, value().map(Settlement.Fulfil::new)),
                Tuple.of(2, Arbitraries.just(new Settlement.Reject(""))),
                Tuple.of(2, promise(depth).map(Settlement.Follow::new)));
        return Combinators.combine(slot(), how).as(Stmt.Settle::new);
    }

    static synchronized Arbitrary<PromiseExpr> promise(int depth) {
        Arbitrary<PromiseExpr> p = PROMISES.get(depth);
        if (p == null) {
            Arbitrary<PromiseExpr> leaf = Arbitraries.frequencyOf(
                    Tuple.of(3, value().map(PromiseExpr.Resolved::new)),
                    Tuple.of(2, Arbitraries.just(new PromiseExpr.Rejected(""))),
                    Tuple.of(3, slot().map(PromiseExpr.Ref::new)),
                    Tuple.of(2, Combinators.combine(delay(), value()).as((d, v) -> new PromiseExpr.Delayed(d, v, null))),
                    Tuple.of(1, delay().map(d -> new PromiseExpr.Delayed(d, 0, ""))));
            p = depth == 0 ? leaf : Arbitraries.frequencyOf(
                    Tuple.of(4, leaf),
                    Tuple.of(5, chain(depth)),
                    Tuple.of(2, combine(depth)),
                    Tuple.of(1, promise(depth - 1).map(PromiseExpr.Adopt::new)),
                    Tuple.of(1, promise(depth - 1).map(PromiseExpr.Same::new)));
            p = Shared.of(p);
            PROMISES.put(depth, p);
        }
        return p;
    }

    private static Arbitrary<PromiseExpr> chain(int depth) {
        Arbitrary<List<Link>> links = link(depth - 1).list().ofMinSize(1).ofMaxSize(3);
        return Combinators.combine(promise(depth - 1), links).as(PromiseExpr.Chain::new);
    }

    private static Arbitrary<PromiseExpr> combine(int depth) {
        Arbitrary<List<PromiseExpr>> inputs = promise(depth - 1).list().ofMaxSize(3);
        return Combinators.combine(Arbitraries.of(Combinator.class), inputs).as(PromiseExpr.Combine::new);
    }

    private static Arbitrary<Link> link(int depth) {
        Arbitrary<Handler> handler = handler(depth);
        return Arbitraries.frequencyOf(
                Tuple.of(5, handler.map(Link.Then::new)),
                Tuple.of(4, handler.map(h -> new Link.Catch(h, false))),
                Tuple.of(2, handler.map(Link.Finally::new)),
                Tuple.of(2, Combinators.combine(handler, handler).as(Link.ThenBoth::new)),
                Tuple.of(1, handler.map(h -> new Link.Catch(h, true))));
    }

    private static Arbitrary<Handler> handler(int depth) {
        Arbitrary<Outcome> outcome = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.just(new Outcome.Nothing())),
                Tuple.of(2, value().map(Outcome.Value::new)),
                Tuple.of(2, Arbitraries.just(new Outcome.Arg())),
                Tuple.of(2, Arbitraries.just(new Outcome.Throw(""))),
                Tuple.of(3, promise(depth).map(Outcome.Follow::new)));
        return Combinators.combine(body(depth), outcome).as((body, o) -> new Handler("", body, o));
    }

    private static Arbitrary<Integer> value() {
        return Arbitraries.integers().between(0, 9);
    }

    /** A slot or deferred number, taken modulo those in scope by the normalizer. */
    private static Arbitrary<Integer> slot() {
        return Arbitraries.integers().between(0, 5);
    }

    /** A timer handle, taken modulo the timers written before it by the normalizer. */
    private static Arbitrary<Integer> handle() {
        return Arbitraries.integers().between(0, 5);
    }

    private static Arbitrary<Integer> delay() {
        return Arbitraries.of(DELAYS);
    }
}
