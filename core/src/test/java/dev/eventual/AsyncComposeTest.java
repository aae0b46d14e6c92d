package dev.eventual;

import static dev.eventual.Async.asyncCompose;
import static dev.eventual.Async.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;

/** {@link Async#asyncCompose}: an async body whose returned promise is followed (JavaScript's {@code return p}). */
class AsyncComposeTest {
    @Test
    void theReturnedPromiseIsFollowed_onTheLoop() {
        List<Object> log = new ArrayList<>();
        EventLoop.run(() -> {
            Thread loopThread = Thread.currentThread();
            Promise<String> p = asyncCompose(() -> {
                await(Promise.delay(Duration.ofMillis(1)));
                return Promise.delay(Duration.ofMillis(1)).then(v -> "followed");
            });
            p.thenAccept(v -> log.add(v + " on the loop thread: " + (Thread.currentThread() == loopThread)));
        });
        assertThat(log).containsExactly("followed on the loop thread: true");
    }

    @Test
    void aNullReturnRejects_aThrowRejects() {
        List<Object> log = new ArrayList<>();
        EventLoop.run(() -> {
            Async.<String>asyncCompose(() -> null).then(v -> log.add("unexpected " + v), e -> log.add(e.getClass().getSimpleName()));
            Async.<String>asyncCompose(() -> {
                throw new IllegalStateException("thrown");
            }).then(v -> log.add("unexpected " + v), e -> log.add(e.getMessage()));
        });
        assertThat(log).containsExactly("NullPointerException", "thrown");
    }

    @Test
    void fromAnotherThread_onANamedLoop() {
        List<Object> log = new ArrayList<>();
        EventLoop loop = EventLoop.start("compose");
        try {
            Promise<String> p = asyncCompose(loop, () -> Promise.resolve("from " + Thread.currentThread().getName()));
            log.add(Async.await(p));
        } finally {
            loop.close();
        }
        assertThat(log).containsExactly("from compose/async");
    }

    @Test
    void cancellingTheResultAfterTheBodyReturned_cancelsThePromiseItFollows() {
        List<Object> log = new ArrayList<>();
        EventLoop.run(() -> {
            Promise<Void> returned = Promise.delay(Duration.ofSeconds(30));
            Promise<Void> result = asyncCompose(() -> returned);
            EventLoop.current().setTimeout(() -> {
                result.cancel();
                log.add("returned " + returned.state());
            }, 1);
            result.then(v -> log.add("unexpected"), e -> log.add(e instanceof CancellationException ? "result cancelled" : "other " + e));
        });
        // The loop ended without waiting 30 s: the returned delay was cancelled with the result.
        assertThat(log).containsExactly("returned REJECTED", "result cancelled");
    }
}
