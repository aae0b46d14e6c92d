package dev.eventual.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventual.Deferred;
import dev.eventual.EventLoop;
import dev.eventual.Promise;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The hand-off between two adoption steps of a run-mode loop (A+ 2.3.3.3.1, rule 7): a stage
 * adopted on the loop calls back, from another thread, with another stage. That thread's
 * resolver posts the next step's job, then releases the first step's keep-alive
 * ({@link ThenableAdoption}'s overview); the loop must run the job, and deliver what the second
 * stage gives, before {@code EventLoop.run} returns. The other thread calls back inside
 * {@link EventLoopImpl#idleCheckForTest}, between the idle check's keep-alive read and its queue
 * read: where a loaded machine once descheduled the loop thread and the A+ 2.3.3 suite lost the
 * outcome of {@code DEFERRED_RESOLVE of FROM_THREAD called with STAGE_OF_ERROR}. Every way of
 * adopting a stage on the loop, with both kinds of stage that call back from another thread.
 * Each case fails (outcomes {@code []}) when the idle check reads the task queue first.
 */
class AdoptionRunExitTest {

    /** How the outer stage is adopted on the loop. */
    enum Via { DEFERRED_RESOLVE, PROMISE_FROM, PROMISE_RESOLVE }

    /** The outer stage: what the other thread calls back on. */
    enum Outer { WHEN_COMPLETE_ONLY, COMPLETABLE_FUTURE }

    /** What the outer stage calls back with: another stage, which calls back at once when adopted. */
    enum Inner {
        STAGE_OF_ERROR("rejected:r"),
        STAGE_OF_VALUE("fulfilled:v"),
        FAILED_FUTURE("rejected:r");

        final String expected;

        Inner(String expected) {
            this.expected = expected;
        }

        CompletionStage<Object> make() {
            return switch (this) {
                case STAGE_OF_ERROR -> whenCompleteOnly(cb -> cb.accept(null, new IllegalStateException("r")));
                case STAGE_OF_VALUE -> whenCompleteOnly(cb -> cb.accept("v", null));
                case FAILED_FUTURE -> CompletableFuture.failedFuture(new IllegalStateException("r"));
            };
        }
    }

    record Case(Via via, Outer outer, Inner inner) {
        @Override
        public String toString() {
            return via + " of " + outer + " called back from another thread with " + inner;
        }
    }

    static Stream<Case> cases() {
        List<Case> cases = new ArrayList<>();
        for (Via via : Via.values()) {
            for (Outer outer : Outer.values()) {
                for (Inner inner : Inner.values()) {
                    cases.add(new Case(via, outer, inner));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theNextAdoptionStepRunsBeforeRunReturns(Case c) {
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        List<String> problems = Collections.synchronizedList(new ArrayList<>());
        EventLoop.builder().onTaskError(t -> problems.add("escaped to the loop: " + t)).run(() -> {
            EventLoopImpl loop = EventLoopImpl.current();
            AtomicReference<BiConsumer<Object, Throwable>> callback = new AtomicReference<>();
            CompletableFuture<Object> future = new CompletableFuture<>();
            CompletionStage<Object> outer = c.outer() == Outer.COMPLETABLE_FUTURE ? future : whenCompleteOnly(callback::set);
            Promise<Object> p = switch (c.via()) {
                case DEFERRED_RESOLVE -> {
                    Deferred<Object> d = Promise.withResolvers();
                    d.resolve(outer);
                    yield d.promise();
                }
                case PROMISE_FROM -> Promise.from(outer);
                case PROMISE_RESOLVE -> Promise.resolve((Object) outer);
            };
            p.then(v -> log.add("fulfilled:" + v), e -> log.add("rejected:" + e.getMessage()));
            loop.idleCheckForTest = () -> {
                loop.idleCheckForTest = null; // once: the first idle check, after the adoption job registered
                runOnAnotherThread(() -> {
                    if (c.outer() == Outer.COMPLETABLE_FUTURE) {
                        future.complete(c.inner().make());
                    } else if (callback.get() == null) {
                        problems.add("the adoption job had not registered on the stage at the first idle check");
                    } else {
                        callback.get().accept(c.inner().make(), null);
                    }
                });
            };
        });
        assertThat(problems).as("problems in %s", c).isEmpty();
        assertThat(log).as("outcomes of %s when the loop's idle check is interrupted by the hand-off", c)
                .containsExactly(c.inner().expected);
    }

    /** A stage that implements only {@code whenComplete}, which runs {@code then} with the callback. */
    @SuppressWarnings("unchecked")
    static CompletionStage<Object> whenCompleteOnly(Consumer<BiConsumer<Object, Throwable>> then) {
        return (CompletionStage<Object>) Proxy.newProxyInstance(CompletionStage.class.getClassLoader(),
                new Class<?>[] {CompletionStage.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "equals" -> proxy == args[0];
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "toString" -> "WhenCompleteOnlyStage@" + Integer.toHexString(System.identityHashCode(proxy));
                    case "whenComplete" -> {
                        then.accept((BiConsumer<Object, Throwable>) args[0]);
                        yield proxy;
                    }
                    default -> throw new UnsupportedOperationException(method.getName() + " is not supported by this stage");
                });
    }

    /** Runs {@code action} on a new platform thread and waits for it (the loop thread stays where it is). */
    private static void runOnAnotherThread(Runnable action) {
        Thread t = Thread.ofPlatform().name("stage-completer").start(action);
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while the stage's thread ran", e);
        }
    }
}
