package dev.eventual.internal;

import static dev.eventual.Async.async;
import static dev.eventual.Async.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventual.EventLoop;
import dev.eventual.Promise;
import dev.eventual.Timeline;
import dev.eventual.UnhandledRejectionHandler;
import dev.eventual.UnhandledRejectionPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * An await of a settled promise continues at once, with no hand-off and no microtask, exactly
 * when JavaScript's resumption would be the next thing the loop runs (AsyncBody's overview,
 * "Awaiting a settled promise"), and suspends in every other case. The order itself is checked
 * against Node by AsyncOrderingTest (module testkit); here, white-box, which path each await
 * took: the loop's count of microtasks run tells them apart (an await that suspends costs one).
 * Run on both paths (core's {@code async-mounted} execution runs it with the fast path's flag).
 */
class SettledAwaitTest {
    private static final int AWAITS = 1_000;

    /** Microtasks the loop ran over a whole program, and what the program logged. */
    private record Run(long microtasks, List<String> log) {}

    private static Run run(java.util.function.Consumer<List<String>> program) {
        List<String> log = new ArrayList<>();
        AtomicLong drained = new AtomicLong();
        EventLoop.run(() -> {
            EventLoopImpl loop = (EventLoopImpl) EventLoop.current();
            program.accept(log);
            loop.setTimeout(() -> drained.set(loop.microtasks.drained), Duration.ofMillis(1));
        });
        return new Run(drained.get(), log);
    }

    @Test
    void awaitsOfASettledPromise_inASegmentResumedAsAMicrotask_continueAtOnce() {
        long[] sum = new long[1];
        Run r = run(log -> async(() -> {
            Promise<Integer> one = Promise.resolve(1);
            await(one); // entered by the synchronous start: suspends, resumed as a microtask
            for (int i = 0; i < AWAITS; i++) {
                sum[0] += await(one);
            }
            log.add("end");
        }));
        assertThat(sum[0]).isEqualTo(AWAITS);
        assertThat(r.log()).containsExactly("end");
        assertThat(r.microtasks()).as("microtasks run for %d awaits that could continue at once", AWAITS)
                .isLessThan(10);
    }

    @Test
    void awaitWithAMicrotaskQueued_suspendsSoThatItRunsFirst() {
        Run r = run(log -> async(() -> {
            await(Promise.resolve(null)); // now resumed as a microtask
            for (int i = 0; i < AWAITS; i++) {
                int n = i;
                dev.eventual.Globals.queueMicrotask(() -> log.add("m" + n));
                await(Promise.resolve(null));
                log.add("a" + n);
            }
        }));
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < AWAITS; i++) {
            expected.add("m" + i);
            expected.add("a" + i);
        }
        assertThat(r.log()).containsExactlyElementsOf(expected);
        assertThat(r.microtasks()).as("each await suspended behind its queued microtask").isGreaterThanOrEqualTo(2L * AWAITS);
    }

    @Test
    void twoBodiesAwaitingSettledPromises_takeTurnsAsInJavaScript() {
        Run r = run(log -> {
            for (String name : List.of("x", "y")) {
                async(() -> {
                    for (int i = 0; i < 3; i++) {
                        await(Promise.resolve(null));
                        log.add(name + i);
                    }
                });
            }
        });
        // Each body's resumption finds the other's queued: every await suspends.
        assertThat(r.log()).containsExactly("x0", "y0", "x1", "y1", "x2", "y2");
    }

    @Test
    void aSegmentStartedByASynchronousCall_suspends_soThatTheCallerGoesOnFirst() {
        Run r = run(log -> {
            async(() -> {
                await(Promise.resolve(null)); // resumed as a microtask: from here on it may continue at once
                async(() -> {
                    log.add("inner start");
                    await(Promise.resolve(null)); // entered by a synchronous call: must suspend
                    log.add("inner resumed");
                });
                log.add("outer after the call");
                await(Promise.resolve(null)); // the inner body's resumption is queued: suspends
                log.add("outer resumed");
            });
            log.add("caller after async");
        });
        assertThat(r.log()).containsExactly(
                "caller after async", "inner start", "outer after the call", "inner resumed", "outer resumed");
    }

    @Test
    void aRejectedPromiseAwaitedAtOnce_isHandled_andItsReasonThrown() {
        // THROW: a rejection left unhandled at the checkpoint's end would make run throw.
        List<String> log = new ArrayList<>();
        EventLoop.builder().unhandledRejections(UnhandledRejectionPolicy.THROW).run(() -> async(() -> {
            await(Promise.resolve(null));
            Promise<Object> rejected = Promise.reject(new IllegalStateException("boom"));
            try {
                await(rejected);
            } catch (IllegalStateException e) {
                log.add("caught " + e.getMessage());
            }
        }));
        assertThat(log).containsExactly("caught boom");
    }

    @Test
    void aRejectionReportedEarlier_awaitedAtOnce_isReportedHandledLater() {
        List<String> events = new ArrayList<>();
        UnhandledRejectionHandler handler = new UnhandledRejectionHandler() {
            @Override
            public void unhandled(Promise<?> promise, Throwable reason) {
                events.add("unhandled " + reason.getMessage());
            }

            @Override
            public void handledLater(Promise<?> promise, Throwable reason) {
                events.add("handled later " + reason.getMessage());
            }
        };
        EventLoop.builder().unhandledRejections(UnhandledRejectionPolicy.WARN).onUnhandledRejection(handler).run(() -> {
            Promise<Object> rejected = Promise.reject(new IllegalStateException("late"));
            EventLoop.current().setTimeout(() -> async(() -> {
                await(Promise.resolve(null)); // resumed as a microtask, queue empty: the next await continues at once
                assertThatThrownBy(() -> await(rejected)).hasMessage("late");
                events.add("caught");
            }), Duration.ofMillis(1));
        });
        assertThat(events).containsExactly("unhandled late", "caught", "handled later late");
    }

    @Test
    void withATimelineRecording_everyAwaitSuspends_soThatEachResumptionIsRecorded() {
        long[] drained = new long[1];
        Timeline timeline = Timeline.create();
        EventLoop.builder().record(timeline).run(() -> {
            EventLoopImpl loop = (EventLoopImpl) EventLoop.current();
            async(() -> {
                for (int i = 0; i < 100; i++) {
                    await(Promise.resolve(null));
                }
            });
            loop.setTimeout(() -> drained[0] = loop.microtasks.drained, Duration.ofMillis(1));
        });
        assertThat(drained[0]).isGreaterThanOrEqualTo(100);
    }
}
