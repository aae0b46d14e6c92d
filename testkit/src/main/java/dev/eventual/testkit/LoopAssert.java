package dev.eventual.testkit;

import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on a {@link TestLoop}: {@code assertThat(loop).hasNoPendingTimers()},
 * {@code assertThat(loop).isIdle()}. Get one from {@link EventualAssertions#assertThat(TestLoop)}.
 * They run nothing and wait for nothing; they are called on the loop's thread, between steps
 * (elsewhere {@link IllegalStateException}), and a failed one throws {@link AssertionError} with
 * what is pending ("2 timers (next at 1500 ms), 1 async body suspended in await").
 */
public final class LoopAssert extends AbstractAssert<LoopAssert, TestLoop> {

    LoopAssert(TestLoop actual) {
        super(actual, LoopAssert.class);
    }

    /**
     * Verifies that no timer is pending, unref'd ones included.
     *
     * @return this
     */
    public LoopAssert hasNoPendingTimers() {
        isNotNull();
        PendingWork work = actual.pendingWork();
        if (work.timers() + work.unrefTimers() > 0) {
            throw failure("Expecting %s to have no pending timers, but it had %s", actual, work);
        }
        return this;
    }

    /**
     * Verifies that nothing is left on the loop: no timer that keeps it alive, no queued task, no
     * suspended async body and no outside work in flight (what {@link TestLoop#runUntilIdle}
     * waits for).
     *
     * @return this
     */
    public LoopAssert isIdle() {
        isNotNull();
        PendingWork work = actual.pendingWork();
        if (!work.isEmpty()) {
            throw failure("Expecting %s to be idle, but it had %s", actual, work);
        }
        return this;
    }
}
