package dev.eventual.ordering;

import static dev.eventual.ordering.NodeOrderingTest.chain;

import dev.eventual.ChainingCycleException;
import dev.eventual.Promise;
import dev.eventual.ordering.NodeOrderingTest.Case;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Differential tests of the JavaScript forms Eventual spells differently: {@code Promise.try}
 * ({@code Promise.attempt} / {@code attemptCompose}), {@code TypeError} of a chaining cycle
 * ({@link ChainingCycleException}). Node 20 has no {@code Promise.try}; the
 * helper below is its specification's steps (a new promise resolved with the function's result,
 * rejected with what it throws), the same turns as the built-in.
 */
class ParityOrderingTest {
    private static final String JS_HELPERS = """
            const chain = (name, n) => { let p = Promise.resolve(); for (let i = 1; i <= n; i++) p = p.then(() => log(name + i)); return p; };
            const promiseTry = Promise.try ? f => Promise.try(f) : f => new Promise((res, rej) => { try { res(f()); } catch (e) { rej(e); } });
            """;

    @TestFactory
    Stream<DynamicTest> theSameProgramLogsTheSameOrderAsNode() {
        return NodeHarness.compareWithNode(JS_HELPERS, cases().stream());
    }

    static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        cases.add(new Case("Promise.try runs the function inside the call; a value is delivered in the first turn", """
                log('before');
                promiseTry(() => { log('in fn'); return 1; }).then(v => log('value ' + v));
                log('after');
                chain('t', 2);
                """, log -> {
            log.add("before");
            Promise.attempt(() -> {
                log.add("in fn");
                return 1;
            }).thenAccept(v -> log.add("value " + v));
            log.add("after");
            chain(log, "t", 2);
        }));
        cases.add(new Case("Promise.try turns a throw into a rejection, delivered in the first turn", """
                promiseTry(() => { throw new Error('bad'); }).catch(e => log('caught ' + e.message));
                chain('t', 2);
                """, log -> {
            Promise.attempt(() -> {
                throw new IllegalStateException("bad");
            }).caught(e -> log.add("caught " + e.getMessage()));
            chain(log, "t", 2);
        }));
        cases.add(new Case("Promise.try of a function that returns a promise adopts it: two more turns", """
                promiseTry(() => Promise.resolve('p')).then(v => log('adopted ' + v));
                Promise.resolve('p').then(v => log('direct ' + v));
                chain('t', 4);
                """, log -> {
            Promise.attemptCompose(() -> Promise.resolve("p")).thenAccept(v -> log.add("adopted " + v));
            Promise.resolve("p").thenAccept(v -> log.add("direct " + v));
            chain(log, "t", 4);
        }));
        cases.add(new Case("Promise.try of a function that returns a rejected promise", """
                promiseTry(() => Promise.reject(new Error('no'))).catch(e => log('caught ' + e.message));
                chain('t', 4);
                """, log -> {
            Promise.attemptCompose(() -> Promise.reject(new IllegalStateException("no")))
                    .caught(e -> log.add("caught " + e.getMessage()));
            chain(log, "t", 4);
        }));
        cases.add(new Case("Promise.try with a throw in the promise-returning function", """
                promiseTry(() => { throw new Error('early'); }).catch(e => log('caught ' + e.message));
                chain('t', 2);
                """, log -> {
            Promise.attemptCompose(() -> {
                throw new IllegalStateException("early");
            }).caught(e -> log.add("caught " + e.getMessage()));
            chain(log, "t", 2);
        }));
        cases.add(new Case("a stage that completes with the promise adopting it: a chaining cycle, caught by its type", """
                let p; p = Promise.resolve({ then(f) { f(p); } });
                p.catch(e => log('cycle', e instanceof TypeError));
                chain('t', 3);
                """, log -> {
            CompletableFuture<Object> stage = new CompletableFuture<>();
            Promise<Object> p = Promise.from(stage);
            stage.complete(p);
            p.caught(ChainingCycleException.class, e -> log.add("cycle true"));
            chain(log, "t", 3);
        }));
        return cases;
    }
}
