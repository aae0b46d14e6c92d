package dev.eventual.aplus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventual.Deferred;
import dev.eventual.EventLoop;
import dev.eventual.Promise;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Promises/A+ 2.2: the {@code then} method. In Java, {@code then(onFulfilled, onRejected)},
 * {@code then(onFulfilled)} and {@code caught(onRejected)} play its roles.
 *
 * <p>2.2.1 ("non-function arguments are ignored") maps to two things: a {@code null} handler is
 * refused at the call (Java has no "not a function" values, and silently ignoring a null would
 * hide bugs), and the one-handler forms pass the other outcome through, which is what ignoring
 * the missing handler means (2.2.7.3, 2.2.7.4).
 *
 * <p>2.2.5 ("called as functions, with no this value") has no meaning in Java: a lambda or method
 * reference has no receiver to bind. Nothing is tested for it.
 */
class Spec_2_2_ThenMethodTest {
    private static final RuntimeException REASON = new RuntimeException("reason");

    @Test
    void spec_2_2_1_nullHandlers_areRefusedAtTheCall() {
        EventLoop.run(() -> {
            Promise<String> p = Promise.resolve("v");
            assertThatThrownBy(() -> p.then(null, e -> "x")).isInstanceOf(NullPointerException.class).hasMessage("onFulfilled");
            assertThatThrownBy(() -> p.then(v -> v, null)).isInstanceOf(NullPointerException.class).hasMessage("onRejected");
        });
    }

    @Test
    void spec_2_2_1_1_withoutOnFulfilled_caughtPassesTheValueThrough() {
        List<Object> log = new ArrayList<>();
        EventLoop.run(() -> Promise.resolve("v").caught(e -> "recovered").thenAccept(log::add));
        assertThat(log).containsExactly("v");
    }

    @Test
    void spec_2_2_1_2_withoutOnRejected_thenPassesTheReasonThrough() {
        List<Object> log = new ArrayList<>();
        EventLoop.run(() -> Promise.<String>reject(REASON).then(v -> "mapped").caught(e -> {
            log.add(e);
            return null;
        }));
        assertThat(log).containsExactly(REASON);
    }

    @Test
    void spec_2_2_2_1_onFulfilledIsCalledAfterFulfilment_withTheValue() {
        List<Object> log = new ArrayList<>();
        EventLoop.run(() -> {
            Deferred<String> d = Promise.withResolvers();
            d.promise().thenAccept(v -> log.add("called with " + v));
            EventLoop.current().setTimeout(() -> {
                log.add("fulfilling");
                d.resolve("v");
            }, 1);
        });
        assertThat(log).containsExactly("fulfilling", "called with v");
    }

    @Test
    void spec_2_2_2_2_onFulfilledIsNotCalledBeforeFulfilment() {
        List<Object> log = new ArrayList<>();
        EventLoop.run(() -> {
            Deferred<String> d = Promise.withResolvers();
            d.promise().thenAccept(v -> log.add("called"));
            EventLoop.current().setTimeout(() -> log.add("still pending, not called"), 1);
            EventLoop.current().setTimeout(() -> d.resolve("v"), 3);
        });
        assertThat(log).containsExactly("still pending, not called", "called");
    }

    @Test
    void spec_2_2_2_3_onFulfilledIsCalledOnlyOnce_evenIfResolvedAgainOrRejected() {
        List<Object> log = new ArrayList<>();
        EventLoop.run(() -> {
            Deferred<String> d = Promise.withResolvers();
            d.promise().then(v -> log.add("fulfilled " + v), e -> log.add("rejected"));
            d.resolve("a");
            d.tryResolve("b");
            d.tryReject(REASON);
            EventLoop.current().setTimeout(() -> d.tryResolve("c"), 1);
        });
        assertThat(log).containsExactly("fulfilled a");
    }

    @Test
    void spec_2_2_3_1_onRejectedIsCalledAfterRejection_withTheReason() {
        List<Object> log = new ArrayList<>();
        EventLoop.run(() -> {
            Deferred<String> d = Promise.withResolvers();
            d.promise().then(v -> log.add("fulfilled"), e -> log.add(e));
            EventLoop.current().setTimeout(() -> {
                log.add("rejecting");
                d.reject(REASON);
            }, 1);
        });
        assertThat(log).containsExactly("rejecting", REASON);
    }

    @Test
    void spec_2_2_3_2_onRejectedIsNotCalledBeforeRejection() {
        List<Object> log = new ArrayList<>();
        EventLoop.run(() -> {
            Deferred<String> d = Promise.withResolvers();
            d.promise().caught(e -> {
                log.add("called");
                return null;
            });
            EventLoop.current().setTimeout(() -> log.add("still pending, not called"), 1);
            EventLoop.current().setTimeout(() -> d.reject(REASON), 3);
        });
        assertThat(log).containsExactly("still pending, not called", "called");
    }

    @Test
    void spec_2_2_3_3_onRejectedIsCalledOnlyOnce() {
        List<Object> log = new ArrayList<>();
        EventLoop.run(() -> {
            Deferred<String> d = Promise.withResolvers();
            d.promise().then(v -> log.add("fulfilled"), e -> log.add("rejected " + e.getMessage()));
            d.reject(REASON);
            d.tryReject(new RuntimeException("again"));
            d.tryResolve("late");
        });
        assertThat(log).containsExactly("rejected reason");
    }

    @Test
    void spec_2_2_4_onFulfilledNotCalledUntilStackIsClear_alreadyFulfilled() {
        List<Object> log = new ArrayList<>();
        EventLoop.run(() -> {
            Promise.resolve("v").thenAccept(v -> log.add("handler"));
            log.add("after then returned");
        });
        assertThat(log).containsExactly("after then returned", "handler");
    }

    @Test
    void spec_2_2_4_onFulfilledNotCalledUntilStackIsClear_fulfilledLaterInTheSameTask() {
        List<Object> log = new ArrayList<>();
        EventLoop.run(() -> {
            Deferred<String> d = Promise.withResolvers();
            d.promise().thenAccept(v -> log.add("handler"));
            d.resolve("v");
            log.add("after resolve returned");
        });
        assertThat(log).containsExactly("after resolve returned", "handler");
    }

    @Test
    void spec_2_2_4_onRejectedNotCalledUntilStackIsClear() {
        List<Object> log = new ArrayList<>();
        EventLoop.run(() -> {
            Deferred<String> d = Promise.withResolvers();
            d.promise().then(v -> log.add("fulfilled"), e -> log.add("handler"));
            d.reject(REASON);
            log.add("after reject returned");
            Promise.reject(REASON).then(v -> log.add("fulfilled"), e -> log.add("handler 2"));
            log.add("after then returned");
        });
        assertThat(log).containsExactly("after reject returned", "after then returned", "handler", "handler 2");
    }

    @Test
    void spec_2_2_4_handlersRunOnTheLoopThread_evenWhenSettledFromAnotherThread() {
        List<Object> log = new ArrayList<>();
        EventLoop.run(() -> {
            Thread loopThread = Thread.currentThread();
            Deferred<String> d = Promise.withResolvers();
            d.promise().thenAccept(v -> log.add("on loop thread: " + (Thread.currentThread() == loopThread)));
            var alive = EventLoop.current().keepAlive();
            d.promise().lastly(alive::close);
            Thread.ofPlatform().start(() -> d.resolve("v"));
        });
        assertThat(log).containsExactly("on loop thread: true");
    }

    @Test
    void spec_2_2_6_1_onFulfilledCallbacksRunInRegistrationOrder() {
        List<Object> log = new ArrayList<>();
        EventLoop.run(() -> {
            Deferred<String> d = Promise.withResolvers();
            for (int i = 0; i < 5; i++) {
                int n = i;
                d.promise().thenAccept(v -> log.add(n));
            }
            EventLoop.current().setTimeout(() -> d.resolve("v"), 1);
            EventLoop.current().setTimeout(() -> d.promise().thenAccept(v -> log.add("late")), 2);
        });
        assertThat(log).containsExactly(0, 1, 2, 3, 4, "late");
    }

    @Test
    void spec_2_2_6_1_aThrowingHandlerDoesNotStopTheOthers() {
        List<Object> log = new ArrayList<>();
        EventLoop.run(() -> {
            Promise<String> p = Promise.resolve("v");
            p.thenAccept(v -> log.add("first"));
            p.then(v -> { throw new IllegalStateException("second throws"); }).caught(e -> log.add("derived rejected") ? null : null);
            p.thenAccept(v -> log.add("third"));
        });
        assertThat(log).containsExactly("first", "third", "derived rejected");
    }

    @Test
    void spec_2_2_6_2_onRejectedCallbacksRunInRegistrationOrder() {
        List<Object> log = new ArrayList<>();
        EventLoop.run(() -> {
            Deferred<String> d = Promise.withResolvers();
            for (int i = 0; i < 5; i++) {
                int n = i;
                d.promise().then(v -> log.add("fulfilled"), e -> log.add(n));
            }
            EventLoop.current().setTimeout(() -> d.reject(REASON), 1);
        });
        assertThat(log).containsExactly(0, 1, 2, 3, 4);
    }

    @Test
    void spec_2_2_7_thenReturnsANewPromise() {
        EventLoop.run(() -> {
            Promise<String> p = Promise.resolve("v");
            Promise<String> q = p.then(v -> v);
            assertThat(q).isNotSameAs(p);
            assertThat(q.isPending()).isTrue();
            assertThat(q.loop()).isSameAs(p.loop());
        });
    }

    @Test
    void spec_2_2_7_1_aReturnedValueFulfilsTheNewPromise() {
        List<Object> log = new ArrayList<>();
        EventLoop.run(() -> {
            Promise.resolve(2).then(v -> v * 21).thenAccept(log::add);
            Promise.<Integer>reject(REASON).then(v -> 0, e -> 7).thenAccept(log::add);
        });
        assertThat(log).containsExactly(42, 7);
    }

    @Test
    void spec_2_2_7_2_aThrownExceptionRejectsTheNewPromiseWithThatException() {
        IllegalStateException fromFulfilled = new IllegalStateException("fulfilled handler");
        IllegalStateException fromRejected = new IllegalStateException("rejected handler");
        List<Object> log = new ArrayList<>();
        EventLoop.run(() -> {
            Promise.resolve(1).then((Function<Integer, Integer>) v -> { throw fromFulfilled; })
                    .caught(e -> log.add(e) ? 0 : 0);
            Promise.<Integer>reject(REASON).then(v -> 0, e -> { throw fromRejected; })
                    .caught(e -> log.add(e) ? 0 : 0);
        });
        assertThat(log).containsExactly(fromFulfilled, fromRejected);
    }

    @Test
    void spec_2_2_7_3_withoutOnFulfilled_theNewPromiseFulfilsWithTheSameValue() {
        Object value = new Object();
        List<Object> log = new ArrayList<>();
        EventLoop.run(() -> Promise.resolve(value).caught(e -> "other").thenAccept(log::add));
        assertThat(log).containsExactly(value);
    }

    @Test
    void spec_2_2_7_4_withoutOnRejected_theNewPromiseRejectsWithTheSameReason() {
        List<Object> log = new ArrayList<>();
        EventLoop.run(() -> Promise.<String>reject(REASON).thenAccept(v -> log.add("no"))
                .then(v -> log.add("no"), e -> log.add(e)));
        assertThat(log).containsExactly(REASON);
    }
}
