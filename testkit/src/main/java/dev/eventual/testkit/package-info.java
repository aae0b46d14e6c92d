/**
 * Testing code written with Eventual: a loop the test drives on virtual time, a JUnit 5 extension
 * that gives each test one, and AssertJ assertions for promises and loops.
 *
 * <h2>Where to start</h2>
 * Put {@link dev.eventual.testkit.EventualTest} on a test class: each test method then runs on a
 * fresh {@link dev.eventual.testkit.TestLoop}, which it may declare as a parameter. The test's code
 * is the loop's top-level code; {@link dev.eventual.testkit.TestLoop#await},
 * {@link dev.eventual.testkit.TestLoop#runUntilIdle} and the
 * {@link dev.eventual.testkit.VirtualClock} run the loop's callbacks on the test's thread, in the
 * order a real loop runs them, and move its clock without waiting. One static import of
 * {@link dev.eventual.testkit.EventualAssertions} gives {@code assertThat} for promises
 * ({@link dev.eventual.testkit.PromiseAssert}), for loops
 * ({@link dev.eventual.testkit.LoopAssert}) and AssertJ's own. When a test method returns, the
 * extension fails it on an unhandled rejection, a callback's exception or work left over
 * ({@link dev.eventual.testkit.PendingWork}), unless the test says it expects one.
 */
package dev.eventual.testkit;
