package dev.eventual.aplus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventual.ChainingCycleException;
import dev.eventual.Deferred;
import dev.eventual.EventLoop;
import dev.eventual.NodeCallback;
import dev.eventual.Promise;
import dev.eventual.Settled;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Promises/A+ 2.3: the resolution procedure [[Resolve]](promise, x), as run by
 * {@code Deferred.tryResolve}/{@code follow} and by the value a handler returns.
 *
 * <p>Java has no duck-typed "thenables": 2.3.3 maps to the two kinds of foreign promise Java
 * code has, {@link CompletionStage} (whose {@code whenComplete} plays {@code then}) and other
 * implementations of {@link Promise}. 2.3.3.1 and 2.3.3.2 (reading {@code x.then} once, and a
 * getter that throws) have no meaning: a Java method is not a property that can be read or
 * throw on access.
 */
class Spec_2_3_PromiseResolutionProcedureTest {
    private static final RuntimeException REASON = new RuntimeException("reason");

    private static List<Object> run(Consumer<List<Object>> program) {
        List<Object> log = new ArrayList<>();
        EventLoop.run(() -> program.accept(log));
        return log;
    }

    private static <T> Promise<T> later(T value) {
        Deferred<T> d = Promise.withResolvers();
        EventLoop.current().setTimeout(() -> d.resolve(value), 2);
        return d.promise();
    }

    @Test
    void spec_2_3_1_resolvingAPromiseWithItself_rejectsWithAChainingCycleException() {
        List<Object> log = run(l -> {
            Deferred<Object> d = Promise.withResolvers();
            d.resolve(d.promise());
            d.promise().caught(e -> l.add(e.getClass().getSimpleName() + ": " + e.getMessage().startsWith("chaining cycle")));
        });
        assertThat(log).containsExactly("ChainingCycleException: true");
    }

    @Test
    void spec_2_3_1_handlerReturningItsOwnPromise_rejectsWithAChainingCycleException() {
        List<Object> log = run(l -> {
            List<Promise<Object>> holder = new ArrayList<>();
            Promise<Object> p = Promise.resolve(1).thenCompose(v -> holder.get(0));
            holder.add(p);
            p.caught(e -> l.add(e.getClass().getSimpleName()));
        });
        assertThat(log).containsExactly("ChainingCycleException");
    }

    @Test
    void spec_2_3_1_aStageCompletingWithThePromiseThatAdoptsIt_rejectsWithAChainingCycleException() {
        List<Object> log = run(l -> {
            CompletableFuture<Object> stage = new CompletableFuture<>();
            Promise<Object> p = Promise.from(stage);
            stage.complete(p);
            p.caught(ChainingCycleException.class, e -> l.add(e.getClass().getSimpleName()));
        });
        assertThat(log).containsExactly("ChainingCycleException");
    }

    @Test
    void spec_2_3_2_1_followingAPendingPromise_staysPendingUntilItSettles() {
        List<Object> log = run(l -> {
            Deferred<String> inner = Promise.withResolvers();
            Deferred<String> outer = Promise.withResolvers();
            outer.follow(inner.promise());
            l.add(outer.promise().state());
            l.add(outer.tryResolve("ignored: already resolved to inner"));
            outer.promise().thenAccept(v -> l.add("outer " + v));
            EventLoop.current().setTimeout(() -> {
                l.add(outer.promise().state());
                inner.resolve("inner value");
            }, 2);
        });
        assertThat(log).containsExactly(Promise.State.PENDING, false, Promise.State.PENDING, "outer inner value");
    }

    @Test
    void spec_2_3_2_2_followingAFulfilledPromise_fulfilsWithTheSameValue() {
        Object value = new Object();
        List<Object> log = run(l -> {
            Deferred<Object> d = Promise.withResolvers();
            d.follow(Promise.resolve(value));
            d.promise().thenAccept(l::add);
            Promise.resolve(1).thenCompose(v -> Promise.resolve(value)).thenAccept(l::add);
            Promise.resolve(1).thenCompose(v -> later(value)).thenAccept(l::add);
        });
        assertThat(log).containsExactly(value, value, value);
    }

    @Test
    void spec_2_3_2_3_followingARejectedPromise_rejectsWithTheSameReason() {
        List<Object> log = run(l -> {
            Deferred<Object> d = Promise.withResolvers();
            d.follow(Promise.reject(REASON));
            d.promise().caught(e -> l.add(e));
            Promise.resolve(1).thenCompose(v -> Promise.<Object>reject(REASON)).caught(e -> l.add(e));
        });
        assertThat(log).containsExactly(REASON, REASON);
    }

    @Test
    void spec_2_3_3_3_1_aStageCompletingWithAValue_fulfilsThePromise() {
        List<Object> log = run(l -> {
            CompletableFuture<String> stage = new CompletableFuture<>();
            Deferred<Object> d = Promise.withResolvers();
            d.resolve(stage);
            d.promise().thenAccept(l::add);
            EventLoop.current().setTimeout(() -> stage.complete("from the stage"), 1);
            Deferred<Object> done = Promise.withResolvers();
            done.resolve(CompletableFuture.completedFuture("already complete"));
            done.promise().thenAccept(l::add);
        });
        assertThat(log).containsExactly("already complete", "from the stage");
    }

    @Test
    void spec_2_3_deviation_aThenHandlerReturningAPromise_fulfilsWithThatPromiseAsTheValue() {
        // Java's types need it: then's result is a Promise<R> holding an R. thenCompose follows.
        List<Object> log = run(l -> {
            Promise<Integer> inner = Promise.resolve(7);
            Promise.resolve(1).then(v -> inner).thenAccept(p -> l.add(p == inner));
            Promise.resolve(1).thenCompose(v -> inner).thenAccept(l::add);
        });
        assertThat(log).containsExactly(true, 7);
    }

    @Test
    void spec_2_3_3_3_1_aStageCompletingWithAnotherStage_isResolvedRecursively() {
        List<Object> log = run(l -> {
            CompletableFuture<Object> outer = new CompletableFuture<>();
            CompletableFuture<String> inner = new CompletableFuture<>();
            Deferred<Object> d = Promise.withResolvers();
            d.resolve(outer);
            d.promise().thenAccept(l::add);
            outer.complete(inner);
            EventLoop.current().setTimeout(() -> inner.complete("innermost"), 1);
        });
        assertThat(log).containsExactly("innermost");
    }

    @Test
    void spec_2_3_3_3_2_aStageCompletingExceptionally_rejectsWithItsCause() {
        List<Object> log = run(l -> {
            Deferred<Object> d = Promise.withResolvers();
            d.resolve(CompletableFuture.failedFuture(REASON));
            d.promise().caught(e -> l.add(e));
        });
        assertThat(log).containsExactly(REASON);
    }

    @Test
    void spec_2_3_3_3_3_aForeignPromiseSettlingTwice_onlyTheFirstCounts() {
        List<Object> log = run(l -> {
            Deferred<Object> d = Promise.withResolvers();
            d.follow(new TwiceSettlingPromise<>(EventLoop.current(), "first", "second"));
            d.promise().thenAccept(l::add);
        });
        assertThat(log).containsExactly("first");
    }

    @Test
    void spec_2_3_3_3_4_aStageWhoseThenThrows_rejectsThePromise() {
        IllegalStateException thrown = new IllegalStateException("whenComplete threw");
        List<Object> log = run(l -> {
            Deferred<Object> d = Promise.withResolvers();
            d.resolve(new ThrowingStage<>(thrown, null));
            d.promise().caught(e -> l.add(e));
        });
        assertThat(log).containsExactly(thrown);
    }

    @Test
    void spec_2_3_3_3_4_1_aStageThatSettledBeforeThrowing_keepsItsOutcome() {
        List<Object> log = run(l -> {
            Deferred<Object> d = Promise.withResolvers();
            d.resolve(new ThrowingStage<>(new IllegalStateException("ignored"), "settled first"));
            d.promise().then(v -> l.add(v), e -> l.add(e));
        });
        assertThat(log).containsExactly("settled first");
    }

    @Test
    void spec_2_3_3_4_anObjectThatIsNoPromiseOrStage_fulfilsAsIs() {
        Runnable function = () -> {};
        Object plain = new Object();
        List<Object> log = run(l -> {
            Promise.resolve(function).thenAccept(l::add);
            Promise.resolve(1).then(v -> plain).thenAccept(l::add);
        });
        assertThat(log).containsExactly(function, plain);
    }

    @Test
    void spec_2_3_4_plainValues_fulfilAsIs_includingNullAndAThrowable() {
        Throwable asValue = new IllegalStateException("a value, not a reason");
        List<Object> log = run(l -> {
            Promise.resolve(42).thenAccept(l::add);
            Promise.resolve("text").thenAccept(l::add);
            Promise.resolve((Object) null).thenAccept(v -> l.add(String.valueOf(v)));
            Promise.resolve(asValue).thenAccept(l::add);
            Promise.resolve(1).then(v -> asValue).then(v -> l.add("fulfilled with " + v.getMessage()), e -> l.add("rejected"));
        });
        assertThat(log).containsExactly(42, "text", "null", asValue, "fulfilled with a value, not a reason");
    }

    /** A foreign Promise implementation that calls back twice, like a buggy thenable (2.3.3.3.3). */
    private record TwiceSettlingPromise<T>(EventLoop loop, T first, T second) implements Promise<T> {
        @Override
        public Promise<T> asCallback(NodeCallback<? super T> callback) {
            loop.execute(() -> {
                callback.call(null, first);
                callback.call(null, second);
                callback.call(REASON, null);
            });
            return this;
        }

        @Override public <R> Promise<R> then(Function<? super T, ? extends R> f) { throw new UnsupportedOperationException(); }
        @Override public <R> Promise<R> then(Function<? super T, ? extends R> f, Function<? super Throwable, ? extends R> r) { throw new UnsupportedOperationException(); }
        @Override public <R> Promise<R> thenCompose(Function<? super T, ? extends Promise<? extends R>> f) { throw new UnsupportedOperationException(); }
        @Override public Promise<Void> thenAccept(Consumer<? super T> f) { throw new UnsupportedOperationException(); }
        @Override public Promise<T> caught(Function<? super Throwable, ? extends T> f) { throw new UnsupportedOperationException(); }
        @Override public <E extends Throwable> Promise<T> caught(Class<E> t, Function<? super E, ? extends T> f) { throw new UnsupportedOperationException(); }
        @Override public Promise<T> lastly(Runnable r) { throw new UnsupportedOperationException(); }
        @Override public State state() { return State.PENDING; }
        @Override public Optional<Settled<T>> peek() { return Optional.empty(); }
        @Override public CompletableFuture<T> toCompletableFuture() { throw new UnsupportedOperationException(); }
    }

    /** A stage whose whenComplete throws, after first completing the callback when {@code value} is given. */
    private static final class ThrowingStage<T> extends CompletableFuture<T> {
        private final RuntimeException thrown;
        private final T value;

        ThrowingStage(RuntimeException thrown, T value) {
            this.thrown = thrown;
            this.value = value;
        }

        @Override
        public CompletableFuture<T> whenComplete(java.util.function.BiConsumer<? super T, ? super Throwable> action) {
            if (value != null) {
                action.accept(value, null);
            }
            throw thrown;
        }

        @Override
        public CompletableFuture<T> whenCompleteAsync(java.util.function.BiConsumer<? super T, ? super Throwable> action, Executor executor) {
            throw thrown;
        }
    }
}
