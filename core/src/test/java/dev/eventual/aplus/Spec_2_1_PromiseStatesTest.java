package dev.eventual.aplus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventual.Deferred;
import dev.eventual.EventLoop;
import dev.eventual.Promise;
import dev.eventual.Settled;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Promises/A+ 2.1: a promise is pending, fulfilled or rejected, and a settled state is final. */
class Spec_2_1_PromiseStatesTest {

    @Test
    void spec_2_1_1_1_pendingMayTransitionToFulfilled() {
        List<Object> log = new ArrayList<>();
        EventLoop.run(() -> {
            Deferred<String> d = Promise.withResolvers();
            log.add(d.promise().state());
            EventLoop.current().setTimeout(() -> {
                d.resolve("v");
                log.add(d.promise().state());
            }, 1);
        });
        assertThat(log).containsExactly(Promise.State.PENDING, Promise.State.FULFILLED);
    }

    @Test
    void spec_2_1_1_1_pendingMayTransitionToRejected() {
        List<Object> log = new ArrayList<>();
        EventLoop.run(() -> {
            Deferred<String> d = Promise.withResolvers();
            log.add(d.promise().state());
            d.promise().caught(e -> null);
            EventLoop.current().setTimeout(() -> {
                d.reject(new RuntimeException("r"));
                log.add(d.promise().state());
            }, 1);
        });
        assertThat(log).containsExactly(Promise.State.PENDING, Promise.State.REJECTED);
    }

    @Test
    void spec_2_1_2_1_fulfilledMustNotTransitionToAnyOtherState() {
        List<Object> log = new ArrayList<>();
        EventLoop.run(() -> {
            Deferred<String> d = Promise.withResolvers();
            d.resolve("v");
            log.add(d.tryReject(new RuntimeException("late")));
            d.promise().then(v -> log.add("fulfilled " + v), e -> log.add("rejected"));
            EventLoop.current().setTimeout(() -> log.add(d.promise().state()), 1);
        });
        assertThat(log).containsExactly(false, "fulfilled v", Promise.State.FULFILLED);
    }

    @Test
    void spec_2_1_2_2_fulfilledMustHaveAValueWhichMustNotChange() {
        List<Object> log = new ArrayList<>();
        EventLoop.run(() -> {
            Deferred<String> d = Promise.withResolvers();
            d.resolve("first");
            log.add(d.tryResolve("second"));
            d.promise().thenAccept(log::add);
            EventLoop.current().setTimeout(() -> d.promise().thenAccept(log::add), 1);
        });
        assertThat(log).containsExactly(false, "first", "first");
    }

    @Test
    void spec_2_1_3_1_rejectedMustNotTransitionToAnyOtherState() {
        List<Object> log = new ArrayList<>();
        EventLoop.run(() -> {
            Deferred<String> d = Promise.withResolvers();
            d.reject(new RuntimeException("r"));
            log.add(d.tryResolve("late"));
            d.promise().then(v -> log.add("fulfilled"), e -> log.add("rejected " + e.getMessage()));
        });
        assertThat(log).containsExactly(false, "rejected r");
    }

    @Test
    void spec_2_1_3_2_rejectedMustHaveAReasonWhichMustNotChange() {
        RuntimeException first = new RuntimeException("first");
        List<Object> log = new ArrayList<>();
        EventLoop.run(() -> {
            Deferred<String> d = Promise.withResolvers();
            d.reject(first);
            log.add(d.tryReject(new RuntimeException("second")));
            d.promise().caught(e -> {
                log.add(e);
                return null;
            });
            log.add(((Settled.Rejected<String>) d.promise().peek().orElseThrow()).reason());
        });
        assertThat(log).containsExactly(false, first, first);
    }
}
