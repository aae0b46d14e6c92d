/**
 * Soak and leak programs: the contract's rules at volume and over time (millions of handlers,
 * abandoned and closed-over promises, minutes of mixed work with a flat heap). A program that
 * names a rule ("Rule 7") means the section of that number in the {@code dev.eventual} package
 * overview. {@code stress/soak} runs them (see {@link dev.eventual.soak.Soak}) and writes their
 * figures into STRESS.md; not part of {@code mvn verify}.
 */
package dev.eventual.soak;
