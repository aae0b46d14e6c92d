/**
 * jcstress tests of the core's races: settling from two threads, settling against registering,
 * cancelling, adopting, closing a loop against scheduling on it, a timer's cancel against its
 * firing. Each test names the rule of the contract it checks ("Rule 3"): the rules are the
 * sections of the {@code dev.eventual} package overview ({@code docs/contract.md} in full).
 * {@code stress/run} runs them and writes the summary into STRESS.md.
 */
package dev.eventual.stress;
