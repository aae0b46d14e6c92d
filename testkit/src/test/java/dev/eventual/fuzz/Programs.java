package dev.eventual.fuzz;

import dev.eventual.fuzz.Link.Handler;
import dev.eventual.fuzz.Link.Outcome;
import dev.eventual.fuzz.PromiseExpr.Combinator;
import dev.eventual.fuzz.Stmt.Settlement;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * Generates small random {@link Program}s, normalized (see {@link Normalizer}), from a seed.
 *
 * <p>Seeds: the programs of a seed are a sequence; program <i>i</i> is generated from the
 * <i>i</i>-th {@link SplittableRandom#split() split} of {@code new SplittableRandom(seed)}, so
 * the same seed gives the same programs, in the same order, on every run and every JDK (the
 * algorithm of {@code SplittableRandom} is specified), and a program's index in a run with a
 * given seed names it.
 *
 * <p>Shape: 1 to 6 top-level statements (logs, slot definitions, promise expressions for their
 * effects, settlements of deferreds, microtasks, timers, clearing timers, async calls, tick
 * chains). Expressions nest up to {@link #TOP_DEPTH} deep: chains of 1 to 3 handler methods,
 * combinators of 0 to 3 inputs, adoption wrappers, async functions called at once. Handlers and
 * callbacks have bodies of 0 to 2 statements, one level less deep, so callbacks nest at most
 * three levels (a timer in a timer in a handler, say). Each depth has its leaves as the most
 * frequent choice, which keeps programs small enough that their synchronous part takes well
 * under a millisecond. Each choice is weighted: the {@code pick} calls list the weights of the
 * alternatives in the order of the {@code case}s. Sizes (statements, links, inputs, numbers) are
 * uniform between their bounds.
 *
 * <p>Async functions ({@link PromiseExpr.Async}) are called wherever a promise expression or a
 * statement may be: at top level, in handlers, timer and microtask callbacks, and in other
 * bodies, where their promise is awaited (an await's operand) or not (a statement). A body has 1
 * to 5 statements, weighted towards awaits ({@code asyncStatement}): an await (6 of 14) of a
 * fulfilled promise, or of the number itself a third of those times (3 of 16 in
 * {@code awaited}), a rejected one (2), one a timer settles (2; a quarter of them reject), one a
 * microtask settles (2; a third reject), a slot (2: a deferred settled later, another body's
 * promise, a chain...), a then-chain (2), another body called there (2) or any expression (1),
 * half of them in a try/catch, the others rejecting the body's promise when they throw; a loop of
 * 1 to 5 awaits (2 of 14) of mostly settled promises, logging each round, which is the case an
 * await shortcut would target; a tick chain ({@link Stmt.Ticks}: 1 to 5 microtasks in a row, 1
 * of 14), so that a settled await sometimes finds microtasks queued and sometimes not; a log
 * (2); or any statement of a callback body (3), a nested call among them. A body ends with
 * nothing (4 of 9), a number (3), a throw (1) or a returned promise (1: {@code asyncCompose}).
 * With {@link Focus#ASYNC} the weights of async calls and tick chains are tripled and a program
 * without an async call gets one at its top level; {@link Focus#MIXED} keeps them among the
 * rest (about three programs in five call one).
 *
 * <p>Timer delays come from {@link #DELAYS}: 0 and 1 (both 1 ms, in one FIFO list in Node),
 * 20 and 40. On virtual time any delays would do; these are far apart compared with the time
 * code takes, so that most programs also have a fixed timer order on the real clock, where the
 * real-clock check of {@link DifferentialFuzzTest} compares Node on virtual time with real Node.
 * Nesting can still bring two timers of different delays close; {@link TimerSchedule} finds
 * those programs, which that check leaves out. The alternatives of each choice are listed
 * simplest first, as {@link Shrinker} simplifies towards them.
 */
final class Programs {
    static final List<Integer> DELAYS = List.of(0, 1, 20, 40);
    static final int TOP_DEPTH = 3;
    /** The most rounds of a {@link Stmt.Ticks} or an {@link Stmt.AwaitLoop}. */
    static final int MAX_ROUNDS = 5;

    /** What the programs of a {@link Sequence} stress. */
    enum Focus {
        /** Everything, async bodies among the rest ({@link DifferentialFuzzTest}). */
        MIXED(1),
        /**
         * Async bodies: their weights tripled, and every program has at least one at its top level
         * ({@link AsyncFuzzTest}).
         */
        ASYNC(3);

        /** The factor of the weights of async calls and of {@link Stmt.Ticks}. */
        final int asyncWeight;

        Focus(int asyncWeight) {
            this.asyncWeight = asyncWeight;
        }
    }

    private final SplittableRandom random;
    private final Focus focus;
    /** The factor of {@link Focus#asyncWeight}. */
    private final int a;

    private Programs(SplittableRandom random, Focus focus) {
        this.random = random;
        this.focus = focus;
        this.a = focus.asyncWeight;
    }

    /** The programs of {@code seed}, one at a time, in order (see the class javadoc). Not thread-safe. */
    static final class Sequence {
        private final SplittableRandom root;
        private final Focus focus;

        Sequence(long seed) {
            this(seed, Focus.MIXED);
        }

        Sequence(long seed, Focus focus) {
            root = new SplittableRandom(seed);
            this.focus = focus;
        }

        Program next() {
            return new Programs(root.split(), focus).program();
        }
    }

    /** The first {@code count} programs of {@code seed}. */
    static List<Program> generate(long seed, int count) {
        return generate(seed, count, Focus.MIXED);
    }

    /** The first {@code count} programs of {@code seed} with the given focus. */
    static List<Program> generate(long seed, int count, Focus focus) {
        Sequence sequence = new Sequence(seed, focus);
        List<Program> programs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            programs.add(sequence.next());
        }
        return programs;
    }

    private Program program() {
        List<Stmt> top = list(1, 6, this::topLevel);
        if (focus == Focus.ASYNC && Census.of(new Program(top)).bodies() == 0) {
            top.add(random.nextInt(top.size() + 1), new Stmt.Use(async(TOP_DEPTH - 1)));
        }
        return Normalizer.normalize(new Program(top));
    }

    private Stmt topLevel() {
        return switch (pick(2, 4, 2, 4, 2, 2, 3, 1, 3 * a, a)) {
            case 0 -> log();
            case 1 -> new Stmt.Let(0, promise(TOP_DEPTH));
            case 2 -> new Stmt.LetDeferred(0);
            case 3 -> new Stmt.Use(promise(TOP_DEPTH));
            case 4 -> settle(TOP_DEPTH - 1);
            case 5 -> new Stmt.Microtask(body(TOP_DEPTH - 1));
            case 6 -> timeout(TOP_DEPTH - 1);
            case 7 -> new Stmt.ClearTimeout(handle());
            case 8 -> new Stmt.Use(async(TOP_DEPTH - 1));
            default -> ticks();
        };
    }

    /** A statement of a callback body; {@code depth} bounds what nests inside it. */
    private Stmt statement(int depth) {
        if (depth == 0) {
            return switch (pick(3, 2, 2, 1, a)) {
                case 0 -> log();
                case 1 -> new Stmt.Use(promise(0));
                case 2 -> settle(0);
                case 3 -> new Stmt.ClearTimeout(handle());
                default -> ticks();
            };
        }
        return switch (pick(3, 3, 2, 1, 2, 1, 2 * a, a)) {
            case 0 -> log();
            case 1 -> new Stmt.Use(promise(depth - 1));
            case 2 -> settle(depth - 1);
            case 3 -> new Stmt.Microtask(body(depth - 1));
            case 4 -> timeout(depth - 1);
            case 5 -> new Stmt.ClearTimeout(handle());
            case 6 -> new Stmt.Use(async(depth - 1)); // a call whose promise nobody awaits
            default -> ticks();
        };
    }

    /**
     * An async function called at once; its body's statements nest {@code depth} deep. Bodies
     * have 1 to 5 statements, most of them awaits, and end with nothing, a value, a throw or a
     * returned promise.
     */
    private PromiseExpr.Async async(int depth) {
        List<Stmt> body = list(1, 5, () -> asyncStatement(depth));
        Outcome outcome = switch (pick(4, 3, 1, 1)) {
            case 0 -> new Outcome.Nothing();
            case 1 -> new Outcome.Value(value());
            case 2 -> new Outcome.Throw("");
            default -> new Outcome.Follow(promise(depth));
        };
        return new PromiseExpr.Async("", body, outcome);
    }

    /** A statement of an async body: an await, a loop of awaits, or any statement of a callback body. */
    private Stmt asyncStatement(int depth) {
        return switch (pick(2, 6, 2, 1, 3)) {
            case 0 -> log();
            case 1 -> {
                PromiseExpr value = awaited(depth);
                boolean bare = value instanceof PromiseExpr.Resolved && random.nextInt(3) == 0;
                yield new Stmt.Await("", value, bare, random.nextBoolean());
            }
            case 2 -> awaitLoop();
            case 3 -> ticks();
            default -> statement(depth);
        };
    }

    /**
     * What an await waits for: a settled promise (fulfilled, or rejected), one that a timer or a
     * microtask settles, a slot (a deferred, another body's promise, anything), a then-chain,
     * another body's promise, or any promise expression.
     */
    private PromiseExpr awaited(int depth) {
        if (depth == 0) {
            return leaf();
        }
        return switch (pick(3, 2, 2, 2, 2, 2, 2, 1)) {
            case 0 -> new PromiseExpr.Resolved(value());
            case 1 -> new PromiseExpr.Rejected("");
            case 2 -> new PromiseExpr.Delayed(delay(), value(), random.nextInt(4) == 0 ? "" : null);
            case 3 -> queued();
            case 4 -> new PromiseExpr.Ref(slot());
            case 5 -> chain(depth);
            case 6 -> async(depth - 1); // awaited at once: a nested call whose promise is awaited
            default -> promise(depth);
        };
    }

    /** {@code for} 1 to 5 rounds of an await of a leaf, mostly settled: the case an await's shortcut would target. */
    private Stmt awaitLoop() {
        int rounds = 1 + random.nextInt(MAX_ROUNDS);
        return switch (pick(2, 2, 1, 1, 1)) {
            case 0 -> new Stmt.AwaitLoop("", rounds, new PromiseExpr.Resolved(0), true);
            case 1 -> new Stmt.AwaitLoop("", rounds, new PromiseExpr.Resolved(value()), false);
            case 2 -> new Stmt.AwaitLoop("", rounds, new PromiseExpr.Ref(slot()), false);
            case 3 -> new Stmt.AwaitLoop("", rounds, queued(), false);
            default -> new Stmt.AwaitLoop("", rounds, new PromiseExpr.Rejected(""), false);
        };
    }

    private Stmt ticks() {
        return new Stmt.Ticks("", 1 + random.nextInt(MAX_ROUNDS));
    }

    /** Settled by a microtask: fulfilled, or (a third of the time) rejected. */
    private PromiseExpr queued() {
        return random.nextInt(3) == 0 ? new PromiseExpr.Queued(0, "") : new PromiseExpr.Queued(value(), null);
    }

    /** A timer whose callback body nests {@code depth} deep. */
    private Stmt timeout(int depth) {
        int delay = delay();
        return new Stmt.Timeout(0, delay, body(depth));
    }

    /** Mostly empty: most handlers and callbacks only log. */
    private List<Stmt> body(int depth) {
        int size = switch (pick(5, 4, 1)) {
            case 0 -> 0;
            case 1 -> 1;
            default -> 2;
        };
        return list(size, size, () -> statement(depth));
    }

    private static Stmt log() {
        return new Stmt.Log("");
    }

    private Stmt settle(int depth) {
        int slot = slot();
        Settlement how = switch (pick(3, 2, 2)) {
            case 0 -> new Settlement.Fulfil(value());
            case 1 -> new Settlement.Reject("");
            default -> new Settlement.Follow(promise(depth));
        };
        return new Stmt.Settle(slot, how);
    }

    private PromiseExpr promise(int depth) {
        if (depth == 0) {
            return leaf();
        }
        return switch (pick(4, 5, 2, 1, 1, 2 * a)) {
            case 0 -> leaf();
            case 1 -> chain(depth);
            case 2 -> combine(depth);
            case 3 -> new PromiseExpr.Adopt(promise(depth - 1));
            case 4 -> new PromiseExpr.Same(promise(depth - 1));
            default -> async(depth - 1); // a body's promise in a chain, a combinator, a slot...
        };
    }

    private PromiseExpr leaf() {
        return switch (pick(3, 2, 3, 2, 1, 2)) {
            case 0 -> new PromiseExpr.Resolved(value());
            case 1 -> new PromiseExpr.Rejected("");
            case 2 -> new PromiseExpr.Ref(slot());
            case 3 -> {
                int delay = delay();
                yield new PromiseExpr.Delayed(delay, value(), null);
            }
            case 4 -> new PromiseExpr.Delayed(delay(), 0, "");
            default -> queued();
        };
    }

    private PromiseExpr chain(int depth) {
        PromiseExpr source = promise(depth - 1);
        return new PromiseExpr.Chain(source, list(1, 3, () -> link(depth - 1)));
    }

    private PromiseExpr combine(int depth) {
        Combinator kind = Combinator.values()[random.nextInt(Combinator.values().length)];
        return new PromiseExpr.Combine(kind, list(0, 3, () -> promise(depth - 1)));
    }

    private Link link(int depth) {
        return switch (pick(5, 4, 2, 2, 1)) {
            case 0 -> new Link.Then(handler(depth));
            case 1 -> new Link.Catch(handler(depth), false);
            case 2 -> new Link.Finally(handler(depth));
            case 3 -> {
                Handler onFulfilled = handler(depth);
                yield new Link.ThenBoth(onFulfilled, handler(depth));
            }
            default -> new Link.Catch(handler(depth), true);
        };
    }

    private Handler handler(int depth) {
        List<Stmt> body = body(depth);
        Outcome outcome = switch (pick(3, 2, 2, 2, 3)) {
            case 0 -> new Outcome.Nothing();
            case 1 -> new Outcome.Value(value());
            case 2 -> new Outcome.Arg();
            case 3 -> new Outcome.Throw("");
            default -> new Outcome.Follow(promise(depth));
        };
        return new Handler("", body, outcome);
    }

    private int value() {
        return random.nextInt(10);
    }

    /** A slot or deferred number, taken modulo those in scope by the normalizer. */
    private int slot() {
        return random.nextInt(6);
    }

    /** A timer handle, taken modulo the timers written before it by the normalizer. */
    private int handle() {
        return random.nextInt(6);
    }

    private int delay() {
        return DELAYS.get(random.nextInt(DELAYS.size()));
    }

    /** Between {@code min} and {@code max} elements (uniform), each from {@code element}, in order. */
    private <T> List<T> list(int min, int max, Supplier<T> element) {
        int size = min + random.nextInt(max - min + 1);
        List<T> out = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            out.add(element.get());
        }
        return out;
    }

    /** The index of an alternative, chosen with the given weights. */
    private int pick(int... weights) {
        int total = 0;
        for (int w : weights) {
            total += w;
        }
        int x = random.nextInt(total);
        for (int i = 0; i < weights.length; i++) {
            x -= weights[i];
            if (x < 0) {
                return i;
            }
        }
        throw new AssertionError("unreachable: x < total");
    }
}
