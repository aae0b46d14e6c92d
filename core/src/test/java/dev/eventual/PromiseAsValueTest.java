package dev.eventual;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A promise can be a value: {@code submit} and {@code then} keep what their function returns as
 * it is (only {@code thenCompose} and {@code resolve} adopt). Some promises of the core are also
 * reactions internally (derived promises, combinator results, guards); held as a value they must
 * read as a fulfilled promise's value, never as a pending promise's reaction.
 */
class PromiseAsValueTest {

    @Test
    void submit_returningACombinatorResult_fulfilsWithThatPromise_andCancellingItLeavesTheValueAlone() throws Exception {
        try (EventLoop loop = EventLoop.builder().daemon(true).start()) {
            Promise<Promise<List<Integer>>> outer = loop.submit(() -> Promise.all(List.of(loop.resolved(1), loop.resolved(2))));
            Promise<List<Integer>> inner = outer.toCompletableFuture().get(10, TimeUnit.SECONDS);

            assertThat(outer.state()).isEqualTo(Promise.State.FULFILLED);
            assertThat(outer.cancel()).isFalse(); // settled: a cancel loses and tells nobody
            assertThat(inner.toCompletableFuture().get(10, TimeUnit.SECONDS)).containsExactly(1, 2);
        }
    }

    @Test
    void then_returningDerivedAndCombinatorPromises_passesThemOnAsValues_toLateHandlersToo() {
        List<Object> log = new ArrayList<>();
        EventLoop.run(() -> {
            Promise<Integer> source = Promise.resolve(7);
            Promise<String> derived = source.then(v -> "derived " + v);
            Promise<Promise<String>> viaThen = source.then(v -> derived);
            viaThen.thenCompose(p -> {
                log.add(p == derived);
                return p;
            }).thenAccept(log::add);
            Promise<Promise<List<Settled<Integer>>>> combinator = source.then(v -> Promise.allSettled(List.of(source)));
            EventLoop.current().setTimeout(() -> {
                // Registered after both settled: their state must read as fulfilled with the promise.
                log.add(viaThen.state() + " " + combinator.state());
                viaThen.thenAccept(p -> log.add("late " + (p == derived)));
                combinator.thenCompose(p -> p).thenAccept(list -> log.add("late " + list.size()));
            }, 1);
        });
        assertThat(log).containsExactly(true, "derived 7", "FULFILLED FULFILLED", "late true", "late 1");
    }
}
