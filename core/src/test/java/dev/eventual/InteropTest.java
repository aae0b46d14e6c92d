package dev.eventual;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/** CompletionStage and Node-style callbacks, both ways. */
class InteropTest {

    @Test
    void from_unwrapsCompletionException() {
        IOException cause = new IOException("disk");
        Throwable[] seen = new Throwable[1];
        EventLoop.run(() -> Promise.from(CompletableFuture.failedFuture(new CompletionException(cause)))
                .caught(e -> seen[0] = e));
        assertThat(seen[0]).isSameAs(cause);
    }

    @Test
    void from_ofAnAlreadyCompletedStage_stillDeliversAsynchronously() {
        List<String> log = new ArrayList<>();
        EventLoop.run(() -> {
            Promise.from(CompletableFuture.completedFuture("done")).thenAccept(v -> log.add("then " + v));
            log.add("sync");
        });
        assertThat(log).containsExactly("sync", "then done");
    }

    @Test
    void toCompletableFuture_completesWithTheValueOrTheUnwrappedReason() throws Exception {
        try (EventLoop loop = EventLoop.builder().daemon(true).start()) {
            Deferred<String> ok = loop.withResolvers();
            Deferred<String> bad = loop.withResolvers();
            CompletableFuture<String> okFuture = ok.promise().toCompletableFuture();
            CompletableFuture<String> badFuture = bad.promise().toCompletableFuture();
            ok.resolve("value");
            IOException reason = new IOException("reason");
            bad.reject(reason);
            assertThat(okFuture.get(10, SECONDS)).isEqualTo("value");
            assertThatThrownBy(() -> badFuture.get(10, SECONDS)).isInstanceOf(ExecutionException.class).hasCause(reason);
        }
    }

    @Test
    void fromCallback_fulfilsOrRejects_andTheFirstCallWins() {
        List<String> log = new ArrayList<>();
        EventLoop.run(() -> {
            Promise.<String>fromCallback(cb -> cb.call(null, "v")).thenAccept(v -> log.add("value " + v));
            Promise.<String>fromCallback(cb -> cb.call(new IOException("e"), null))
                    .caught(e -> log.add("error " + e.getMessage()) ? null : null);
            Promise.<String>fromCallback(cb -> {
                cb.call(null, "first");
                cb.call(null, "second");
                cb.call(new IOException("third"), null);
            }).thenAccept(v -> log.add("once " + v));
            Promise.<String>fromCallback(cb -> {
                throw new IllegalStateException("starter threw");
            }).caught(e -> log.add("starter " + e.getMessage()) ? null : null);
            Promise.<String>fromCallback(cb -> Thread.ofPlatform().start(() -> cb.call(null, "from a thread")))
                    .thenAccept(v -> log.add("thread " + v));
        });
        assertThat(log).containsExactlyInAnyOrder("value v", "error e", "once first", "starter starter threw",
                "thread from a thread");
    }

    @Test
    void asCallback_receivesErrorOrValue_onTheLoopThread_andMarksTheRejectionHandled() {
        List<String> log = new ArrayList<>();
        List<String> unhandled = new ArrayList<>();
        EventLoop.builder().onUnhandledRejection((p, e) -> unhandled.add(e.getMessage())).run(() -> {
            Thread loopThread = Thread.currentThread();
            Promise.resolve("v").asCallback((error, value) ->
                    log.add("(" + error + ", " + value + ") on loop: " + (Thread.currentThread() == loopThread)));
            Promise.<String>reject(new IOException("e")).asCallback((error, value) ->
                    log.add("(" + error.getMessage() + ", " + value + ")"));
        });
        assertThat(log).containsExactly("(null, v) on loop: true", "(e, null)");
        assertThat(unhandled).isEmpty();
    }

    @Test
    void combinators_acceptPromisesOfAnotherLoop_andDeliverOnTheirOwn() throws Exception {
        try (EventLoop other = EventLoop.builder().name("other").daemon(true).start()) {
            Deferred<String> remote = other.withResolvers();
            List<String> log = new ArrayList<>();
            EventLoop.run(() -> {
                Thread loopThread = Thread.currentThread();
                KeepAlive alive = EventLoop.current().keepAlive();
                Promise.all(Promise.resolve("local"), remote.promise()).thenAccept(v -> {
                    log.add(v + " on loop: " + (Thread.currentThread() == loopThread));
                    alive.close();
                });
                other.execute(() -> remote.resolve("remote"));
            });
            assertThat(log).containsExactly("[local, remote] on loop: true");
        }
    }
}
