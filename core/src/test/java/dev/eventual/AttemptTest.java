package dev.eventual;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link Promise#attempt} and {@link Promise#attemptCompose}: JavaScript's {@code Promise.try}. */
class AttemptTest {
    @Test
    void aValueFulfils_aThrowRejects_aCheckedExceptionToo_andNothingEscapes() {
        IOException checked = new IOException("io");
        List<Object> log = new ArrayList<>();
        EventLoop.run(() -> {
            Promise.attempt(() -> "v").thenAccept(log::add);
            Promise.attempt(() -> {
                throw checked;
            }).caught(e -> log.add(e));
            Promise.attempt(() -> null).thenAccept(v -> log.add("null: " + v));
        });
        assertThat(log).containsExactly("v", checked, "null: null");
    }

    @Test
    void theFunctionRunsInsideTheCall_andTheHandlersOnTheLoopAfterIt() {
        List<String> log = new ArrayList<>();
        EventLoop.run(() -> {
            Thread loopThread = Thread.currentThread();
            Promise<Integer> p = Promise.attempt(() -> {
                log.add("fn on the loop thread: " + (Thread.currentThread() == loopThread));
                return 1;
            });
            log.add("returned " + p.state());
            p.thenAccept(v -> log.add("handler on the loop thread: " + (Thread.currentThread() == loopThread)));
            log.add("after then");
        });
        assertThat(log).containsExactly("fn on the loop thread: true", "returned FULFILLED", "after then",
                "handler on the loop thread: true");
    }

    @Test
    void attempt_keepsAReturnedPromiseAsTheValue_attemptComposeFollowsIt() {
        List<Object> log = new ArrayList<>();
        EventLoop.run(() -> {
            Promise<String> inner = Promise.resolve("inner");
            Promise.attempt(() -> inner).thenAccept(p -> log.add(p == inner));
            Promise.attemptCompose(() -> inner).thenAccept(log::add);
        });
        assertThat(log).containsExactly(true, "inner");
    }

    @Test
    void attemptCompose_rejectsANullPromise() {
        List<Object> log = new ArrayList<>();
        EventLoop.run(() -> Promise.<String>attemptCompose(() -> null).caught(e -> {
            log.add(e.getClass().getSimpleName());
            return null;
        }));
        assertThat(log).containsExactly("NullPointerException");
    }

    @Test
    void offALoop_failsWithoutCallingTheFunction() {
        List<String> called = new ArrayList<>();
        assertThatThrownBy(() -> Promise.attempt(() -> called.add("called")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("Promise.attempt");
        assertThat(called).isEmpty();
    }
}
