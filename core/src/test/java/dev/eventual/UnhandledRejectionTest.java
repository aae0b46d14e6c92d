package dev.eventual;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Rule 5: rejections nobody handles by the end of the checkpoint are reported, per policy. */
class UnhandledRejectionTest {

    /** Records the handler's calls as "unhandled: message" / "handled later: message". */
    private static final class Recorder implements UnhandledRejectionHandler {
        final List<String> events = new ArrayList<>();

        @Override
        public void unhandled(Promise<?> promise, Throwable reason) {
            events.add("unhandled: " + reason.getMessage());
        }

        @Override
        public void handledLater(Promise<?> promise, Throwable reason) {
            events.add("handled later: " + reason.getMessage());
        }
    }

    private static Recorder runWith(UnhandledRejectionPolicy policy, Runnable main) {
        Recorder recorder = new Recorder();
        EventLoop.builder().unhandledRejections(policy).onUnhandledRejection(recorder).run(main);
        return recorder;
    }

    @Test
    void rejectionWithoutHandler_isReportedAfterTheCheckpoint() {
        Recorder r = runWith(UnhandledRejectionPolicy.IGNORE, () -> Promise.reject(new RuntimeException("lost")));
        assertThat(r.events).containsExactly("unhandled: lost");
    }

    @Test
    void handlerAttachedInTheSameTaskOrAMicrotask_suppressesTheReport() {
        Recorder r = runWith(UnhandledRejectionPolicy.IGNORE, () -> {
            Promise<Object> a = Promise.reject(new RuntimeException("a"));
            a.caught(e -> null);
            Promise<Object> b = Promise.reject(new RuntimeException("b"));
            EventLoop.current().queueMicrotask(() -> b.caught(e -> null));
            Promise<Object> c = Promise.reject(new RuntimeException("c"));
            Promise.resolve(1).thenAccept(v -> c.caught(e -> null)); // a later microtask of the same checkpoint
        });
        assertThat(r.events).isEmpty();
    }

    @Test
    void derivedPromiseOfAHandledRejection_isItselfUnhandled() {
        Recorder r = runWith(UnhandledRejectionPolicy.IGNORE,
                () -> Promise.reject(new RuntimeException("passes through")).then(v -> v));
        assertThat(r.events).containsExactly("unhandled: passes through");
    }

    /**
     * Found by the differential fuzzer: a promise that took its rejection from another promise
     * (by adoption or from a combinator input) shared that promise's status, already "handled"
     * by the reaction that passed the rejection on, so its own unhandled rejection was lost.
     */
    @Test
    void promiseRejectedByAdoptionOrByACombinatorInput_isItselfUnhandled() {
        Recorder r = runWith(UnhandledRejectionPolicy.IGNORE, () -> {
            Promise.withResolvers().follow(Promise.reject(new RuntimeException("adopted")));
            Promise.resolve(1).thenCompose(v -> Promise.reject(new RuntimeException("composed")));
            Promise.all(Promise.reject(new RuntimeException("all")));
            Promise.race(Promise.reject(new RuntimeException("race")));
        });
        // Printed by Node 20 for the same program, in this order.
        assertThat(r.events).containsExactly("unhandled: all", "unhandled: race", "unhandled: adopted", "unhandled: composed");
    }

    @Test
    void handlerAttachedInALaterTask_isReportedAsHandledLater() {
        Recorder r = runWith(UnhandledRejectionPolicy.IGNORE, () -> {
            Promise<Object> p = Promise.reject(new RuntimeException("late"));
            EventLoop.current().setTimeout(() -> p.caught(e -> null), 1);
        });
        assertThat(r.events).containsExactly("unhandled: late", "handled later: late");
    }

    /**
     * Found by the differential fuzzer: "handled later" was reported inside the call that attached
     * the handler. Node emits {@code rejectionHandled} at the end of the checkpoint, after its
     * microtasks and before the next timer, as {@link UnhandledRejectionHandler} says.
     */
    @Test
    void handledLater_isReportedAfterTheCheckpointsMicrotasks_beforeTheNextTimer() {
        Recorder r = new Recorder();
        EventLoop.builder().unhandledRejections(UnhandledRejectionPolicy.IGNORE).onUnhandledRejection(r).run(() -> {
            Promise<Object> p = Promise.reject(new RuntimeException("late"));
            EventLoop loop = EventLoop.current();
            loop.setTimeout(() -> {
                p.caught(e -> r.events.add("caught: " + e.getMessage()));
                loop.queueMicrotask(() -> r.events.add("microtask"));
                r.events.add("timer");
            }, 1);
            loop.setTimeout(() -> r.events.add("timer 2"), 1);
        });
        // Printed by Node 20 for the same program.
        assertThat(r.events).containsExactly("unhandled: late", "timer", "caught: late", "microtask", "handled later: late", "timer 2");
    }

    @Test
    void rejectionFromAnotherThread_isTrackedOnTheLoop() {
        Recorder r = runWith(UnhandledRejectionPolicy.IGNORE, () -> {
            Deferred<Object> d = Promise.withResolvers();
            KeepAlive alive = EventLoop.current().keepAlive();
            Thread.ofPlatform().start(() -> {
                d.reject(new RuntimeException("from a thread"));
                alive.close();
            });
        });
        assertThat(r.events).containsExactly("unhandled: from a thread");
    }

    @Test
    void throwPolicy_makesRunThrow_withTheReasonAsCause() {
        IllegalStateException reason = new IllegalStateException("fatal");
        List<String> after = new ArrayList<>();
        assertThatThrownBy(() -> EventLoop.builder().unhandledRejections(UnhandledRejectionPolicy.THROW).run(() -> {
            Promise.reject(reason);
            EventLoop.current().setTimeout(() -> after.add("ran"), 1);
        })).isInstanceOf(UnhandledRejectionException.class).hasCause(reason)
                .hasMessageContaining("event loop 'main'");
        assertThat(after).as("the loop stopped at the checkpoint").isEmpty();
    }

    @Test
    void throwPolicy_onAStartedLoop_failsItsTermination() {
        EventLoop loop = EventLoop.builder().unhandledRejections(UnhandledRejectionPolicy.THROW).daemon(true).start();
        loop.execute(() -> Promise.reject(new RuntimeException("stops the loop")));
        assertThat(loop.terminationFuture()).failsWithin(java.time.Duration.ofSeconds(10))
                .withThrowableThat().havingCause().isInstanceOf(UnhandledRejectionException.class);
        assertThat(loop.isClosed()).isTrue();
    }

    @Test
    void warnPolicy_printsTheReasonToStandardError() {
        PrintStream original = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            EventLoop.builder().unhandledRejections(UnhandledRejectionPolicy.WARN)
                    .run(() -> Promise.reject(new RuntimeException("warned about")));
        } finally {
            System.setErr(original);
        }
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("Unhandled promise rejection on event loop 'main'").contains("warned about");
    }

    @Test
    void ignorePolicy_printsNothing() {
        PrintStream original = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            EventLoop.builder().unhandledRejections(UnhandledRejectionPolicy.IGNORE)
                    .run(() -> Promise.reject(new RuntimeException("quiet")));
        } finally {
            System.setErr(original);
        }
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    }
}
