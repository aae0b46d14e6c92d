package dev.eventual.ordering;

import static dev.eventual.Globals.clearInterval;
import static dev.eventual.Globals.clearTimeout;
import static dev.eventual.Globals.queueMicrotask;
import static dev.eventual.Globals.setInterval;
import static dev.eventual.Globals.setTimeout;

import dev.eventual.AggregateException;
import dev.eventual.Deferred;
import dev.eventual.Promise;
import dev.eventual.Settled;
import dev.eventual.Timeout;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Differential tests: each program runs in Node.js and in Eventual, and the logs must be equal,
 * line for line (rules 2 and 4: callback order and adoption turns match Node's). The expected
 * order is never written here: Node produces it. Skipped, with a message, where {@code node} is
 * not installed. The programs are in {@link #cases()} and {@link NodeOrderingCornerCases}.
 *
 * <p>Timers: Node and Eventual count a timer's delay from the moment it is set, so a timer set
 * after another, with a shorter delay, fires first only if the difference in delays outlasts
 * the time between the two calls. A program compares such timers only with a margin of several
 * milliseconds (or with equal delays, which fire in the order they were set), so that a slow
 * start of either runtime cannot swap them.
 */
class NodeOrderingTest {
    /** JavaScript helpers every program may use; the Java ones are the static methods below. */
    private static final String JS_HELPERS = """
            const delay = (ms, v) => new Promise(r => setTimeout(() => r(v), ms));
            const fail = (ms, m) => new Promise((_, j) => setTimeout(() => j(new Error(m)), ms));
            const chain = (name, n) => { let p = Promise.resolve(); for (let i = 1; i <= n; i++) p = p.then(() => log(name + i)); return p; };
            """;

    /**
     * One program: its name, its JavaScript text, and the same program against Eventual; both
     * run on virtual time unless {@code realClock} (see {@link NodeHarness}).
     */
    record Case(String name, String js, Consumer<List<String>> java, boolean realClock) {
        Case(String name, String js, Consumer<List<String>> java) {
            this(name, js, java, false);
        }

        /** The same case on the real clock: for what depends on time passing inside a callback. */
        Case onRealClock() {
            return new Case(name, js, java, true);
        }
    }

    @TestFactory
    Stream<DynamicTest> eventualLogsTheSameOrderAsNode() {
        return NodeHarness.compareWithNode(JS_HELPERS, Stream.concat(cases().stream(), NodeOrderingCornerCases.cases().stream()));
    }

    // ------------------------------------------------------------------ Java helpers

    static <T> Promise<T> delay(long ms, T value) {
        Deferred<T> d = Promise.withResolvers();
        setTimeout(() -> d.resolve(value), ms);
        return d.promise();
    }

    static <T> Promise<T> fail(long ms, String message) {
        Deferred<T> d = Promise.withResolvers();
        setTimeout(() -> d.reject(new RuntimeException(message)), ms);
        return d.promise();
    }

    static Promise<Void> chain(List<String> log, String name, int n) {
        Promise<Void> p = Promise.resolve(null);
        for (int i = 1; i <= n; i++) {
            String entry = name + i;
            p = p.thenAccept(v -> log.add(entry));
        }
        return p;
    }

    static RuntimeException error(String message) {
        return new RuntimeException(message);
    }

    static String join(List<?> values) {
        return values.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    static String describe(List<? extends Settled<?>> outcomes) {
        return outcomes.stream().map(s -> switch (s) {
            case Settled.Fulfilled<?> f -> "fulfilled:" + f.value();
            case Settled.Rejected<?> r -> "rejected:" + r.reason().getMessage();
        }).collect(Collectors.joining(","));
    }

    // ------------------------------------------------------------------ the programs

    @SuppressWarnings("unchecked")
    static List<Case> cases() {
        return List.of(
                new Case("sync code runs before microtasks", """
                        log('a'); Promise.resolve().then(() => log('c')); log('b');
                        """, log -> {
                    log.add("a");
                    Promise.resolve(null).thenAccept(v -> log.add("c"));
                    log.add("b");
                }),
                new Case("queueMicrotask and then share one FIFO queue", """
                        queueMicrotask(() => log('q1')); Promise.resolve().then(() => log('p1')); queueMicrotask(() => log('q2'));
                        """, log -> {
                    queueMicrotask(() -> log.add("q1"));
                    Promise.resolve(null).thenAccept(v -> log.add("p1"));
                    queueMicrotask(() -> log.add("q2"));
                }),
                new Case("nested microtasks run after those already queued", """
                        queueMicrotask(() => { log('q1'); queueMicrotask(() => log('q3')); });
                        queueMicrotask(() => log('q2'));
                        """, log -> {
                    queueMicrotask(() -> {
                        log.add("q1");
                        queueMicrotask(() -> log.add("q3"));
                    });
                    queueMicrotask(() -> log.add("q2"));
                }),
                new Case("then registered inside a microtask", """
                        queueMicrotask(() => { Promise.resolve().then(() => log('p')); log('q'); });
                        Promise.resolve().then(() => log('r'));
                        """, log -> {
                    queueMicrotask(() -> {
                        Promise.resolve(null).thenAccept(v -> log.add("p"));
                        log.add("q");
                    });
                    Promise.resolve(null).thenAccept(v -> log.add("r"));
                }),
                new Case("two then-chains interleave link by link", """
                        chain('a', 4); chain('b', 4);
                        """, log -> {
                    chain(log, "a", 4);
                    chain(log, "b", 4);
                }),
                new Case("values flow down a then-chain", """
                        Promise.resolve(1).then(v => v + 1).then(v => v * 10).then(v => log('v', v));
                        """, log -> Promise.resolve(1).then(v -> v + 1).then(v -> v * 10).thenAccept(v -> log.add("v " + v))),
                new Case("a rejection skips then-handlers, one turn each", """
                        Promise.reject(new Error('boom')).then(() => log('no1')).then(() => log('no2')).catch(e => log('caught', e.message));
                        chain('t', 5);
                        """, log -> {
                    Promise.<Object>reject(error("boom")).thenAccept(v -> log.add("no1")).thenAccept(v -> log.add("no2"))
                            .caught(e -> {
                                log.add("caught " + e.getMessage());
                                return null;
                            });
                    chain(log, "t", 5);
                }),
                new Case("catch recovers and the chain goes on", """
                        Promise.reject(new Error('x')).catch(e => 'recovered ' + e.message).then(v => log(v));
                        """, log -> Promise.<String>reject(error("x")).caught(e -> "recovered " + e.getMessage())
                        .thenAccept(log::add)),
                new Case("then with both handlers takes the rejection", """
                        Promise.reject(new Error('r')).then(v => log('f'), e => log('onRejected', e.message));
                        Promise.resolve('ok').then(v => log('onFulfilled', v), e => log('no'));
                        """, log -> {
                    Promise.<String>reject(error("r")).then(v -> log.add("f"), e -> log.add("onRejected " + e.getMessage()));
                    Promise.resolve("ok").then(v -> log.add("onFulfilled " + v), e -> log.add("no"));
                }),
                new Case("a handler that throws rejects the next promise", """
                        Promise.resolve(1).then(() => { throw new Error('thrown'); }).catch(e => log(e.message));
                        chain('t', 3);
                        """, log -> {
                    Promise.resolve(1).then(v -> {
                        throw error("thrown");
                    }).caught(e -> log.add(e.getMessage()));
                    chain(log, "t", 3);
                }),
                new Case("finally on a fulfilled promise passes the value, three turns later", """
                        Promise.resolve(5).finally(() => log('fin')).then(v => log('v', v));
                        chain('t', 6);
                        """, log -> {
                    Promise.resolve(5).lastly(() -> log.add("fin")).thenAccept(v -> log.add("v " + v));
                    chain(log, "t", 6);
                }),
                new Case("finally on a rejected promise passes the rejection", """
                        Promise.reject(new Error('e')).finally(() => log('fin')).catch(e => log('c', e.message));
                        chain('t', 6);
                        """, log -> {
                    Promise.<Object>reject(error("e")).lastly(() -> log.add("fin"))
                            .caught(e -> log.add("c " + e.getMessage()));
                    chain(log, "t", 6);
                }),
                new Case("finally that throws replaces the outcome", """
                        Promise.resolve(1).finally(() => { throw new Error('from finally'); }).catch(e => log(e.message));
                        chain('t', 4);
                        """, log -> {
                    Promise.resolve(1).lastly(() -> {
                        throw error("from finally");
                    }).caught(e -> {
                        log.add(e.getMessage());
                        return 0;
                    });
                    chain(log, "t", 4);
                }),
                new Case("catch, then, finally chained", """
                        Promise.reject(new Error('a')).catch(e => e.message + '!').then(v => log(v)).finally(() => log('done'));
                        chain('t', 6);
                        """, log -> {
                    Promise.<String>reject(error("a")).caught(e -> e.getMessage() + "!").thenAccept(log::add)
                            .lastly(() -> log.add("done"));
                    chain(log, "t", 6);
                }),
                new Case("setTimeout 0 runs after microtasks", """
                        setTimeout(() => log('timeout'), 0); Promise.resolve().then(() => log('micro')); log('sync');
                        """, log -> {
                    setTimeout(() -> log.add("timeout"), 0);
                    Promise.resolve(null).thenAccept(v -> log.add("micro"));
                    log.add("sync");
                }),
                new Case("timers with equal delays fire in the order they were set", """
                        setTimeout(() => log('a'), 5); setTimeout(() => log('b'), 5); setTimeout(() => log('c'), 5);
                        """, log -> {
                    setTimeout(() -> log.add("a"), 5);
                    setTimeout(() -> log.add("b"), 5);
                    setTimeout(() -> log.add("c"), 5);
                }),
                new Case("timers with different delays set in one task; 0 counts as 1", """
                        setTimeout(() => log('a5'), 5); setTimeout(() => log('b1'), 1); setTimeout(() => log('c0'), 0); setTimeout(() => log('d1'), 1);
                        """, log -> {
                    setTimeout(() -> log.add("a5"), 5);
                    setTimeout(() -> log.add("b1"), 1);
                    setTimeout(() -> log.add("c0"), 0);
                    setTimeout(() -> log.add("d1"), 1);
                }),
                new Case("microtasks run between two due timers", """
                        setTimeout(() => { log('t1'); Promise.resolve().then(() => log('p1')); queueMicrotask(() => log('q1')); }, 0);
                        setTimeout(() => log('t2'), 0);
                        """, log -> {
                    setTimeout(() -> {
                        log.add("t1");
                        Promise.resolve(null).thenAccept(v -> log.add("p1"));
                        queueMicrotask(() -> log.add("q1"));
                    }, 0);
                    setTimeout(() -> log.add("t2"), 0);
                }),
                new Case("setTimeout inside then runs after a timer set before", """
                        Promise.resolve().then(() => { setTimeout(() => log('inner'), 0); log('p'); });
                        setTimeout(() => log('outer'), 0);
                        """, log -> {
                    Promise.resolve(null).thenAccept(v -> {
                        setTimeout(() -> log.add("inner"), 0);
                        log.add("p");
                    });
                    setTimeout(() -> log.add("outer"), 0);
                }),
                new Case("a then-chain started in a timer finishes before the next timer", """
                        setTimeout(() => { Promise.resolve().then(() => log('p1')).then(() => log('p2')); log('t1'); }, 0);
                        setTimeout(() => log('t2'), 0);
                        """, log -> {
                    setTimeout(() -> {
                        Promise.resolve(null).thenAccept(v -> log.add("p1")).thenAccept(v -> log.add("p2"));
                        log.add("t1");
                    }, 0);
                    setTimeout(() -> log.add("t2"), 0);
                }),
                new Case("setInterval runs until cleared, with microtasks after each run", """
                        let n = 0;
                        const h = setInterval(() => { n++; log('i' + n); Promise.resolve().then(() => log('p' + n)); if (n === 3) clearInterval(h); }, 1);
                        """, log -> {
                    int[] n = {0};
                    Timeout[] h = new Timeout[1];
                    h[0] = setInterval(() -> {
                        n[0]++;
                        int k = n[0];
                        log.add("i" + k);
                        Promise.resolve(null).thenAccept(v -> log.add("p" + k));
                        if (k == 3) {
                            clearInterval(h[0]);
                        }
                    }, 1);
                }),
                new Case("clearTimeout stops a timer before it fires", """
                        const t = setTimeout(() => log('cancelled'), 1); clearTimeout(t); setTimeout(() => log('kept'), 2);
                        """, log -> {
                    Timeout t = setTimeout(() -> log.add("cancelled"), 1);
                    clearTimeout(t);
                    setTimeout(() -> log.add("kept"), 2);
                }),
                new Case("a timer set in a microtask comes after one set before in the task", """
                        setTimeout(() => log('first'), 1); queueMicrotask(() => setTimeout(() => log('second'), 1));
                        """, log -> {
                    setTimeout(() -> log.add("first"), 1);
                    queueMicrotask(() -> setTimeout(() -> log.add("second"), 1));
                }),
                new Case("Promise.all of resolved promises, against a chain", """
                        Promise.all([Promise.resolve(1), Promise.resolve(2), Promise.resolve(3)]).then(v => log('all', v.join(',')));
                        chain('t', 4);
                        """, log -> {
                    Promise.all(Promise.resolve(1), Promise.resolve(2), Promise.resolve(3))
                            .thenAccept(v -> log.add("all " + join(v)));
                    chain(log, "t", 4);
                }),
                new Case("Promise.all rejects with the first rejection", """
                        Promise.all([Promise.resolve(1), Promise.reject(new Error('second')), Promise.reject(new Error('third'))])
                          .then(v => log('no'), e => log('rejected', e.message));
                        chain('t', 3);
                        """, log -> {
                    Promise.<Integer>all(Promise.resolve(1), Promise.reject(error("second")), Promise.reject(error("third")))
                            .then(v -> log.add("no"), e -> log.add("rejected " + e.getMessage()));
                    chain(log, "t", 3);
                }),
                new Case("Promise.all keeps input order, not settle order", """
                        Promise.all([delay(3, 'slow'), delay(1, 'fast'), 'x']).then(v => log(v.join(',')));
                        """, log -> Promise.all(delay(3, "slow"), delay(1, "fast"), Promise.resolve("x"))
                        .thenAccept(v -> log.add(join(v)))),
                new Case("Promise.all of nothing is already fulfilled", """
                        Promise.all([]).then(v => log('empty', v.length)); Promise.resolve().then(() => log('p'));
                        """, log -> {
                    Promise.all(List.<Promise<Object>>of()).thenAccept(v -> log.add("empty " + v.size()));
                    Promise.resolve(null).thenAccept(v -> log.add("p"));
                }),
                new Case("Promise.allSettled reports every outcome in input order", """
                        Promise.allSettled([delay(2, 'a'), Promise.reject(new Error('b')), fail(1, 'c'), Promise.resolve('d')])
                          .then(r => log(r.map(x => x.status + ':' + (x.status === 'fulfilled' ? x.value : x.reason.message)).join(',')));
                        chain('t', 3);
                        """, log -> {
                    Promise.<String>allSettled(delay(2, "a"), Promise.reject(error("b")), fail(1, "c"), Promise.resolve("d"))
                            .thenAccept(r -> log.add(describe(r)));
                    chain(log, "t", 3);
                }),
                new Case("Promise.any takes the first fulfilment", """
                        Promise.any([Promise.reject(new Error('no')), delay(10, 'late'), delay(1, 'early')]).then(v => log('any', v));
                        """, log -> Promise.<String>any(Promise.reject(error("no")), delay(10, "late"), delay(1, "early"))
                        .thenAccept(v -> log.add("any " + v))),
                new Case("Promise.any rejects with every reason in input order", """
                        Promise.any([fail(2, 'a'), Promise.reject(new Error('b')), fail(1, 'c')])
                          .catch(e => log(e.constructor.name === 'AggregateError', e.errors.map(x => x.message).join(',')));
                        """, log -> Promise.<String>any(fail(2, "a"), Promise.reject(error("b")), fail(1, "c"))
                        .caught(e -> {
                            log.add((e instanceof AggregateException) + " "
                                    + join(((AggregateException) e).errors().stream().map(Throwable::getMessage).toList()));
                            return null;
                        })),
                new Case("Promise.any of nothing rejects at once", """
                        Promise.any([]).catch(e => log('empty any', e.errors.length)); Promise.resolve().then(() => log('p'));
                        """, log -> {
                    Promise.any(List.<Promise<Object>>of()).caught(e -> {
                        log.add("empty any " + ((AggregateException) e).errors().size());
                        return null;
                    });
                    Promise.resolve(null).thenAccept(v -> log.add("p"));
                }),
                new Case("Promise.race of resolved promises takes the first input", """
                        Promise.race([Promise.resolve('a'), Promise.resolve('b')]).then(v => log('race', v));
                        chain('t', 3);
                        """, log -> {
                    Promise.race(Promise.resolve("a"), Promise.resolve("b")).thenAccept(v -> log.add("race " + v));
                    chain(log, "t", 3);
                }),
                new Case("Promise.race of timers takes the earliest", """
                        Promise.race([delay(10, 'slow'), delay(1, 'fast')]).then(v => log('race', v));
                        """, log -> Promise.race(delay(10, "slow"), delay(1, "fast")).thenAccept(v -> log.add("race " + v))),
                new Case("Promise.race with a rejection first", """
                        Promise.race([Promise.reject(new Error('first')), Promise.resolve('b')]).then(v => log('no'), e => log('race rejected', e.message));
                        """, log -> Promise.<String>race(Promise.reject(error("first")), Promise.resolve("b"))
                        .then(v -> log.add("no"), e -> log.add("race rejected " + e.getMessage()))),
                new Case("resolving with a fulfilled promise takes two extra turns", """
                        new Promise(r => r(Promise.resolve('inner'))).then(v => log('adopted', v));
                        chain('t', 5);
                        """, log -> {
                    Deferred<String> outer = Promise.withResolvers();
                    outer.follow(Promise.resolve("inner"));
                    outer.promise().thenAccept(v -> log.add("adopted " + v));
                    chain(log, "t", 5);
                }),
                new Case("resolving with a rejected promise adopts the rejection", """
                        const rejected = Promise.reject(new Error('inner'));
                        new Promise(r => r(rejected)).catch(e => log('adopted rejection', e.message));
                        chain('t', 5);
                        """, log -> {
                    Promise<String> rejected = Promise.reject(error("inner"));
                    Deferred<String> outer = Promise.withResolvers();
                    outer.follow(rejected);
                    outer.promise().caught(e -> {
                        log.add("adopted rejection " + e.getMessage());
                        return null;
                    });
                    chain(log, "t", 5);
                }),
                new Case("resolving with a pending promise follows it when it settles", """
                        const inner = delay(2, 'late');
                        new Promise(r => r(inner)).then(v => log('outer', v));
                        inner.then(v => log('inner', v));
                        """, log -> {
                    Promise<String> inner = delay(2, "late");
                    Deferred<String> outer = Promise.withResolvers();
                    outer.follow(inner);
                    outer.promise().thenAccept(v -> log.add("outer " + v));
                    inner.thenAccept(v -> log.add("inner " + v));
                }),
                new Case("resolve with a plain value adopts a promise value at run time", """
                        new Promise(r => r(Promise.resolve(7))).then(v => log('v', v));
                        chain('t', 4);
                        """, log -> {
                    Deferred<Object> outer = Promise.withResolvers();
                    outer.resolve(Promise.resolve(7));
                    outer.promise().thenAccept(v -> log.add("v " + v));
                    chain(log, "t", 4);
                }),
                new Case("a handler returning a fulfilled promise (thenCompose)", """
                        Promise.resolve(1).then(v => Promise.resolve(v + 1)).then(v => log('composed', v));
                        chain('t', 6);
                        """, log -> {
                    Promise.resolve(1).thenCompose(v -> Promise.resolve(v + 1)).thenAccept(v -> log.add("composed " + v));
                    chain(log, "t", 6);
                }),
                new Case("a handler returning a rejected promise", """
                        Promise.resolve(1).then(() => Promise.reject(new Error('inner'))).catch(e => log('caught', e.message));
                        chain('t', 6);
                        """, log -> {
                    Promise.resolve(1).thenCompose(v -> Promise.<Integer>reject(error("inner")))
                            .caught(e -> {
                                log.add("caught " + e.getMessage());
                                return 0;
                            });
                    chain(log, "t", 6);
                }),
                new Case("a handler returning a pending promise", """
                        Promise.resolve(1).then(() => delay(2, 'later')).then(v => log('got', v));
                        setTimeout(() => log('timer 1'), 1);
                        """, log -> {
                    Promise.resolve(1).thenCompose(v -> delay(2, "later")).thenAccept(v -> log.add("got " + v));
                    setTimeout(() -> log.add("timer 1"), 1);
                }),
                new Case("Promise.resolve of a promise returns it", """
                        const p = Promise.resolve(1); log(Promise.resolve(p) === p);
                        """, log -> {
                    Promise<Integer> p = Promise.resolve(1);
                    // Typed as Object: Promise.resolve(T) would otherwise type the result Promise<Promise<Integer>>.
                    Object same = Promise.resolve((Object) p);
                    log.add(String.valueOf(same == p));
                }),
                new Case("withResolvers: resolve later in the same task", """
                        let resolve; const promise = new Promise(r => { resolve = r; }); // withResolvers needs Node 22
                        promise.then(v => log('got', v)); log('before'); resolve('x'); log('after');
                        """, log -> {
                    Deferred<String> d = Promise.withResolvers();
                    d.promise().thenAccept(v -> log.add("got " + v));
                    log.add("before");
                    d.resolve("x");
                    log.add("after");
                }),
                new Case("the first resolution wins", """
                        new Promise((res, rej) => { res(1); res(2); rej(new Error('late')); }).then(v => log('v', v), e => log('no'));
                        """, log -> {
                    Deferred<Integer> d = Promise.withResolvers();
                    d.tryResolve(1);
                    d.tryResolve(2);
                    d.tryReject(error("late"));
                    d.promise().then(v -> log.add("v " + v), e -> log.add("no"));
                }),
                new Case("a handler registered after settling runs in a later task's checkpoint", """
                        const p = Promise.resolve('v');
                        setTimeout(() => { p.then(v => log('late', v)); log('timer'); }, 0);
                        setTimeout(() => log('timer 2'), 0);
                        """, log -> {
                    Promise<String> p = Promise.resolve("v");
                    setTimeout(() -> {
                        p.thenAccept(v -> log.add("late " + v));
                        log.add("timer");
                    }, 0);
                    setTimeout(() -> log.add("timer 2"), 0);
                }),
                new Case("handlers of one pending promise run in registration order", """
                        const p = delay(1, 'x');
                        p.then(() => log('a')); p.then(() => log('b')).then(() => log('b2')); p.then(() => log('c'));
                        """, log -> {
                    Promise<String> p = delay(1, "x");
                    p.thenAccept(v -> log.add("a"));
                    p.thenAccept(v -> log.add("b")).thenAccept(v -> log.add("b2"));
                    p.thenAccept(v -> log.add("c"));
                }),
                new Case("combinators, adoption and timers together", """
                        setTimeout(() => { log('t1'); queueMicrotask(() => log('q')); }, 1);
                        Promise.all([delay(1, 1).then(v => Promise.resolve(v + 1)), Promise.race([delay(2, 'r'), fail(3, 'x')])])
                          .then(v => log('all', v.join(',')))
                          .finally(() => log('finally'));
                        chain('c', 3);
                        """, log -> {
                    // t1 is set first, so it fires first whatever time the lines below take (see the
                    // class comment on timers).
                    setTimeout(() -> {
                        log.add("t1");
                        queueMicrotask(() -> log.add("q"));
                    }, 1);
                    Promise.<Object>all(delay(1, 1).thenCompose(v -> Promise.resolve(v + 1)),
                                    Promise.race(delay(2, "r"), fail(3, "x")))
                            .thenAccept(v -> log.add("all " + join(v)))
                            .lastly(() -> log.add("finally"));
                    chain(log, "c", 3);
                }),
                new Case("a deep then-chain against queueMicrotask recursion", """
                        let n = 0; const tick = () => { if (++n <= 5) { log('q' + n); queueMicrotask(tick); } };
                        queueMicrotask(tick); chain('t', 5);
                        """, log -> {
                    int[] n = {0};
                    Runnable[] tick = new Runnable[1];
                    tick[0] = () -> {
                        if (++n[0] <= 5) {
                            log.add("q" + n[0]);
                            queueMicrotask(tick[0]);
                        }
                    };
                    queueMicrotask(tick[0]);
                    chain(log, "t", 5);
                }),
                new Case("nested then inside then runs after the outer chain's next link", """
                        Promise.resolve().then(() => { log('outer1'); Promise.resolve().then(() => log('inner1')).then(() => log('inner2')); })
                          .then(() => log('outer2')).then(() => log('outer3'));
                        """, log -> Promise.resolve(null).thenAccept(v -> {
                            log.add("outer1");
                            Promise.resolve(null).thenAccept(x -> log.add("inner1")).thenAccept(x -> log.add("inner2"));
                        }).thenAccept(v -> log.add("outer2")).thenAccept(v -> log.add("outer3")))
        );
    }
}
