package dev.eventual.ordering;

import static dev.eventual.Async.async;
import static dev.eventual.Async.asyncCompose;
import static dev.eventual.Async.await;
import static dev.eventual.ordering.NodeOrderingTest.chain;
import static dev.eventual.ordering.NodeOrderingTest.error;

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
 * ({@link ChainingCycleException}), composing rejection handlers ({@code caughtCompose},
 * {@code thenCompose(f, r)}), an async function's {@code return p} ({@code asyncCompose}). Node 20 has no {@code Promise.try}; the
 * helper below is its specification's steps (a new promise resolved with the function's result,
 * rejected with what it throws), the same turns as the built-in.
 */
class ParityOrderingTest {
    private static final String JS_HELPERS = """
            const delay = (ms, v) => new Promise(r => setTimeout(() => r(v), ms));
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
        cases.add(new Case("catch returning a fallback promise: adopted two turns after the handler", """
                Promise.reject(new Error('down')).catch(e => Promise.resolve('fallback for ' + e.message)).then(v => log(v));
                Promise.reject(new Error('x')).catch(e => 'plain').then(v => log(v));
                chain('t', 5);
                """, log -> {
            Promise.<String>reject(error("down")).caughtCompose(e -> Promise.resolve("fallback for " + e.getMessage()))
                    .thenAccept(log::add);
            Promise.<String>reject(error("x")).caught(e -> "plain").thenAccept(log::add);
            chain(log, "t", 5);
        }));
        cases.add(new Case("catch returning a promise skipped on fulfilment: the value passes in one turn", """
                Promise.resolve('ok').catch(e => Promise.resolve('never')).then(v => log(v));
                chain('t', 3);
                """, log -> {
            Promise.resolve("ok").caughtCompose(e -> Promise.resolve("never")).thenAccept(log::add);
            chain(log, "t", 3);
        }));
        cases.add(new Case("catch returning a rejected or pending promise", """
                Promise.reject(new Error('a')).catch(e => Promise.reject(new Error('again ' + e.message))).catch(e => log(e.message));
                Promise.reject(new Error('b')).catch(e => new Promise(r => setTimeout(() => r('later ' + e.message), 1))).then(v => log(v));
                chain('t', 5);
                """, log -> {
            Promise.<String>reject(error("a")).caughtCompose(e -> Promise.reject(error("again " + e.getMessage())))
                    .caught(e -> {
                log.add(e.getMessage());
                return null;
            });
            Promise.<String>reject(error("b")).caughtCompose(e -> NodeOrderingTest.delay(1, "later " + e.getMessage()))
                    .thenAccept(log::add);
            chain(log, "t", 5);
        }));
        cases.add(new Case("a typed catch returning a promise; other reasons pass through", """
                class Net extends Error {}
                Promise.reject(new Net('net')).catch(e => { if (e instanceof Net) return Promise.resolve('retried'); throw e; }).then(v => log(v));
                Promise.reject(new Error('other')).catch(e => { if (e instanceof Net) return Promise.resolve('retried'); throw e; }).catch(e => log('passed ' + e.message));
                chain('t', 5);
                """, log -> {
            Promise.<String>reject(new java.io.UncheckedIOException("net", new java.io.IOException()))
                    .caughtCompose(java.io.UncheckedIOException.class, e -> Promise.resolve("retried")).thenAccept(log::add);
            Promise.<String>reject(error("other"))
                    .caughtCompose(java.io.UncheckedIOException.class, e -> Promise.resolve("retried"))
                    .caught(e -> {
                        log.add("passed " + e.getMessage());
                        return null;
                    });
            chain(log, "t", 5);
        }));
        cases.add(new Case("then with two promise-returning handlers", """
                Promise.resolve(1).then(v => Promise.resolve('next ' + v), e => Promise.resolve('fb')).then(v => log(v));
                Promise.reject(new Error('e')).then(v => Promise.resolve('next'), e => Promise.resolve('fb ' + e.message)).then(v => log(v));
                Promise.reject(new Error('t')).then(v => 1, e => { throw new Error('rethrown ' + e.message); }).catch(e => log(e.message));
                chain('t', 5);
                """, log -> {
            Promise.resolve(1).thenCompose(v -> Promise.resolve("next " + v), e -> Promise.resolve("fb")).thenAccept(log::add);
            Promise.<Integer>reject(error("e")).thenCompose(v -> Promise.resolve("next"), e -> Promise.resolve("fb " + e.getMessage()))
                    .thenAccept(log::add);
            Promise.<Integer>reject(error("t")).<Integer>thenCompose(v -> Promise.resolve(1), e -> {
                throw error("rethrown " + e.getMessage());
            }).caught(e -> {
                log.add(e.getMessage());
                return null;
            });
            chain(log, "t", 5);
        }));
        cases.add(new Case("an async function returning a settled promise: return p vs return await p", """
                (async () => { return Promise.resolve('returned'); })().then(v => log(v));
                (async () => { return await Promise.resolve('awaited'); })().then(v => log(v));
                (async () => 'plain')().then(v => log(v));
                chain('t', 5);
                """, log -> {
            asyncCompose(() -> Promise.resolve("returned")).thenAccept(log::add);
            async(() -> await(Promise.resolve("awaited"))).thenAccept(log::add);
            async(() -> "plain").thenAccept(log::add);
            chain(log, "t", 5);
        }));
        cases.add(new Case("an async function that awaits, then returns a pending promise", """
                (async () => { const x = await Promise.resolve(1); log('after await ' + x); return delay(1, 'later'); })().then(v => log(v));
                chain('t', 4);
                """, log -> {
            asyncCompose(() -> {
                int x = await(Promise.resolve(1));
                log.add("after await " + x);
                return NodeOrderingTest.delay(1, "later");
            }).thenAccept(log::add);
            chain(log, "t", 4);
        }));
        cases.add(new Case("an async function returning a rejected promise, and one that throws", """
                (async () => { return Promise.reject(new Error('returned')); })().catch(e => log('caught ' + e.message));
                (async () => { throw new Error('thrown'); })().catch(e => log('caught ' + e.message));
                chain('t', 4);
                """, log -> {
            asyncCompose(() -> Promise.<String>reject(error("returned"))).caught(e -> {
                log.add("caught " + e.getMessage());
                return null;
            });
            asyncCompose(() -> {
                throw error("thrown");
            }).caught(e -> {
                log.add("caught " + e.getMessage());
                return null;
            });
            chain(log, "t", 4);
        }));
        return cases;
    }
}
