package dev.eventual.internal;

import static dev.eventual.Async.async;
import static dev.eventual.Async.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.eventual.AsyncStackTrace;
import dev.eventual.AwaitException;
import dev.eventual.Deferred;
import dev.eventual.EventLoop;
import dev.eventual.Promise;
import dev.eventual.Timeout;
import java.io.IOException;
import java.lang.ref.Reference;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * A program that never stops registering (an async body awaiting in a loop, a setInterval
 * callback, a recursive setTimeout, a recursive thenCompose poll) keeps, with async stack traces
 * on, a bounded amount of trace: whatever the loop's current context reaches through any field of
 * a link (see {@link TraceReach}) stays within {@link TraceReach#BOUND},
 * its chain within {@link Trace#MAX_DEPTH} links, a rejection's AsyncStackTrace within MAX_DEPTH
 * frames, and a link made early is collected while the program still runs.
 *
 * <p>Timers run on a clock that jumps a second at each read (a virtual clock: no test waits for
 * real time), so a 1 ms timer is always due at the loop's next iteration.
 */
class TraceBoundTest {
    /** The iteration whose context is held weakly: early, long before the end. */
    private static final int EARLY = 10;

    /** A loop clock that moves a second at each read. */
    private static final class JumpingClock implements LoopClock {
        private final AtomicLong millis = new AtomicLong();

        @Override
        public long millis() {
            return millis.addAndGet(1_000);
        }
    }

    private static void runTraced(Runnable main) {
        LoopConfig config = new LoopConfig();
        config.asyncStackTraces = true;
        config.clock = new JumpingClock();
        EventLoopImpl.runOnCurrentThread(config, main);
    }

    /** Samples the loop's trace field in the running work, iteration after iteration. */
    private static final class Probe {
        final String what;
        final int iterations;
        int samples;
        int maxReached;
        int maxChain;
        WeakReference<Trace> early;
        boolean checked;

        Probe(String what, int iterations) {
            this.what = what;
            this.iterations = iterations;
        }

        private static EventLoopImpl loop() {
            return (EventLoopImpl) EventLoop.current();
        }

        /** Iteration {@code i} (from 1) runs: records its context's size now and then. */
        void sample(int i) {
            Trace t = loop().trace;
            assertThat(t).as("%s: the loop's trace field in traced work, iteration %d", what, i).isNotNull();
            if (i == EARLY) {
                early = new WeakReference<>(t);
            }
            if (i % 97 != 0 && i != iterations) {
                return;
            }
            samples++;
            int reached = TraceReach.reachable(t).size();
            assertThat(reached).as("%s: links the context of iteration %d reaches", what, i)
                    .isLessThanOrEqualTo(TraceReach.BOUND);
            maxReached = Math.max(maxReached, reached);
            int links = 0;
            for (Trace c = t; c != null; c = c.cause) {
                links++;
            }
            assertThat(links).as("%s: links in the chain of causes of iteration %d", what, i)
                    .isLessThanOrEqualTo(Trace.MAX_DEPTH);
            maxChain = Math.max(maxChain, links);
        }

        /**
         * The last iteration runs: with its context still in the trace field, the early link must
         * be collectable, and every sample bounded.
         */
        void end() {
            Trace current = loop().trace;
            assertThat(early).as("%s: iteration %d was sampled", what, EARLY).isNotNull();
            for (int gc = 0; gc < 10 && early.get() != null; gc++) {
                System.gc();
            }
            assertThat(early.get())
                    .as("%s: the context of iteration %d of %d is still reachable after GC, while iteration %d runs",
                            what, EARLY, iterations, iterations)
                    .isNull();
            Reference.reachabilityFence(current);
            assertThat(maxChain).as("%s: the longest chain of causes in %d samples", what, samples)
                    .isLessThanOrEqualTo(Trace.MAX_DEPTH);
            assertThat(maxReached).as("%s: the most links one context reached in %d samples", what, samples)
                    .isLessThanOrEqualTo(TraceReach.BOUND);
            checked = true;
        }

        void assertChecked() {
            assertThat(checked).as("%s: the last iteration ran and was checked", what).isTrue();
        }
    }

    private static void assertBoundedTrace(String what, Throwable reason) {
        AsyncStackTrace[] traces = Arrays.stream(reason.getSuppressed())
                .filter(AsyncStackTrace.class::isInstance).toArray(AsyncStackTrace[]::new);
        assertThat(traces).as("%s: AsyncStackTrace on %s", what, reason).hasSize(1);
        assertThat(traces[0].getStackTrace().length).as("%s: frames of %s", what, traces[0].getMessage())
                .isBetween(1, Trace.MAX_DEPTH);
    }

    /** An async body awaiting in a loop: each await's run is caused by the one before. */
    private static void awaitLoop(String what, int n, IntFunction<Promise<?>> awaited) {
        Probe probe = new Probe(what, n);
        AtomicBoolean rejected = new AtomicBoolean();
        runTraced(() -> async(() -> {
            for (int i = 1; i <= n; i++) {
                await(awaited.apply(i));
                probe.sample(i);
            }
            probe.end();
            try {
                await(EventLoop.current().rejected(new IOException(what + ": the end")));
            } catch (AwaitException e) {
                assertBoundedTrace(what, e.getCause());
                rejected.set(true);
            }
            return null;
        }));
        probe.assertChecked();
        assertThat(rejected).as("%s: the last await rejected", what).isTrue();
    }

    @Test
    void anAsyncBodyAwaitingResolvedPromisesInALoop_keepsABoundedTrace() {
        awaitLoop("100,000 awaits of resolved promises", 100_000, i -> EventLoop.current().resolved(i));
    }

    @Test
    void anAsyncBodyAwaitingDelaysInALoop_keepsABoundedTrace() {
        awaitLoop("5,000 awaits of 1 ms delays", 5_000, i -> Promise.delay(Duration.ofMillis(1)));
    }

    @Test
    void anAsyncBodyAwaitingDerivedPromisesInALoop_keepsABoundedTrace() {
        awaitLoop("20,000 awaits of then()", 20_000, i -> EventLoop.current().resolved(i).then(v -> v + 1));
    }

    @Test
    void anAsyncBodyAwaitingWhatASetIntervalResolves_keepsABoundedTrace() {
        // Each await's run is caused by the interval's tick (a short chain), its site by the
        // previous await's run: a chain the cut never sees, so only what a run keeps reachable
        // bounds it.
        int n = 5_000;
        Probe probe = new Probe("5,000 awaits of what a setInterval resolves", n);
        runTraced(() -> {
            EventLoop loop = EventLoop.current();
            Deferred<?>[] waiting = {null};
            Timeout interval = loop.setInterval(() -> {
                if (waiting[0] != null) {
                    waiting[0].resolve(null);
                    waiting[0] = null;
                }
            }, 1);
            async(() -> {
                for (int i = 1; i <= n; i++) {
                    Deferred<Object> d = loop.withResolvers();
                    waiting[0] = d;
                    await(d.promise());
                    probe.sample(i);
                }
                probe.end();
                loop.clearInterval(interval);
                return null;
            });
        });
        probe.assertChecked();
    }

    @Test
    void aSetIntervalCallbackThatKeepsRegistering_keepsABoundedTrace() {
        int n = 5_000;
        Probe probe = new Probe("a setInterval callback, 5,000 runs", n);
        runTraced(() -> {
            EventLoop loop = EventLoop.current();
            int[] runs = {0};
            Promise<?>[] tail = {loop.resolved(0)};
            Timeout[] interval = {null};
            interval[0] = loop.setInterval(() -> {
                int i = ++runs[0];
                if (i == n) {
                    loop.clearInterval(interval[0]);
                }
                tail[0] = tail[0].then(v -> {
                    loop.resolved(i).asCallback((e, v2) -> {
                        probe.sample(i);
                        if (i == n) {
                            probe.end();
                        }
                    });
                    return v;
                });
            }, 1);
        });
        probe.assertChecked();
    }

    @Test
    void aRecursiveSetTimeout_keepsABoundedTrace() {
        int n = 20_000;
        Probe probe = new Probe("a recursive setTimeout, 20,000 timers", n);
        runTraced(() -> {
            EventLoop loop = EventLoop.current();
            Runnable[] step = {null};
            int[] runs = {0};
            step[0] = () -> {
                int i = ++runs[0];
                probe.sample(i);
                if (i < n) {
                    loop.setTimeout(step[0], 1);
                } else {
                    probe.end();
                }
            };
            loop.setTimeout(step[0], 1);
        });
        probe.assertChecked();
    }

    /** Polls: waits 1 ms, then polls again from the handler, n times, then gives up. */
    private static Promise<Integer> poll(Probe probe, int i, int n) {
        return Promise.delay(Duration.ofMillis(1)).thenCompose(v -> {
            probe.sample(i);
            if (i < n) {
                return poll(probe, i + 1, n);
            }
            probe.end();
            return EventLoop.current().rejected(new IOException("gave up after " + n + " polls"));
        });
    }

    @Test
    void aRecursiveThenComposePoll_keepsABoundedTrace() {
        int n = 5_000;
        Probe probe = new Probe("a recursive thenCompose poll, 5,000 polls", n);
        AtomicBoolean gaveUp = new AtomicBoolean();
        runTraced(() -> poll(probe, 1, n).caught(e -> {
            assertBoundedTrace("the poll's rejection", e);
            gaveUp.set(true);
            return null;
        }));
        probe.assertChecked();
        assertThat(gaveUp).as("the poll gave up and its rejection was caught").isTrue();
    }
}
