/**
 * The implementation of {@code dev.eventual}; not an API. No module reads it but
 * {@code dev.eventual.testkit}, which drives a loop step by step on a virtual clock
 * ({@link dev.eventual.internal.LoopDriver}, {@link dev.eventual.internal.LoopClock}).
 *
 * <p>Where to start: {@link dev.eventual.internal.EventLoopImpl} (one thread, a
 * {@link dev.eventual.internal.TaskQueue}, a {@link dev.eventual.internal.TimerQueue}, a
 * {@link dev.eventual.internal.MicrotaskQueue}) and {@link dev.eventual.internal.PromiseImpl}
 * (the promise state machine, with {@link dev.eventual.internal.Derived} for handler methods and
 * {@link dev.eventual.internal.Combinator} for {@code all}, {@code any} and {@code race}). Each
 * class opens with an overview of its state, who touches it from which thread, and its
 * invariants.
 *
 * <p>Comments here cite the contract's rules by number ("rule 6"): rule N is the section of that
 * number in the {@code dev.eventual} package overview; {@code docs/contract.md} has the rules in
 * full.
 */
package dev.eventual.internal;
