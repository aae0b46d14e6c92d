package dev.eventual;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

/**
 * The reproductions of the 2.3.3 adoption defects, as a user writes them; the full cross product
 * is {@code aplus.Spec_2_3_3_StageAdoptionTest}.
 */
class StageAdoptionTest {
    /** The first call passes a promise; the second call, the error or the throw after it must lose. */
    private static final class Twice extends CompletableFuture<Object> {
        private final String then;

        Twice(String then) {
            this.then = then;
        }

        @Override
        public CompletableFuture<Object> whenComplete(BiConsumer<? super Object, ? super Throwable> cb) {
            cb.accept(Promise.resolve("v"), null); // first call
            switch (then) {
                case "value" -> cb.accept("o", null);
                case "error" -> cb.accept(null, new RuntimeException("ro"));
                default -> throw new RuntimeException("ro");
            }
            return this;
        }
    }

    @Test
    void theFirstCallWins_evenWhenItPassesAPromise() {
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        EventLoop.run(() -> {
            for (String then : List.of("value", "error", "throw")) {
                Promise.from(new Twice(then)).then(v -> log.add(then + ": " + v), e -> log.add(then + ": rejected " + e.getMessage()));
            }
        });
        assertThat(log).containsExactly("value: v", "error: v", "throw: v");
    }

    @Test
    void awaitOffALoop_followsAPromiseInsideACompletableFuture() {
        EventLoop loop = EventLoop.start("l");
        try {
            Object v = Async.await(CompletableFuture.completedFuture(loop.resolved("v")));
            assertThat(v).isEqualTo("v");
        } finally {
            loop.close();
        }
    }

    @Test
    void awaitOffALoop_throwsTheReasonOfARejectedPromiseInsideACompletableFuture_andReportsNothing() {
        List<Throwable> reported = Collections.synchronizedList(new ArrayList<>());
        EventLoop loop = EventLoop.builder().name("l").onUnhandledRejection((p, r) -> reported.add(r)).start();
        try {
            // The stage completes, with a promise rejected on the loop, in one task of the loop
            // that starts once await has registered: so the promise is followed before the end of
            // that task's checkpoint, and nothing may be reported.
            CompletableFuture<Object> source = new CompletableFuture<>();
            CompletableFuture<Object> stage = new CompletableFuture<>() {
                @Override
                public CompletableFuture<Object> whenComplete(BiConsumer<? super Object, ? super Throwable> action) {
                    source.whenComplete(action);
                    loop.execute(() -> source.complete(loop.rejected(new IllegalStateException("r"))));
                    return this;
                }
            };
            assertThatThrownBy(() -> Async.await(stage)).isInstanceOf(IllegalStateException.class).hasMessage("r");
        } finally {
            loop.close();
        }
        assertThat(reported).isEmpty();
    }

    @Test
    void awaitOffALoop_usesOnlyWhenComplete() {
        // toCompletableFuture (and everything but whenComplete) refuses, as CompletionStage allows.
        CompletableFuture<String> source = new CompletableFuture<>();
        CompletableFuture<String> stage = new CompletableFuture<>() {
            @Override
            public CompletableFuture<String> whenComplete(BiConsumer<? super String, ? super Throwable> action) {
                source.whenComplete(action);
                return this;
            }

            @Override
            public CompletableFuture<String> toCompletableFuture() {
                throw new UnsupportedOperationException("toCompletableFuture");
            }

            @Override
            public String get() {
                throw new UnsupportedOperationException("get");
            }
        };
        Thread.ofPlatform().start(() -> source.complete("done"));
        assertThat(Async.await(stage)).isEqualTo("done");
    }
}
