package dev.eventual.testkit;

import static dev.eventual.testkit.EventualAssertions.assertThat;
import static dev.eventual.testkit.EventualAssertions.assertThatThrownBy;

import dev.eventual.EventLoop;
import dev.eventual.Promise;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** PromiseAssert and LoopAssert: what passes, and what a failure says. */
class PromiseAssertTest {
    private TestLoop t;
    private EventLoop loop;

    @BeforeEach
    void make() {
        t = TestLoop.virtualTime();
        loop = t.eventLoop();
    }

    @AfterEach
    void close() {
        t.close();
    }

    @Test
    void fulfilledPromises() {
        Promise<String> p = loop.resolved("forty-two");
        assertThat(p).isFulfilled().isSettled().hasValue("forty-two")
                .hasValueMatching(v -> v.startsWith("forty"), "a forty-something")
                .hasValueSatisfying(v -> assertThat(v).hasSize(9));
        assertThat(p).value().isEqualTo("forty-two");

        assertThatThrownBy(() -> assertThat(p).hasValue("forty-three"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expecting the promise to be fulfilled with \"forty-three\", but it was fulfilled with \"forty-two\"");
        assertThatThrownBy(() -> assertThat(p).isRejected())
                .hasMessageContaining("Expecting the promise to be rejected, but it was fulfilled with \"forty-two\"");
        assertThatThrownBy(() -> assertThat(p).isPending())
                .hasMessageContaining("to be pending, but it was fulfilled with \"forty-two\"");
    }

    @Test
    void rejectedPromises() {
        Promise<String> p = loop.rejected(new IOException("connection refused", new TimeoutException("slow")));
        p.caught(e -> null); // handled
        assertThat(p).isRejected().isRejectedWith(IOException.class).withMessage("connection refused")
                .withMessageContaining("refused").withCauseInstanceOf(TimeoutException.class);
        assertThat(p).reason().hasMessage("connection refused");

        assertThatThrownBy(() -> assertThat(p).hasValue("x"))
                .hasMessageContaining("Expecting the promise to be fulfilled with \"x\", but it was rejected with"
                        + " java.io.IOException: connection refused")
                .hasMessageContaining("at dev.eventual.testkit.PromiseAssertTest.rejectedPromises"); // the reason's trace
        assertThatThrownBy(() -> assertThat(p).isRejectedWith(IllegalStateException.class))
                .hasMessageContaining("to be rejected with a java.lang.IllegalStateException, but it was rejected with"
                        + " java.io.IOException");
        assertThatThrownBy(() -> assertThat(p).withMessageContaining("reset"))
                .hasMessageContaining("with a message containing \"reset\", but it was rejected with java.io.IOException");
        assertThatThrownBy(() -> assertThat(p).isCancelled())
                .hasMessageContaining("to be cancelled, but it was rejected with java.io.IOException");
    }

    @Test
    void cancelledAndPendingPromises() {
        Promise<Void> delay = Promise.delay(Duration.ofSeconds(1));
        assertThat(delay).isPending();
        assertThatThrownBy(() -> assertThat(delay).isFulfilled())
                .hasMessageContaining("Expecting the promise to be fulfilled, but it was pending");
        delay.cancel();
        assertThat(delay).isCancelled().isRejected();
        assertThatThrownBy(() -> assertThat(delay).isFulfilled())
                .hasMessageContaining("but it was cancelled (rejected with java.util.concurrent.CancellationException");
        assertThat(t).hasNoPendingTimers().isIdle();
    }

    @Test
    void settlesWithinRunsVirtualTimeUpToTheDuration() {
        Promise<Void> delay = Promise.delay(Duration.ofMinutes(5));
        assertThat(delay).settlesWithin(Duration.ofMinutes(5)).isFulfilled();
        assertThat(t.now()).isEqualTo(Duration.ofMinutes(5));

        Promise<Void> longer = Promise.delay(Duration.ofHours(2));
        assertThatThrownBy(() -> assertThat(longer).settlesWithin(Duration.ofHours(1)))
                .hasMessageContaining("Expecting the promise to settle within 3600000 ms of virtual time, but it was"
                        + " still pending after it (loop at 3900000 ms, started at 300000 ms; waiting for: 1 timer"
                        + " (next at 7500000 ms))");
        assertThat(longer).settlesWithin(Duration.ofHours(1));
    }

    @Test
    void loopAssertionsSayWhatIsPending() {
        loop.setTimeout(() -> {}, 1500);
        loop.setTimeout(() -> {}, 2000);
        assertThatThrownBy(() -> assertThat(t).hasNoPendingTimers())
                .hasMessageContaining("to have no pending timers, but it had 2 timers (next at 1500 ms)");
        assertThatThrownBy(() -> assertThat(t).isIdle())
                .hasMessageContaining("to be idle, but it had 2 timers (next at 1500 ms)");
        t.runUntilIdle();
        assertThat(t).isIdle();
    }
}
