package dev.eventual;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Promise.map beyond what p-map defines (that part is in the testkit module's {@code ordering.LimiterNodeTest}): lazy
 * pulling, cancellation, a throwing iterator, arguments.
 */
class PromiseMapTest {
    private static final Duration LONG = Duration.ofSeconds(60);

    private static void runPromptly(Runnable main) {
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> EventLoop.builder()
                .unhandledRejections(UnhandledRejectionPolicy.THROW).run(main),
                "EventLoop.run did not return: a map left work keeping the loop alive");
    }

    /** Endless 0, 1, 2, ... counting how many were pulled. */
    private static Iterable<Integer> counting(AtomicInteger pulled) {
        return () -> new Iterator<>() {
            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Integer next() {
                return pulled.getAndIncrement();
            }
        };
    }

    @Test
    void itemsArePulledLazily_onlyAsSlotsFree_soAnEndlessIterableIsFine() {
        AtomicInteger pulled = new AtomicInteger();
        List<String> log = new ArrayList<>();
        runPromptly(() -> {
            Promise<List<Integer>> all = Promise.map(counting(pulled), 3, n -> Promise.delay(LONG).then(v -> n));
            log.add("pulled at once " + pulled.get());
            Promise.delay(Duration.ofMillis(1)).thenAccept(v -> {
                log.add("pulled " + pulled.get());
                all.cancel();
            });
        });
        assertThat(log).containsExactly("pulled at once 0", "pulled 3");
        assertThat(pulled.get()).isEqualTo(3);
    }

    @Test
    void cancellingTheResult_stopsPulling_andCancelsTheMappersInFlight() {
        List<Promise<Void>> inFlight = new ArrayList<>();
        AtomicInteger pulled = new AtomicInteger();
        runPromptly(() -> {
            Promise<List<Void>> all = Promise.map(counting(pulled), 2, n -> {
                Promise<Void> p = Promise.delay(LONG);
                inFlight.add(p);
                return p;
            });
            Promise.delay(Duration.ofMillis(1)).thenAccept(v -> all.cancel());
        });
        assertThat(pulled.get()).isEqualTo(2);
        assertThat(inFlight).hasSize(2).allSatisfy(p -> assertThat(p.isRejected()).isTrue());
    }

    @Test
    void aSignalThroughWithSignal_stopsTheMapTheSameWay() {
        List<Promise<Void>> inFlight = new ArrayList<>();
        AtomicReference<Throwable> reason = new AtomicReference<>();
        runPromptly(() -> {
            AbortController c = new AbortController();
            Promise.map(List.of(1, 2, 3, 4), 2, n -> {
                Promise<Void> p = Promise.delay(LONG);
                inFlight.add(p);
                return p;
            }).withSignal(c.signal()).caught(e -> {
                reason.set(e);
                return null;
            });
            Promise.delay(Duration.ofMillis(1)).thenAccept(v -> c.abort());
        });
        assertThat(inFlight).hasSize(2).allSatisfy(p -> assertThat(p.isRejected()).isTrue());
        assertThat(reason.get()).hasMessage("This operation was aborted");
    }

    @Test
    void anIteratorThatThrows_rejectsWithWhatItThrew() {
        AtomicReference<Throwable> reason = new AtomicReference<>();
        IllegalStateException broken = new IllegalStateException("source broke");
        Iterable<Integer> items = () -> new Iterator<>() {
            int n;

            @Override
            public boolean hasNext() {
                if (n == 2) {
                    throw broken;
                }
                return true;
            }

            @Override
            public Integer next() {
                return n++;
            }
        };
        runPromptly(() -> Promise.map(items, 1, n -> Promise.resolve(n)).caught(e -> {
            reason.set(e);
            return null;
        }));
        assertThat(reason.get()).isSameAs(broken);
    }

    @Test
    void valuesMayBeNull_andTheListIsInItemOrder() {
        AtomicReference<List<String>> values = new AtomicReference<>();
        runPromptly(() -> Promise.map(List.of("a", "", "c"), 2, s -> Promise.resolve(s.isEmpty() ? null : s))
                .thenAccept(values::set));
        assertThat(values.get()).containsExactly("a", null, "c");
    }

    @Test
    void badArguments_areRefusedAtTheCall() {
        runPromptly(() -> {
            assertThatThrownBy(() -> Promise.map(List.of(1), 0, Promise::resolve))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("concurrency must be >= 1: 0");
            assertThatThrownBy(() -> Promise.map(null, 1, Promise::resolve)).hasMessage("items");
        });
        assertThatThrownBy(() -> Promise.map(List.of(1), 1, Promise::resolve))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("Promise.map");
    }
}
