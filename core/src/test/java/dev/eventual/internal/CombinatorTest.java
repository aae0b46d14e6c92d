package dev.eventual.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventual.AggregateException;
import dev.eventual.Deferred;
import dev.eventual.EventLoop;
import dev.eventual.KeepAlive;
import dev.eventual.NodeCallback;
import dev.eventual.Promise;
import dev.eventual.Settled;
import dev.eventual.UnhandledRejectionHandler;
import dev.eventual.UnhandledRejectionPolicy;
import java.time.Duration;
import java.util.AbstractCollection;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The combinators share one reaction per combinator (the result itself) and read each input's
 * outcome back from the input: repeated inputs, inputs of another loop, foreign promises,
 * unhandled-rejection marking, the consumer rule, the inputs copy and what a settled result
 * retains. Orderings against Node are in the ordering and fuzz suites.
 */
class CombinatorTest {
    private static final Duration LONG = Duration.ofSeconds(60);

    private static void run(Runnable main) {
        EventLoop.builder().unhandledRejections(UnhandledRejectionPolicy.THROW).run(main);
    }

    private static Object valueOf(Promise<?> p) {
        return ((Settled.Fulfilled<?>) p.peek().orElseThrow()).value();
    }

    private static Throwable reasonOf(Promise<?> p) {
        return ((Settled.Rejected<?>) p.peek().orElseThrow()).reason();
    }

    private static Object inputsField(Promise<?> combinator) throws ReflectiveOperationException {
        var field = Combinator.class.getDeclaredField("inputs");
        field.setAccessible(true);
        return field.get(combinator);
    }

    @Test
    void all_ofTheSamePromiseTwice_countsItTwice_andListsItsValueTwice() {
        List<String> log = new ArrayList<>();
        run(() -> {
            Deferred<String> p = Promise.withResolvers();
            Deferred<String> q = Promise.withResolvers();
            Promise<List<String>> all = Promise.all(p.promise(), q.promise(), p.promise());
            all.thenAccept(v -> log.add("all " + v));
            p.resolve("p");
            Promise.resolve(null).thenAccept(v -> {
                log.add("pending after p: " + all.isPending());
                q.resolve("q");
            });
        });
        assertThat(log).containsExactly("pending after p: true", "all [p, q, p]");
    }

    @Test
    void all_listsValuesInInputOrder_whenInputsSettleInReverse_nullsIncluded() {
        List<Object> log = new ArrayList<>();
        run(() -> {
            List<Deferred<String>> ds = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                ds.add(Promise.withResolvers());
            }
            Promise.all(ds.stream().map(Deferred::promise).toList()).thenAccept(log::add);
            for (int i = 4; i >= 0; i--) {
                ds.get(i).resolve(i == 2 ? null : "v" + i);
            }
        });
        assertThat(log).containsExactly(java.util.Arrays.asList("v0", "v1", null, "v3", "v4"));
    }

    @Test
    void all_rejectsWithTheFirstReasonToSettle_notTheFirstInInputOrder() {
        AtomicResult<Promise<List<Object>>> all = new AtomicResult<>();
        RuntimeException first = new RuntimeException("settled first");
        run(() -> {
            Deferred<Object> a = Promise.withResolvers();
            Deferred<Object> b = Promise.withResolvers();
            all.set(Promise.all(a.promise(), b.promise()));
            all.get().caught(e -> null);
            b.reject(first);
            a.reject(new RuntimeException("settled second"));
        });
        assertThat(reasonOf(all.get())).isSameAs(first);
    }

    @Test
    void allSettled_ofRepeatedAndMixedInputs_reportsEveryOutcomeInInputOrder() {
        List<Object> log = new ArrayList<>();
        RuntimeException no = new RuntimeException("no");
        run(() -> {
            Deferred<String> a = Promise.withResolvers();
            Deferred<String> b = Promise.withResolvers();
            Promise.allSettled(a.promise(), b.promise(), a.promise()).thenAccept(log::add);
            b.reject(no);
            a.resolve("yes");
        });
        assertThat(log).containsExactly(List.of(
                new Settled.Fulfilled<>("yes"), new Settled.Rejected<>(no), new Settled.Fulfilled<>("yes")));
    }

    @Test
    void any_ofRepeatedRejectedInputs_rejectsWithEveryReasonInInputOrder() {
        AtomicResult<Promise<Object>> any = new AtomicResult<>();
        RuntimeException ea = new RuntimeException("a");
        RuntimeException eb = new RuntimeException("b");
        run(() -> {
            Deferred<Object> a = Promise.withResolvers();
            Deferred<Object> b = Promise.withResolvers();
            any.set(Promise.any(a.promise(), b.promise(), a.promise()));
            any.get().caught(e -> null);
            b.reject(eb);
            a.reject(ea);
        });
        AggregateException error = (AggregateException) reasonOf(any.get());
        assertThat(error.errors()).containsExactly(ea, eb, ea);
        assertThat(error).hasMessage("all 3 promises passed to Promise.any were rejected");
    }

    @Test
    void any_fulfilsWithTheFirstValueToSettle_afterEarlierRejections() {
        List<Object> log = new ArrayList<>();
        run(() -> {
            Deferred<Object> a = Promise.withResolvers();
            Deferred<Object> b = Promise.withResolvers();
            Promise.any(a.promise(), b.promise()).thenAccept(log::add);
            a.reject(new RuntimeException("a"));
            b.resolve("b");
        });
        assertThat(log).containsExactly("b");
    }

    @Test
    void combinators_overInputsOfAnotherLoop_readTheirOutcomesBackInInputOrder() throws Exception {
        List<Object> log = new ArrayList<>();
        RuntimeException remoteError = new RuntimeException("remote error");
        try (EventLoop other = EventLoop.builder().name("other").daemon(true).start()) {
            Deferred<String> r1 = other.withResolvers();
            Deferred<String> r2 = other.withResolvers();
            Deferred<String> r3 = other.withResolvers();
            run(() -> {
                Thread loopThread = Thread.currentThread();
                KeepAlive alive = EventLoop.current().keepAlive();
                Deferred<String> local = Promise.withResolvers();
                Promise<List<String>> all = Promise.all(r1.promise(), local.promise(), r2.promise(), r1.promise());
                Promise<List<Settled<String>>> settled = Promise.allSettled(r3.promise(), local.promise(), r1.promise());
                Promise.all(all, settled).thenAccept(v -> {
                    log.add(v.get(0));
                    log.add(v.get(1));
                    log.add("on loop: " + (Thread.currentThread() == loopThread));
                    alive.close();
                });
                local.resolve("local");
                other.execute(() -> {
                    r2.resolve("r2");
                    r3.reject(remoteError);
                    r1.resolve("r1");
                });
            });
        }
        assertThat(log).containsExactly(
                List.of("r1", "local", "r2", "r1"),
                List.of(new Settled.Rejected<>(remoteError), new Settled.Fulfilled<>("local"), new Settled.Fulfilled<>("r1")),
                "on loop: true");
    }

    @Test
    void all_ofForeignPromises_followsThem_andListsTheirValuesInInputOrder() {
        List<Object> log = new ArrayList<>();
        run(() -> {
            Deferred<String> a = Promise.withResolvers();
            Deferred<String> b = Promise.withResolvers();
            Promise<String> foreignA = new Foreign<>(a.promise());
            Promise.all(foreignA, new Foreign<>(b.promise()), foreignA).thenAccept(log::add);
            b.resolve("b");
            a.resolve("a");
        });
        assertThat(log).containsExactly(List.of("a", "b", "a"));
    }

    @Test
    void inputs_fromAnIterableThatIsNoCollection_orACollectionWhoseSizeIsWrong_areAllKept() {
        List<Object> log = new ArrayList<>();
        run(() -> {
            List<Promise<Integer>> twenty = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                twenty.add(Promise.resolve(i));
            }
            Iterable<Promise<Integer>> notACollection = twenty::iterator;
            Promise.all(notACollection).thenAccept(v -> log.add("iterable " + v.size() + " " + v.equals(valuesOf(20))));
            Promise.all(new MisSized<>(twenty, 3)).thenAccept(v -> log.add("undersized " + v.size() + " " + v.equals(valuesOf(20))));
            Promise.all(new MisSized<>(twenty.subList(0, 5), 30)).thenAccept(v -> log.add("oversized " + v.size() + " " + v.equals(valuesOf(5))));
            Promise.all(new MisSized<>(List.<Promise<Integer>>of(), 4)).thenAccept(v -> log.add("empty " + v.size()));
        });
        assertThat(log).containsExactlyInAnyOrder("iterable 20 true", "undersized 20 true", "oversized 5 true", "empty 0");
    }

    private static List<Integer> valuesOf(int n) {
        List<Integer> values = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            values.add(i);
        }
        return values;
    }

    @Test
    void everyInput_isMarkedHandled_repeatedOrRejectedAfterTheResultSettled() {
        List<String> unhandled = new ArrayList<>();
        EventLoop.builder().unhandledRejections(UnhandledRejectionPolicy.IGNORE)
                .onUnhandledRejection(new UnhandledRejectionHandler() {
                    @Override
                    public void unhandled(Promise<?> promise, Throwable reason) {
                        unhandled.add(reason.getMessage());
                    }

                    @Override
                    public void handledLater(Promise<?> promise, Throwable reason) {
                        unhandled.add("later " + reason.getMessage());
                    }
                })
                .run(() -> {
                    Promise<Object> a = Promise.reject(new RuntimeException("a"));
                    Deferred<Object> b = Promise.withResolvers();
                    Promise.all(a, a, b.promise()).caught(e -> null);
                    Promise.any(a, b.promise(), a).caught(e -> null);
                    Promise.allSettled(b.promise(), a);
                    Promise.race(b.promise(), a).caught(e -> null);
                    Promise.resolve(null).thenAccept(v -> b.reject(new RuntimeException("b, after every result settled")));
                    Promise.all(Promise.reject(new RuntimeException("own result")), a); // the result itself is not handled
                });
        assertThat(unhandled).containsExactly("own result");
    }

    @Test
    void cancel_ofAllOverARepeatedInput_cancelsIt_butKeepsAnInputWithAnotherConsumer() {
        List<Object> log = new ArrayList<>();
        run(() -> {
            Promise<Void> alone = Promise.delay(LONG);
            Deferred<String> shared = Promise.withResolvers();
            shared.promise().thenAccept(v -> {}); // another consumer
            Promise.all(alone, shared.promise(), alone, shared.promise()).cancel();
            log.add(reasonOf(alone).getClass().getSimpleName());
            log.add("shared pending: " + shared.promise().isPending()); // read on the open loop
        });
        assertThat(log).containsExactly("CancellationException", "shared pending: true");
    }

    @Test
    void settledCombinator_isNoConsumerOfItsPendingInputs_whileAPendingOneOnTheSameInputsIs() {
        List<Object> log = new ArrayList<>();
        run(() -> {
            Deferred<String> shared = Promise.withResolvers();
            Promise<String> settledRace = Promise.race(shared.promise(), Promise.resolve("won"), shared.promise());
            Promise<String> guard = shared.promise().timeout(LONG);
            Deferred<String> other = Promise.withResolvers();
            Promise<List<String>> pendingAll = Promise.all(shared.promise(), other.promise(), shared.promise());
            Promise.resolve(null).thenAccept(v -> {
                log.add("race " + valueOf(settledRace));
                guard.cancel(); // the pending all still needs shared
                log.add("after guard cancelled, shared pending: " + shared.promise().isPending());
                pendingAll.cancel(); // now only the settled race is left on shared: no consumer
                log.add("after all cancelled, shared cancelled: "
                        + (shared.promise().isRejected() && reasonOf(shared.promise()) instanceof CancellationException));
                log.add("other cancelled: " + other.promise().isRejected());
            });
        });
        assertThat(log).containsExactly("race won", "after guard cancelled, shared pending: true",
                "after all cancelled, shared cancelled: true", "other cancelled: true");
    }

    @Test
    void allCancelling_withARepeatedPendingInput_rejectsWithTheFirstReason_andCancelsThatInput() {
        List<Promise<?>> seen = new ArrayList<>();
        RuntimeException boom = new RuntimeException("boom");
        run(() -> {
            Promise<Void> pending = Promise.delay(LONG);
            Deferred<Object> failing = Promise.withResolvers();
            Promise<List<Object>> all = Promise.allCancelling(pending, failing.promise(), pending);
            all.caught(e -> null);
            seen.add(all);
            seen.add(pending);
            failing.reject(boom);
        });
        assertThat(reasonOf(seen.get(0))).isSameAs(boom);
        assertThat(reasonOf(seen.get(1))).isInstanceOf(CancellationException.class);
    }

    @Test
    void settledResult_retainsNoInput_whetherFulfilledOrWonWhileOthersArePending() throws Exception {
        List<Promise<?>> results = new ArrayList<>();
        run(() -> {
            Deferred<String> forever = Promise.withResolvers();
            results.add(Promise.all(Promise.resolve("a"), Promise.resolve("b")));
            results.add(Promise.allSettled(Promise.resolve("a"), Promise.reject(new RuntimeException("y"))));
            results.add(Promise.any(forever.promise(), Promise.resolve("a")));
            results.add(Promise.race(forever.promise(), Promise.resolve("a")));
        });
        assertThat(valueOf(results.get(0))).isEqualTo(List.of("a", "b"));
        for (Promise<?> result : results) {
            assertThat(result.isFulfilled()).isTrue();
            assertThat(inputsField(result)).isNull();
        }
    }

    @Test
    void settledResult_rejected_retainsNoInput_evenWithAnInputStillPending() throws Exception {
        List<Promise<?>> results = new ArrayList<>();
        List<String> log = new ArrayList<>();
        run(() -> {
            Deferred<String> forever = Promise.withResolvers();
            Promise<List<String>> all = Promise.all(Promise.reject(new RuntimeException("x")), forever.promise());
            Promise<String> any = Promise.any(Promise.reject(new RuntimeException("z")), Promise.reject(new RuntimeException("w")));
            all.caught(e -> null);
            any.caught(e -> null);
            results.add(all);
            results.add(any);
            Promise.resolve(null).thenAccept(v -> log.add("forever pending: " + forever.promise().isPending()));
        });
        assertThat(inputsField(results.get(0))).isNull();
        assertThat(inputsField(results.get(1))).isNull();
        assertThat(log).containsExactly("forever pending: true"); // plain all leaves the others running
    }

    /** A result holder for values set inside a loop and read after it. */
    private static final class AtomicResult<T> {
        private T value;

        void set(T v) {
            value = v;
        }

        T get() {
            return value;
        }
    }

    /** A collection whose size() is wrong, as a concurrently modified one may report. */
    private static final class MisSized<E> extends AbstractCollection<E> {
        private final List<E> elements;
        private final int reportedSize;

        MisSized(List<E> elements, int reportedSize) {
            this.elements = elements;
            this.reportedSize = reportedSize;
        }

        @Override
        public Iterator<E> iterator() {
            return elements.iterator();
        }

        @Override
        public int size() {
            return reportedSize;
        }
    }

    /** A Promise that is not ours: it delegates to one of ours. */
    private record Foreign<T>(Promise<T> inner) implements Promise<T> {
        @Override public <R> Promise<R> then(Function<? super T, ? extends R> f) { return inner.then(f); }
        @Override public <R> Promise<R> then(Function<? super T, ? extends R> f, Function<? super Throwable, ? extends R> r) { return inner.then(f, r); }
        @Override public <R> Promise<R> thenCompose(Function<? super T, ? extends Promise<? extends R>> f) { return inner.thenCompose(f); }
        @Override public Promise<Void> thenAccept(Consumer<? super T> f) { return inner.thenAccept(f); }
        @Override public Promise<T> caught(Function<? super Throwable, ? extends T> f) { return inner.caught(f); }
        @Override public <E extends Throwable> Promise<T> caught(Class<E> t, Function<? super E, ? extends T> f) { return inner.caught(t, f); }
        @Override public Promise<T> lastly(Runnable r) { return inner.lastly(r); }
        @Override public Promise<T> asCallback(NodeCallback<? super T> callback) { inner.asCallback(callback); return this; }
        @Override public EventLoop loop() { return inner.loop(); }
        @Override public State state() { return inner.state(); }
        @Override public Optional<Settled<T>> peek() { return inner.peek(); }
        @Override public CompletableFuture<T> toCompletableFuture() { return inner.toCompletableFuture(); }
    }
}
