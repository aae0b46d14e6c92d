/**
 * The differential fuzzer: random small programs run in Node.js and on Eventual, both on virtual
 * time, whose logs must be equal line by line.
 *
 * <p>Pieces: {@link dev.eventual.fuzz.Programs} generates programs from a seed (what it
 * generates, with the weights, is in its class comment; async functions and await among them),
 * in the intermediate form of {@link dev.eventual.fuzz.Program}, {@link dev.eventual.fuzz.Stmt},
 * {@link dev.eventual.fuzz.PromiseExpr} and {@link dev.eventual.fuzz.Link};
 * {@link dev.eventual.fuzz.Normalizer} makes every generated or shrunk program valid (scopes,
 * labels, awaits only directly in async bodies); {@link dev.eventual.fuzz.JsRenderer} writes it
 * as JavaScript and {@link dev.eventual.fuzz.EventualInterpreter} runs it on a
 * {@code TestLoop}; {@link dev.eventual.fuzz.SideBySide} and {@link dev.eventual.fuzz.NodeBatch}
 * run batches on both sides; {@link dev.eventual.fuzz.Shrinker} and
 * {@link dev.eventual.fuzz.Simplifications} shrink a failure; {@link dev.eventual.fuzz.Census}
 * counts a program's async parts.
 *
 * <p>Tests: {@link dev.eventual.fuzz.DifferentialFuzzTest} (300 programs of a random seed in
 * {@code mvn verify}; {@code stress/fuzz N} for long runs), {@link dev.eventual.fuzz.AsyncFuzzTest}
 * (300 programs focused on async functions, seed 19, on both paths of async bodies: testkit's
 * {@code default-test} and {@code async-mounted} Surefire executions; {@code FUZZ_ASYNC=1
 * stress/fuzz N} for long runs), {@link dev.eventual.fuzz.FuzzDeterminismTest} and
 * {@link dev.eventual.fuzz.ShrinkerTest}.
 */
package dev.eventual.fuzz;
