package dev.eventual.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.eventual.Async;
import dev.eventual.Promise;
import dev.eventual.testkit.TestLoop;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The differential fuzzer's async part: programs of {@link Programs.Focus#ASYNC} (every program
 * calls at least one async function; bodies await settled and pending promises, loops of awaits,
 * nested bodies, tick chains beside them) run in Node and on Eventual, both on virtual time, and
 * their logs must be equal line for line, as in {@link DifferentialFuzzTest}, whose comparison
 * and shrinking this test uses.
 *
 * <p><b>Both paths of async bodies.</b> testkit's Surefire runs this class twice: in the
 * default execution, where a body's virtual thread is carried by the JVM's scheduler and takes
 * turns with the loop thread, and in the {@code async-mounted} execution, whose JVM has
 * {@code --add-opens java.base/java.lang=ALL-UNNAMED}, where the loop thread (here the
 * {@link TestLoop}'s, the test's own thread) carries its bodies itself. {@link #bodiesRunOnThePathTheJvmSelects}
 * checks that the path is the one the flags select, so that the second run does test the fast
 * path; the fuzz test prints which path it ran on.
 *
 * <p><b>Coverage.</b> The run counts, with {@link Census}, where bodies are called from and what
 * their awaits wait for, prints the counts, and fails if any kind the generator promises did not
 * occur (then the run tests less than it says).
 *
 * <p><b>Size and seed.</b> {@value #DEFAULT_PROGRAMS} programs of the fixed seed
 * {@value #DEFAULT_SEED} (a few seconds), so that both executions run the same programs on every
 * build; {@code -Dfuzz.async.tries=N} and {@code -Dfuzz.async.seed=S} (a long, or
 * {@code random}) change them ({@code stress/fuzz} with {@code FUZZ_ASYNC=1} runs this test
 * long). A failure prints the seed, the program's index, the program shrunk, both logs and the
 * program as generated. Skipped with a message where {@code node} is not installed.
 */
class AsyncFuzzTest {
    static final long DEFAULT_SEED = 19;
    static final int DEFAULT_PROGRAMS = 300;
    private static final String NODE = NodeBatch.findNode();
    private static final String NAME = "AsyncFuzzTest";
    private static final String CALLED = "async bodies called from";
    private static final String AWAITS = "awaits of";

    @Test
    void asyncPrograms_logTheSameOnEventualAsInNode() throws Exception {
        assumeTrue(NODE != null, "node is not installed (not on PATH): the differential fuzzer needs it");
        int programs = Integer.getInteger("fuzz.async.tries", DEFAULT_PROGRAMS);
        if (programs < 1) {
            throw new IllegalArgumentException("fuzz.async.tries must be >= 1: " + programs);
        }
        long seed = seed();
        String path = mountedPathExpected() ? "fast path (the loop thread carries its bodies)"
                : "default path (bodies on the JVM's virtual-thread scheduler)";
        System.out.println(NAME + ": " + programs + " async programs, seed = " + seed + ", " + path);
        Tally tally = new Tally();
        MessageDigest digest = DifferentialFuzzTest.sha256();
        int[] run = {0};
        Programs.Sequence sequence = new Programs.Sequence(seed, Programs.Focus.ASYNC);
        try {
            for (int first = 0; first < programs; first += SideBySide.MAX_BATCH) {
                List<Program> batch = new ArrayList<>();
                for (int i = first; i < Math.min(programs, first + SideBySide.MAX_BATCH); i++) {
                    batch.add(sequence.next());
                }
                DifferentialFuzzTest.compare(NODE, "fuzz.async", batch, first, seed, r -> {
                    digest.update((r.program() + "\0" + String.join("\n", r.node()) + "\0").getBytes(StandardCharsets.UTF_8));
                    run[0]++;
                    count(tally, r);
                });
            }
        } finally {
            System.out.print(tally.format(NAME));
            System.out.println(NAME + ": " + run[0] + " programs run on the " + path + "; SHA-256 of the programs and Node's logs: "
                    + HexFormat.of().formatHex(digest.digest()));
        }
        if (programs >= DEFAULT_PROGRAMS) {
            assertThat(missing(tally)).as("kinds of async calls and awaits the generator promises but the %d programs of seed %d"
                    + " did not have (see the counts printed above)", programs, seed).isEmpty();
        }
    }

    /**
     * A body reports the thread that carries it: the loop thread on the fast path, a carrier of
     * the JVM's scheduler on the default path; which one must follow the JVM's flags.
     */
    @Test
    void bodiesRunOnThePathTheJvmSelects() {
        String carrier;
        try (TestLoop test = TestLoop.virtualTime()) {
            Promise<String> body = Async.async(() -> carrierOf(Thread.currentThread()));
            carrier = test.await(body);
        }
        String loopThread = Thread.currentThread().getName();
        if (mountedPathExpected()) {
            assertThat(carrier).as("the carrier of a body with java.lang open to Eventual (the fast path): the loop thread %s",
                    loopThread).isEqualTo(loopThread);
        } else {
            assertThat(carrier).as("the carrier of a body without the flag (the default path): not the loop thread %s", loopThread)
                    .isNotEqualTo(loopThread);
        }
    }

    /**
     * Whether this JVM selects the fast path: java.lang is open to Eventual's module (the flag)
     * and {@code dev.eventual.async.mount} is not {@code false}. What core's LoopCarrier checks,
     * seen from outside.
     */
    static boolean mountedPathExpected() {
        return Object.class.getModule().isOpen("java.lang", Promise.class.getModule())
                && !"false".equals(System.getProperty("dev.eventual.async.mount"));
    }

    /**
     * The name of the carrier thread of a mounted virtual thread: what its {@code toString()}
     * says after the last {@code @} (the JDK's form "VirtualThread[#id,name]/runnable@carrier").
     */
    private static String carrierOf(Thread virtual) {
        String s = virtual.toString();
        int at = s.lastIndexOf('@');
        if (!virtual.isVirtual() || at < 0) {
            throw new IllegalStateException("an async body's thread should be a mounted virtual thread: " + s);
        }
        return s.substring(at + 1);
    }

    private static void count(Tally tally, SideBySide.Result r) {
        Census census = Census.of(r.program());
        census.calls().forEach(c -> tally.count(CALLED, c));
        census.awaits().forEach(a -> tally.count(AWAITS, a));
        census.loops().forEach(n -> tally.count("loops of awaits, by rounds", n + " rounds"));
        tally.count("tick chains in a program", census.ticks() == 0 ? "none" : census.ticks() == 1 ? "1" : "2 or more");
        tally.count("log lines of a program (Node)", r.node().size() < 10 ? "under 10" : r.node().size() < 30 ? "10 to 29" : "30 or more");
    }

    /** The kinds {@link Census} names that the run did not count. */
    private static Set<String> missing(Tally tally) {
        Set<String> missing = new TreeSet<>();
        for (String where : List.of(Census.TOP_LEVEL, Census.HANDLER, Census.TIMER, Census.MICROTASK, Census.BODY_AWAITED,
                Census.BODY_NOT_AWAITED, Census.EXPRESSION)) {
            if (tally.get(CALLED, where) == 0) {
                missing.add("a body called from " + where);
            }
        }
        for (String operand : List.of("a number (await n)", "a fulfilled promise", "a rejected promise", "a promise a timer fulfils",
                "a promise a timer rejects", "a promise a microtask fulfils", "a promise a microtask rejects",
                "a slot (deferred, body, chain...)", "a then-chain", "another body's promise")) {
            for (String how : List.of("", " (caught)")) {
                if (tally.get(AWAITS, operand + how) == 0) {
                    missing.add("an await of " + operand + how);
                }
            }
        }
        for (int rounds = 1; rounds <= Programs.MAX_ROUNDS; rounds++) {
            if (tally.get("loops of awaits, by rounds", rounds + " rounds") == 0) {
                missing.add("a loop of " + rounds + " awaits");
            }
        }
        return missing;
    }

    /** {@code fuzz.async.seed}: a long, {@code random}, or by default {@value #DEFAULT_SEED}. */
    private static long seed() {
        String seed = System.getProperty("fuzz.async.seed");
        if (seed == null || seed.isBlank()) {
            return DEFAULT_SEED;
        }
        if (seed.strip().equals("random")) {
            return new java.util.SplittableRandom().nextLong();
        }
        return DifferentialFuzzTest.parseSeed("fuzz.async.seed", seed);
    }
}
