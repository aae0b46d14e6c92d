package dev.eventual;

import static dev.eventual.Async.async;
import static dev.eventual.Async.await;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * AbortController and AbortSignal: threads, the operations a signal stops, timeout and any
 * composition. Event order against Node is in {@code ordering/AbortOrderingTest}.
 */
class AbortSignalTest {
    private static final Duration LONG = Duration.ofSeconds(60);

    private static void runPromptly(Runnable main) {
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> EventLoop.builder()
                .unhandledRejections(UnhandledRejectionPolicy.THROW).run(main),
                "EventLoop.run did not return: an aborted operation still keeps the loop alive");
    }

    @Test
    void abort_fromAnotherThread_runsTheListenersOnTheLoopThread_asATask() throws Exception {
        try (EventLoop loop = EventLoop.builder().daemon(true).start()) {
            AbortController controller = new AbortController(loop);
            CompletableFuture<Thread> ranOn = new CompletableFuture<>();
            controller.signal().addListener(() -> ranOn.complete(Thread.currentThread()));
            assertThat(controller.abort()).isTrue();
            assertThat(controller.abort()).isFalse();
            assertThat(controller.signal().aborted()).isTrue();
            assertThat(controller.signal().reason()).isInstanceOf(CancellationException.class);
            assertThat(ranOn.get(10, SECONDS).getName()).isEqualTo(loop.name());
        }
    }

    @Test
    void aListenerThatThrows_goesToTheTaskErrorHandler_andTheOthersStillRun() {
        List<String> log = new ArrayList<>();
        EventLoop.builder().onTaskError(e -> log.add("error " + e.getMessage())).run(() -> {
            AbortController c = new AbortController();
            c.signal().addListener(() -> {
                throw new IllegalStateException("listener");
            });
            c.signal().addListener(() -> log.add("second listener"));
            c.abort();
        });
        assertThat(log).containsExactly("error listener", "second listener");
    }

    @Test
    void delay_withASignal_abortedRejectsWithTheReason_clearsTheTimer_andRunReturnsAtOnce() {
        List<String> log = new ArrayList<>();
        IllegalStateException reason = new IllegalStateException("stop");
        runPromptly(() -> {
            AbortController c = new AbortController();
            Promise.delay(LONG, c.signal()).caught(e -> {
                log.add(e == reason ? "rejected with the reason" : "other " + e);
                return null;
            });
            EventLoop.current().setTimeout(() -> c.abort(reason), 1);
        });
        assertThat(log).containsExactly("rejected with the reason");
    }

    @Test
    void timeoutSignal_isUnrefd_soItDoesNotKeepRunAlive() {
        AtomicReference<AbortSignal> signal = new AtomicReference<>();
        runPromptly(() -> signal.set(AbortSignal.timeout(LONG)));
        assertThat(signal.get().aborted()).isFalse();
    }

    @Test
    void withSignal_rejectsWithTheReason_andCancelsTheSourceItAloneConsumed() {
        AtomicReference<Promise<Void>> source = new AtomicReference<>();
        List<String> log = new ArrayList<>();
        runPromptly(() -> {
            AbortController c = new AbortController();
            Promise<Void> s = Promise.delay(LONG);
            source.set(s);
            s.withSignal(c.signal()).caught(e -> {
                log.add("guard rejected " + e.getMessage());
                return null;
            });
            c.abort(new RuntimeException("why"));
        });
        assertThat(log).containsExactly("guard rejected why");
        assertThat(source.get().isRejected()).isTrue();
    }

    @Test
    void await_withASignal_throwsTheReasonInTheBody_andReleasesWhatItAwaited() {
        List<String> log = new ArrayList<>();
        runPromptly(() -> {
            AbortController c = new AbortController();
            async(() -> {
                try {
                    await(Promise.delay(LONG), c.signal());
                } catch (CancellationException e) {
                    log.add("await threw " + e.getMessage());
                }
            });
            EventLoop.current().setTimeout(c::abort, 1);
        });
        assertThat(log).containsExactly("await threw This operation was aborted");
    }

    @Test
    void throwIfAborted_throwsAnUncheckedReasonAsItIs_andACheckedOneInAnAwaitException() {
        runPromptly(() -> {
            AbortController c = new AbortController();
            c.signal().throwIfAborted();
            IllegalStateException unchecked = new IllegalStateException("x");
            c.abort(unchecked);
            assertThatThrownBy(() -> c.signal().throwIfAborted()).isSameAs(unchecked);
            TimeoutException checked = new TimeoutException("t");
            AbortSignal s = AbortSignal.abort(checked);
            assertThatThrownBy(s::throwIfAborted).isInstanceOf(AwaitException.class).hasCause(checked);
        });
    }

    @Test
    void signals_needALoop_andSayWhichToUse() {
        assertThatThrownBy(AbortController::new).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("new AbortController()");
        assertThatThrownBy(() -> AbortSignal.timeout(Duration.ofMillis(-1))).isInstanceOf(IllegalStateException.class);
        EventLoop.run(() -> assertThatThrownBy(() -> AbortSignal.timeout(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-0.001"));
    }
}
