package dev.eventual;

import static dev.eventual.Async.async;
import static dev.eventual.Async.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Rule 5 for a promise that a loop returns to a caller on another thread ({@code submit},
 * {@code async(loop, ...)} called off the loop): the caller attaches its handler from its own
 * thread, which may come after the loop's checkpoint, so the rejection is reported only if it is
 * still unhandled when the promise becomes unreachable or when the loop closes. No false report
 * for callers that handle it; a report for one that nobody handles. The 100,000-call version of
 * the first test is {@code dev.eventual.soak.CrossThreadRejections} in the stress module.
 */
class CrossThreadRejectionTest {
    private static final int CALLS = 2_000;

    /** Records the handler's calls. */
    private static final class Recorder implements UnhandledRejectionHandler {
        final List<Throwable> unhandled = new CopyOnWriteArrayList<>();
        final List<Throwable> handledLater = new CopyOnWriteArrayList<>();

        @Override
        public void unhandled(Promise<?> promise, Throwable reason) {
            unhandled.add(reason);
        }

        @Override
        public void handledLater(Promise<?> promise, Throwable reason) {
            handledLater.add(reason);
        }
    }

    private static RuntimeException boom(int i) {
        return new IllegalStateException("call " + i);
    }

    /** Runs the four shapes of issue 15, CALLS times each, and checks each caller saw its failure. */
    private static void runFourShapes(EventLoop loop) {
        for (int i = 0; i < CALLS; i++) {
            int n = i;
            assertThatThrownBy(() -> loop.submit(() -> { throw boom(n); }).toCompletableFuture().join())
                    .as("submit + join, call %d", n).isInstanceOf(CompletionException.class).hasMessageContaining("call " + n);
            assertThatThrownBy(() -> await(loop.submit(() -> { throw boom(n); })))
                    .as("await(submit), call %d", n).hasMessage("call " + n);
            assertThatThrownBy(() -> await(async(loop, () -> { throw boom(n); })))
                    .as("await(async(loop)), call %d", n).hasMessage("call " + n);
            assertThatThrownBy(() -> async(loop, () -> { throw boom(n); }).toCompletableFuture().join())
                    .as("async(loop) + join, call %d", n).isInstanceOf(CompletionException.class).hasMessageContaining("call " + n);
        }
    }

    @Test
    void rejectionsHandledByTheCallerOnItsThread_areNeverReported() {
        Recorder recorder = new Recorder();
        EventLoop loop = EventLoop.builder().name("worker").unhandledRejections(UnhandledRejectionPolicy.IGNORE)
                .onUnhandledRejection(recorder).start();
        try {
            runFourShapes(loop);
        } finally {
            loop.close();
        }
        assertThat(recorder.unhandled).as("false unhandled-rejection reports in %d calls of each shape", CALLS).isEmpty();
        assertThat(recorder.handledLater).as("'handled later' reports").isEmpty();
    }

    @Test
    void underThrowPolicy_handledCrossThreadRejections_doNotCloseTheLoop() {
        EventLoop loop = EventLoop.builder().name("strict").unhandledRejections(UnhandledRejectionPolicy.THROW).start();
        try {
            runFourShapes(loop);
            assertThat(loop.isClosed()).as("loop closed by a false report").isFalse();
        } finally {
            loop.close();
        }
        assertThat(loop.terminationFuture()).succeedsWithin(Duration.ofSeconds(10));
    }

    @Test
    void rejectionNobodyHandles_isReportedWhenTheLoopCloses() {
        Recorder recorder = new Recorder();
        EventLoop loop = EventLoop.builder().name("worker").unhandledRejections(UnhandledRejectionPolicy.IGNORE)
                .onUnhandledRejection(recorder).start();
        Promise<Object> ignored = loop.submit(() -> { throw new IllegalStateException("nobody handles this"); });
        Promise<Object> ignoredBody = async(loop, () -> { throw new IllegalStateException("nor this"); });
        awaitSettled(ignored);
        awaitSettled(ignoredBody);
        assertThat(recorder.unhandled).as("reported before the loop closed, while still reachable").isEmpty();
        loop.close();
        assertThat(recorder.unhandled).extracting(Throwable::getMessage)
                .containsExactlyInAnyOrder("nobody handles this", "nor this");
    }

    @Test
    void rejectionNobodyHandles_isReportedWhenThePromiseBecomesUnreachable() throws InterruptedException {
        Recorder recorder = new Recorder();
        EventLoop loop = EventLoop.builder().name("worker").unhandledRejections(UnhandledRejectionPolicy.IGNORE)
                .onUnhandledRejection(recorder).start();
        try {
            loop.submit(() -> { throw new IllegalStateException("dropped by its caller"); });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30); // liveness bound only
            while (recorder.unhandled.isEmpty() && System.nanoTime() < deadline) {
                System.gc();
                Thread.sleep(10);
            }
            assertThat(recorder.unhandled).extracting(Throwable::getMessage).containsExactly("dropped by its caller");
            assertThat(loop.isClosed()).isFalse();
        } finally {
            loop.close();
        }
        assertThat(recorder.unhandled).as("reported once, not again at close").hasSize(1);
    }

    @Test
    void underThrowPolicy_aRejectionNobodyHandles_closesTheLoopWithUnhandledRejectionException() {
        EventLoop loop = EventLoop.builder().name("strict").unhandledRejections(UnhandledRejectionPolicy.THROW).start();
        Promise<Object> ignored = loop.submit(() -> { throw new IllegalStateException("nobody handles this"); });
        awaitSettled(ignored);
        loop.close();
        assertThat(loop.terminationFuture()).failsWithin(Duration.ofSeconds(10)).withThrowableThat()
                .havingCause().isInstanceOf(UnhandledRejectionException.class)
                .withMessageContaining("nobody handles this");
    }

    @Test
    void bodyEndedByTheClose_isNotReported_asOnTheLoop() {
        Recorder recorder = new Recorder();
        EventLoop loop = EventLoop.builder().name("worker").unhandledRejections(UnhandledRejectionPolicy.IGNORE)
                .onUnhandledRejection(recorder).start();
        Deferred<Object> never = loop.withResolvers();
        java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
        Promise<Object> suspended = async(loop, () -> {
            started.countDown();
            return await(never.promise());
        });
        try {
            assertThat(started.await(10, TimeUnit.SECONDS)).as("the body started").isTrue();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        loop.close(); // the body's await throws EventLoopClosedException; its promise rejects with it
        assertThat(suspended.state()).isEqualTo(Promise.State.REJECTED);
        assertThat(recorder.unhandled).as("reports of the close's own rejections").isEmpty();
    }

    @Test
    void submitOnTheLoopThread_keepsTheCheckpointRule() {
        Recorder recorder = new Recorder();
        EventLoop.builder().unhandledRejections(UnhandledRejectionPolicy.IGNORE).onUnhandledRejection(recorder)
                .run(() -> EventLoop.current().submit(() -> { throw new IllegalStateException("on the loop"); }));
        assertThat(recorder.unhandled).extracting(Throwable::getMessage).containsExactly("on the loop");
    }

    /** Waits, without handling it, until {@code promise} is no longer pending. */
    private static void awaitSettled(Promise<?> promise) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30); // liveness bound only
        while (promise.state() == Promise.State.PENDING && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(promise.state()).isEqualTo(Promise.State.REJECTED);
    }
}
