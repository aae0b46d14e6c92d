package dev.eventual.testkit;

import static dev.eventual.testkit.EventualAssertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.eventual.EventLoop;
import dev.eventual.Promise;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * The extension, by running sample test classes (nested, so that the build does not run them on
 * their own) through the JUnit Launcher and reading how each of their tests ended.
 */
class EventualExtensionTest {

    /** Runs {@code testClass}; returns each test's method name and failure message ("" if it passed). */
    private static Map<String, String> run(Class<?> testClass) {
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(testClass)).build(), listener);
        TestExecutionSummary summary = listener.getSummary();
        Map<String, String> outcomes = new TreeMap<>();
        for (TestExecutionSummary.Failure f : summary.getFailures()) {
            StringBuilder text = new StringBuilder(String.valueOf(f.getException().getMessage()));
            for (Throwable suppressed : f.getException().getSuppressed()) {
                text.append(" [suppressed: ").append(suppressed).append(']');
            }
            outcomes.put(f.getTestIdentifier().getDisplayName().replace("()", "").replaceAll("\\(.*\\)", ""),
                    text.toString());
        }
        long passed = summary.getTestsSucceededCount();
        outcomes.put("(passed)", String.valueOf(passed));
        return outcomes;
    }

    @EventualTest
    static class Virtual {
        static volatile EventLoop seen;
        private EventLoop loopSeenBeforeEach;

        @BeforeEach
        void before(EventLoop loop) {
            loopSeenBeforeEach = loop;
        }

        @Test
        void parametersAreTheTestsLoop(TestLoop t, EventLoop loop, VirtualClock clock) {
            assertThat(loop).isSameAs(t.eventLoop()).isSameAs(loopSeenBeforeEach);
            assertThat(clock).isSameAs(t.clock());
            assertThat(t.isVirtualTime()).isTrue();
            seen = loop;
        }

        @Test
        void awaitsAPromiseOnVirtualTime(TestLoop t) {
            Promise<String> answer = Promise.delay(Duration.ofHours(3)).then(v -> "late");
            assertThat(t.await(answer)).isEqualTo("late");
            assertThat(t.now()).isEqualTo(Duration.ofHours(3));
        }

        @Test
        void leavesATimer(EventLoop loop) {
            loop.setTimeout(() -> {}, 1_500);
        }

        @Test
        @EventualTest(expect = EventualTest.Expect.LEFTOVER_WORK)
        void leavesATimerAndSaysSo(EventLoop loop) {
            loop.setTimeout(() -> {}, 1_500);
        }

        @Test
        void leavesASuspendedAsyncBody(EventLoop loop) {
            dev.eventual.Async.async(() -> dev.eventual.Async.await(loop.withResolvers().promise()));
        }

        @Test
        void leavesAnUnhandledRejection(EventLoop loop) {
            loop.rejected(new IOException("nobody listens"));
        }

        @Test
        @EventualTest(expect = EventualTest.Expect.UNHANDLED_REJECTION)
        void leavesAnUnhandledRejectionAndSaysSo(EventLoop loop) {
            loop.rejected(new IOException("nobody listens"));
        }

        @Test
        void hasACallbackThatThrows(EventLoop loop, VirtualClock clock) {
            loop.setTimeout(() -> {
                throw new IllegalArgumentException("bad callback");
            }, 10);
            clock.advanceBy(Duration.ofMillis(10));
        }

        @Test
        void assertsOnARejectionBeforeItIsReported(EventLoop loop) {
            assertThat(loop.rejected(new IOException("seen"))).isRejected();
        }

        @Test
        void assertsOnARejectionAfterItWasReported(TestLoop t, EventLoop loop) {
            Promise<Object> p = loop.rejected(new IOException("seen late"));
            t.runCurrent();
            assertThat(t.unhandledRejections()).hasSize(1);
            assertThat(p).isRejected().withMessage("seen late");
        }

        @Test
        void failsOnItsOwnBesideAnUnhandledRejection(TestLoop t, EventLoop loop) {
            loop.rejected(new IOException("the real trouble"));
            t.runCurrent();
            assertThat(1 + 1).isEqualTo(3);
        }

        @Test
        void aTimeoutOfAnUnrefdSignalIsNotLeftoverWork() {
            dev.eventual.AbortSignal.timeout(Duration.ofMinutes(1));
        }
    }

    @Test
    void virtualTimeTests() {
        Map<String, String> outcomes = run(Virtual.class);
        assertThat(outcomes).containsEntry("(passed)", "7").hasSize(6);
        assertThat(outcomes.get("failsOnItsOwnBesideAnUnhandledRejection")).contains("expected: 3",
                "[suppressed: java.io.IOException: the real trouble]");
        assertThat(outcomes.get("leavesATimer")).contains("@EventualTest leavesATimer(EventLoop) (its loop at 0 ms"
                + " virtual time) ended with:", "work left over: 1 timer (next at 1500 ms)",
                "@EventualTest(expect = ...)");
        assertThat(outcomes.get("leavesASuspendedAsyncBody")).contains("1 async body suspended in await");
        assertThat(outcomes.get("leavesAnUnhandledRejection"))
                .contains("unhandled promise rejection: java.io.IOException: nobody listens");
        assertThat(outcomes.get("hasACallbackThatThrows")).contains("(its loop at 10 ms virtual time)",
                "exception thrown by a callback: java.lang.IllegalArgumentException: bad callback");
    }

    @EventualTest(realTime = true, realTimeLimitMillis = 300)
    static class Real {
        @Test
        void awaitsOnTheRealClock(TestLoop t) {
            long start = System.nanoTime();
            t.await(Promise.delay(Duration.ofMillis(20)));
            assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(Duration.ofMillis(19).toNanos());
            assertThat(t.isVirtualTime()).isFalse();
        }

        @Test
        void waitsForSomethingThatNeverComes(TestLoop t, EventLoop loop) {
            Promise<String> never = loop.from(new CompletableFuture<String>());
            loop.setTimeout(() -> {}, 60_000);
            t.await(never);
        }

        @Test
        void asksForAVirtualClock(VirtualClock clock) {
        }
    }

    @Test
    void realTimeTests() {
        Map<String, String> outcomes = run(Real.class);
        assertThat(outcomes).containsEntry("(passed)", "1").hasSize(3);
        assertThat(outcomes.get("waitsForSomethingThatNeverComes")).contains(
                "await on test loop 'test' gave up after 300 ms of real time",
                "real time it was waiting for: 1 timer (next at 6", // 60,000 ms plus what the test took
                "1 outside operation(s) in flight");
        assertThat(outcomes.get("asksForAVirtualClock")).contains("has no VirtualClock");
    }

    @Test
    void aTestsLoopIsClosedAndTheThreadFreedAfterEachTest() {
        run(Virtual.class);
        assertThat(TestLoop.current()).isEmpty();
        assertThat(Virtual.seen).isNotNull();
        assertThat(Virtual.seen.isClosed()).isTrue();
    }
}
