package dev.eventual.ordering;

import static dev.eventual.Async.async;
import static dev.eventual.Async.iterate;
import static dev.eventual.ordering.NodeOrderingTest.chain;

import dev.eventual.AsyncIterator;
import dev.eventual.Promise;
import dev.eventual.ordering.NodeOrderingTest.Case;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Differential tests of async iteration: JavaScript's {@code for await} over a hand-written async
 * iterator (whose {@code next()} and {@code return()} log and return settled promises) against
 * a for-each over {@code Async.iterate} in a try-with-resources block, each interleaved with a
 * {@code then} chain, so the logs compare the microtask turns of each step, of the early exit's
 * {@code return()} and of what follows the loop. Node produces the expected order.
 */
class AsyncIterationOrderingTest {
    private static final String JS_HELPERS = """
            const chain = (name, n) => { let p = Promise.resolve(); for (let i = 1; i <= n; i++) p = p.then(() => log(name + i)); return p; };
            const counting = (n) => { let i = 0; return {
              [Symbol.asyncIterator]() { return this; },
              next() { log('next'); return Promise.resolve(i < n ? { value: i++, done: false } : { value: undefined, done: true }); },
              return() { log('return'); return Promise.resolve({ value: undefined, done: true }); } }; };
            """;

    /** The Java twin of {@code counting(n)}. */
    private static AsyncIterator<Integer> counting(List<String> log, int n) {
        return new AsyncIterator<>() {
            private int i;

            @Override
            public Promise<Optional<Integer>> next() {
                log.add("next");
                return Promise.resolve(i < n ? Optional.of(i++) : Optional.empty());
            }

            @Override
            public Promise<Void> close() {
                log.add("return");
                return Promise.resolve(null);
            }
        };
    }

    @TestFactory
    Stream<DynamicTest> forAwaitLogsTheSameOrderAsNode() {
        return NodeHarness.compareWithNode(JS_HELPERS, cases().stream());
    }

    static List<Case> cases() {
        return List.of(
                new Case("a loop that runs to the end: one turn per step, no return()", """
                        (async () => { log('start'); for await (const x of counting(3)) log('item' + x); log('after'); })();
                        chain('c', 10);
                        """, log -> {
                    async(() -> {
                        log.add("start");
                        try (var it = iterate(counting(log, 3))) {
                            for (int x : it) {
                                log.add("item" + x);
                            }
                        }
                        log.add("after");
                    });
                    chain(log, "c", 10);
                }),
                new Case("break calls return() and awaits it", """
                        (async () => { for await (const x of counting(5)) { log('item' + x); if (x === 1) break; } log('after'); })();
                        chain('c', 8);
                        """, log -> {
                    async(() -> {
                        try (var it = iterate(counting(log, 5))) {
                            for (int x : it) {
                                log.add("item" + x);
                                if (x == 1) {
                                    break;
                                }
                            }
                        }
                        log.add("after");
                    });
                    chain(log, "c", 8);
                }),
                new Case("an exception in the loop calls return() before it propagates", """
                        (async () => { try { for await (const x of counting(5)) { log('item' + x); if (x === 2) throw new Error('boom'); } }
                          catch (e) { log('caught ' + e.message); } log('after'); })();
                        chain('c', 8);
                        """, log -> {
                    async(() -> {
                        try (var it = iterate(counting(log, 5))) {
                            for (int x : it) {
                                log.add("item" + x);
                                if (x == 2) {
                                    throw new IllegalStateException("boom");
                                }
                            }
                        } catch (IllegalStateException e) {
                            log.add("caught " + e.getMessage());
                        }
                        log.add("after");
                    });
                    chain(log, "c", 8);
                }),
                new Case("a return from inside the loop calls return() first", """
                        async function find() { for await (const x of counting(5)) { if (x === 2) return x; } return -1; }
                        find().then(v => log('found ' + v)); chain('c', 8);
                        """, log -> {
                    async(() -> {
                        try (var it = iterate(counting(log, 5))) {
                            for (int x : it) {
                                if (x == 2) {
                                    return x;
                                }
                            }
                        }
                        return -1;
                    }).thenAccept(v -> log.add("found " + v));
                    chain(log, "c", 8);
                }));
    }
}
