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
 * effects, settlements of deferreds, microtasks, timers, clearing timers). Expressions nest up to
 * {@link #TOP_DEPTH} deep: chains of 1 to 3 handler methods, combinators of 0 to 3 inputs,
 * adoption wrappers. Handlers and callbacks have bodies of 0 to 2 statements, one level less
 * deep, so callbacks nest at most three levels (a timer in a timer in a handler, say). Each
 * depth has its leaves as the most frequent choice, which keeps programs small enough that
 * their synchronous part takes well under a millisecond. Each choice is weighted: the
 * {@code pick} calls list the weights of the alternatives in the order of the {@code case}s.
 * Sizes (statements, links, inputs, numbers) are uniform between their bounds.
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

    private final SplittableRandom random;

    private Programs(SplittableRandom random) {
        this.random = random;
    }

    /** The programs of {@code seed}, one at a time, in order (see the class javadoc). Not thread-safe. */
    static final class Sequence {
        private final SplittableRandom root;

        Sequence(long seed) {
            root = new SplittableRandom(seed);
        }

        Program next() {
            return new Programs(root.split()).program();
        }
    }

    /** The first {@code count} programs of {@code seed}. */
    static List<Program> generate(long seed, int count) {
        Sequence sequence = new Sequence(seed);
        List<Program> programs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            programs.add(sequence.next());
        }
        return programs;
    }

    private Program program() {
        return Normalizer.normalize(new Program(list(1, 6, this::topLevel)));
    }

    private Stmt topLevel() {
        return switch (pick(2, 4, 2, 4, 2, 2, 3, 1)) {
            case 0 -> log();
            case 1 -> new Stmt.Let(0, promise(TOP_DEPTH));
            case 2 -> new Stmt.LetDeferred(0);
            case 3 -> new Stmt.Use(promise(TOP_DEPTH));
            case 4 -> settle(TOP_DEPTH - 1);
            case 5 -> new Stmt.Microtask(body(TOP_DEPTH - 1));
            case 6 -> timeout(TOP_DEPTH - 1);
            default -> new Stmt.ClearTimeout(handle());
        };
    }

    /** A statement of a callback body; {@code depth} bounds what nests inside it. */
    private Stmt statement(int depth) {
        if (depth == 0) {
            return switch (pick(3, 2, 2, 1)) {
                case 0 -> log();
                case 1 -> new Stmt.Use(promise(0));
                case 2 -> settle(0);
                default -> new Stmt.ClearTimeout(handle());
            };
        }
        return switch (pick(3, 3, 2, 1, 2, 1)) {
            case 0 -> log();
            case 1 -> new Stmt.Use(promise(depth - 1));
            case 2 -> settle(depth - 1);
            case 3 -> new Stmt.Microtask(body(depth - 1));
            case 4 -> timeout(depth - 1);
            default -> new Stmt.ClearTimeout(handle());
        };
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
        return switch (pick(4, 5, 2, 1, 1)) {
            case 0 -> leaf();
            case 1 -> chain(depth);
            case 2 -> combine(depth);
            case 3 -> new PromiseExpr.Adopt(promise(depth - 1));
            default -> new PromiseExpr.Same(promise(depth - 1));
        };
    }

    private PromiseExpr leaf() {
        return switch (pick(3, 2, 3, 2, 1)) {
            case 0 -> new PromiseExpr.Resolved(value());
            case 1 -> new PromiseExpr.Rejected("");
            case 2 -> new PromiseExpr.Ref(slot());
            case 3 -> {
                int delay = delay();
                yield new PromiseExpr.Delayed(delay, value(), null);
            }
            default -> new PromiseExpr.Delayed(delay(), 0, "");
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
