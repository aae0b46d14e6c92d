package dev.eventual;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;

/** {@link Promise#caughtCompose} and the two-handler {@link Promise#thenCompose(java.util.function.Function, java.util.function.Function)}. */
class ComposingRejectionTest {
    private static final RuntimeException DOWN = new IllegalStateException("down");

    @Test
    void aFallbackPromiseIsFollowed_onTheLoopThread() {
        List<Object> log = new ArrayList<>();
        EventLoop.run(() -> {
            Thread loopThread = Thread.currentThread();
            Promise.<String>reject(DOWN).caughtCompose(e -> {
                log.add("handler got " + e.getMessage() + " on the loop thread: " + (Thread.currentThread() == loopThread));
                return Promise.delay(Duration.ofMillis(1)).then(v -> "fallback");
            }).thenAccept(log::add);
        });
        assertThat(log).containsExactly("handler got down on the loop thread: true", "fallback");
    }

    @Test
    void aHandlerThatThrowsOrReturnsNull_rejectsTheResult() {
        List<Object> log = new ArrayList<>();
        EventLoop.run(() -> {
            Promise.<String>reject(DOWN).caughtCompose(e -> {
                throw new IllegalArgumentException("thrown");
            }).then(v -> log.add("unexpected " + v), e -> log.add(e.getMessage()));
            Promise.<String>reject(DOWN).caughtCompose(e -> null).then(v -> log.add("unexpected " + v), e -> log.add(e.getClass().getSimpleName()));
            Promise.resolve(1).thenCompose(v -> null, e -> Promise.resolve(2)).then(v -> log.add("unexpected " + v), e -> log.add(e.getClass().getSimpleName()));
        });
        assertThat(log).containsExactly("thrown", "NullPointerException", "NullPointerException");
    }

    @Test
    void theTypedFormHandlesItsClassOnly_andMarksTheOthersHandled() {
        List<Object> log = new ArrayList<>();
        List<Throwable> unhandled = new ArrayList<>();
        EventLoop.builder().onUnhandledRejection((p, r) -> unhandled.add(r)).run(() -> {
            Promise.<String>reject(DOWN).caughtCompose(IllegalStateException.class, e -> Promise.resolve("handled " + e.getMessage()))
                    .thenAccept(log::add);
            Promise<String> passed = Promise.<String>reject(new ArithmeticException("other"))
                    .caughtCompose(IllegalStateException.class, e -> Promise.resolve("never"));
            passed.then(v -> log.add("unexpected " + v), e -> log.add("passed " + e.getMessage()));
        });
        assertThat(log).containsExactly("passed other", "handled down"); // a pass-through takes no adoption turns
        assertThat(unhandled).isEmpty();
    }

    @Test
    void cancellingTheResult_cancelsTheFallbackItFollows() {
        List<Object> log = new ArrayList<>();
        EventLoop.run(() -> {
            Promise<Void> fallback = Promise.delay(Duration.ofSeconds(30));
            Promise<Void> result = Promise.<Void>reject(DOWN).caughtCompose(e -> fallback);
            EventLoop.current().setTimeout(() -> {
                result.cancel();
                log.add("fallback " + fallback.state());
            }, 1);
            result.then(v -> log.add("unexpected " + v), e -> log.add(e instanceof CancellationException ? "result cancelled" : "other " + e));
        });
        // The loop ended without waiting 30 s: the delay's timer was cleared.
        assertThat(log).containsExactly("fallback REJECTED", "result cancelled"); // the handler runs after the timer callback
    }
}
