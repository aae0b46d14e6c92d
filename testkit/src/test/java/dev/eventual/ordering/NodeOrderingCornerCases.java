package dev.eventual.ordering;

import static dev.eventual.Globals.clearInterval;
import static dev.eventual.Globals.clearTimeout;
import static dev.eventual.Globals.queueMicrotask;
import static dev.eventual.Globals.setInterval;
import static dev.eventual.Globals.setTimeout;
import static dev.eventual.ordering.NodeOrderingTest.chain;
import static dev.eventual.ordering.NodeOrderingTest.delay;
import static dev.eventual.ordering.NodeOrderingTest.error;
import static dev.eventual.ordering.NodeOrderingTest.fail;
import static dev.eventual.ordering.NodeOrderingTest.join;

import dev.eventual.AggregateException;
import dev.eventual.ChainingCycleException;
import dev.eventual.Deferred;
import dev.eventual.Promise;
import dev.eventual.Timeout;
import dev.eventual.ordering.NodeOrderingTest.Case;
import java.util.List;

/**
 * The second half of the differential programs of {@link NodeOrderingTest}: corner cases where a
 * microtask turn more or less would show. Adoption of adopting and pending promises, handlers
 * that return their own promise, finally on pending and rejected promises, rethrowing catch
 * handlers, combinators over adopting or repeated inputs, empty combinators, and timers cleared
 * or set from inside other timers' checkpoints. Same helpers, same rules: Node's log is the
 * expectation.
 *
 * <p>Not expressible, so not here: a JavaScript {@code finally} handler that returns a promise
 * (and delays the outcome until it settles), since {@code lastly} takes a {@code Runnable};
 * {@code process.nextTick} and {@code setImmediate}, which Eventual does not have; unhandled
 * rejections and uncaught exceptions, which end the Node process.
 */
final class NodeOrderingCornerCases {
    private NodeOrderingCornerCases() {}

    /**
     * Holds the thread for at least {@code millis}, as the JavaScript {@code busy} does: a task
     * that takes that long, so that the time a timer is set differs from the task's start.
     */
    private static void busy(long millis) {
        long end = System.nanoTime() + millis * 1_000_000L;
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }

    @SuppressWarnings("unchecked")
    static List<Case> cases() {
        return List.of(
                new Case("queueMicrotask inside then goes after reactions queued before it", """
                        Promise.resolve().then(() => { log('t1'); queueMicrotask(() => log('q')); }).then(() => log('t2'));
                        Promise.resolve().then(() => log('u1')).then(() => log('u2'));
                        """, log -> {
                    Promise.resolve(null).thenAccept(v -> {
                        log.add("t1");
                        queueMicrotask(() -> log.add("q"));
                    }).thenAccept(v -> log.add("t2"));
                    Promise.resolve(null).thenAccept(v -> log.add("u1")).thenAccept(v -> log.add("u2"));
                }),
                new Case("then inside queueMicrotask inside then, against a chain", """
                        queueMicrotask(() => { log('q1'); Promise.resolve().then(() => { log('p1'); queueMicrotask(() => log('q2')); }); });
                        chain('c', 4);
                        """, log -> {
                    queueMicrotask(() -> {
                        log.add("q1");
                        Promise.resolve(null).thenAccept(v -> {
                            log.add("p1");
                            queueMicrotask(() -> log.add("q2"));
                        });
                    });
                    chain(log, "c", 4);
                }),
                new Case("three chains of different lengths, one throwing midway", """
                        Promise.resolve().then(() => log('a1')).then(() => { log('a2'); throw new Error('x'); })
                          .then(() => log('a3')).catch(e => log('a caught', e.message)).then(() => log('a4'));
                        chain('b', 6); chain('c', 2);
                        """, log -> {
                    Promise.resolve(null).thenAccept(v -> log.add("a1")).thenAccept(v -> {
                        log.add("a2");
                        throw error("x");
                    }).thenAccept(v -> log.add("a3")).caught(e -> {
                        log.add("a caught " + e.getMessage());
                        return null;
                    }).thenAccept(v -> log.add("a4"));
                    chain(log, "b", 6);
                    chain(log, "c", 2);
                }),
                new Case("catch on a fulfilled promise passes the value through in one turn", """
                        Promise.resolve('v').catch(() => log('no')).then(v => log('got', v));
                        chain('t', 3);
                        """, log -> {
                    Promise.resolve("v").caught(e -> {
                        log.add("no");
                        return null;
                    }).thenAccept(v -> log.add("got " + v));
                    chain(log, "t", 3);
                }),
                new Case("a catch for one kind of error passes the others on (caught with a type)", """
                        Promise.reject(new Error('plain')).catch(e => { if (e instanceof TypeError) return 'matched'; throw e; })
                          .then(v => log('no', v), e => log('passed on', e.message));
                        Promise.reject(new TypeError('typed')).catch(e => { if (e instanceof TypeError) return 'matched'; throw e; })
                          .then(v => log(v));
                        chain('t', 4);
                        """, log -> {
                    Promise.<String>reject(error("plain")).caught(IllegalStateException.class, e -> "matched")
                            .then(v -> log.add("no " + v), e -> log.add("passed on " + e.getMessage()));
                    Promise.<String>reject(new IllegalStateException("typed")).caught(IllegalStateException.class, e -> "matched")
                            .thenAccept(log::add);
                    chain(log, "t", 4);
                }),
                new Case("an onRejected handler that throws rejects the next promise", """
                        Promise.reject(new Error('a')).then(v => 'no', e => { throw new Error('b after ' + e.message); })
                          .catch(e => log(e.message));
                        chain('t', 3);
                        """, log -> {
                    Promise.<String>reject(error("a")).then(v -> "no", e -> {
                        throw error("b after " + e.getMessage());
                    }).caught(e -> {
                        log.add(e.getMessage());
                        return null;
                    });
                    chain(log, "t", 3);
                }),
                new Case("null flows through handlers as a value", """
                        Promise.resolve(null).then(v => log('v', v)).then(v => log('undefined is null here', v === undefined));
                        """, log -> Promise.resolve((Object) null).thenAccept(v -> log.add("v " + v))
                        .thenAccept(v -> log.add("undefined is null here " + (v == null)))),
                new Case("finally on a pending promise, beside a then on the same promise", """
                        const p = delay(1, 'x');
                        p.finally(() => log('fin')).then(v => log('after fin', v));
                        p.then(v => log('then', v)).then(() => log('then2')).then(() => log('then3')).then(() => log('then4'));
                        """, log -> {
                    Promise<String> p = delay(1, "x");
                    p.lastly(() -> log.add("fin")).thenAccept(v -> log.add("after fin " + v));
                    p.thenAccept(v -> log.add("then " + v)).thenAccept(v -> log.add("then2"))
                            .thenAccept(v -> log.add("then3")).thenAccept(v -> log.add("then4"));
                }),
                new Case("finally on a pending rejected promise passes the rejection", """
                        const p = fail(1, 'bad');
                        p.finally(() => log('fin')).catch(e => log('c', e.message));
                        p.catch(e => log('direct', e.message)).then(() => log('d2')).then(() => log('d3')).then(() => log('d4'));
                        """, log -> {
                    Promise<String> p = fail(1, "bad");
                    p.lastly(() -> log.add("fin")).caught(e -> {
                        log.add("c " + e.getMessage());
                        return null;
                    });
                    p.caught(e -> {
                        log.add("direct " + e.getMessage());
                        return null;
                    }).thenAccept(v -> log.add("d2")).thenAccept(v -> log.add("d3")).thenAccept(v -> log.add("d4"));
                }),
                new Case("two finally steps in a row", """
                        Promise.resolve(1).finally(() => log('f1')).finally(() => log('f2')).then(v => log('v', v));
                        chain('t', 9);
                        """, log -> {
                    Promise.resolve(1).lastly(() -> log.add("f1")).lastly(() -> log.add("f2")).thenAccept(v -> log.add("v " + v));
                    chain(log, "t", 9);
                }),
                new Case("finally that throws on a rejected promise replaces the reason", """
                        Promise.reject(new Error('orig')).finally(() => { throw new Error('replaced'); }).catch(e => log(e.message));
                        chain('t', 3);
                        """, log -> {
                    Promise.<String>reject(error("orig")).lastly(() -> {
                        throw error("replaced");
                    }).caught(e -> {
                        log.add(e.getMessage());
                        return null;
                    });
                    chain(log, "t", 3);
                }),
                new Case("adopting a promise that is itself adopting", """
                        new Promise(r => r(new Promise(r2 => r2(Promise.resolve('deep'))))).then(v => log('deep', v));
                        chain('t', 8);
                        """, log -> {
                    Deferred<String> middle = Promise.withResolvers();
                    middle.follow(Promise.resolve("deep"));
                    Deferred<String> outer = Promise.withResolvers();
                    outer.follow(middle.promise());
                    outer.promise().thenAccept(v -> log.add("deep " + v));
                    chain(log, "t", 8);
                }),
                new Case("adopting a pending promise settled in a microtask", """
                        let res; const inner = new Promise(r => { res = r; });
                        new Promise(r => r(inner)).then(v => log('outer', v));
                        inner.then(v => log('inner', v));
                        queueMicrotask(() => { log('settle'); res('x'); });
                        chain('t', 5);
                        """, log -> {
                    Deferred<String> inner = Promise.withResolvers();
                    Deferred<String> outer = Promise.withResolvers();
                    outer.follow(inner.promise());
                    outer.promise().thenAccept(v -> log.add("outer " + v));
                    inner.promise().thenAccept(v -> log.add("inner " + v));
                    queueMicrotask(() -> {
                        log.add("settle");
                        inner.resolve("x");
                    });
                    chain(log, "t", 5);
                }),
                new Case("adopting a pending promise that a timer rejects", """
                        const inner = fail(1, 'late');
                        new Promise(r => r(inner)).catch(e => log('outer', e.message));
                        inner.catch(e => log('inner', e.message)).then(() => log('i2')).then(() => log('i3'));
                        """, log -> {
                    Promise<String> inner = fail(1, "late");
                    Deferred<String> outer = Promise.withResolvers();
                    outer.follow(inner);
                    outer.promise().caught(e -> {
                        log.add("outer " + e.getMessage());
                        return null;
                    });
                    inner.caught(e -> {
                        log.add("inner " + e.getMessage());
                        return null;
                    }).thenAccept(v -> log.add("i2")).thenAccept(v -> log.add("i3"));
                }),
                new Case("a handler returning a promise settled in a microtask", """
                        Promise.resolve(1).then(v => new Promise(r => queueMicrotask(() => r(v * 2)))).then(v => log('v', v));
                        chain('t', 6);
                        """, log -> {
                    Promise.resolve(1).thenCompose(v -> {
                        Deferred<Integer> d = Promise.withResolvers();
                        queueMicrotask(() -> d.resolve(v * 2));
                        return d.promise();
                    }).thenAccept(v -> log.add("v " + v));
                    chain(log, "t", 6);
                }),
                new Case("a handler returning a then-derived promise", """
                        Promise.resolve(1).then(v => Promise.resolve(v).then(x => x + 1)).then(v => log('v', v));
                        chain('t', 6);
                        """, log -> {
                    Promise.resolve(1).thenCompose(v -> Promise.resolve(v).then(x -> x + 1)).thenAccept(v -> log.add("v " + v));
                    chain(log, "t", 6);
                }),
                new Case("promise-returning handlers in a row, against a long chain", """
                        Promise.resolve(0).then(v => Promise.resolve(v + 1)).then(v => Promise.resolve(v + 1)).then(v => log('done', v));
                        chain('a', 10);
                        """, log -> {
                    Promise.resolve(0).thenCompose(v -> Promise.resolve(v + 1)).thenCompose(v -> Promise.resolve(v + 1))
                            .thenAccept(v -> log.add("done " + v));
                    chain(log, "a", 10);
                }),
                new Case("finally after a promise-returning handler", """
                        Promise.resolve(1).then(v => delay(1, v + 1)).finally(() => log('fin')).then(v => log('v', v));
                        setTimeout(() => { log('timer'); chain('t', 4); }, 1);
                        """, log -> {
                    Promise.resolve(1).thenCompose(v -> delay(1, v + 1)).lastly(() -> log.add("fin")).thenAccept(v -> log.add("v " + v));
                    setTimeout(() -> {
                        log.add("timer");
                        chain(log, "t", 4);
                    }, 1);
                }),
                new Case("a handler returning its own promise rejects it (chaining cycle)", """
                        const p = Promise.resolve(1).then(() => p);
                        p.catch(e => log('cycle', e instanceof TypeError));
                        chain('t', 3);
                        """, log -> {
                    Promise<Integer>[] p = new Promise[1];
                    p[0] = Promise.resolve(1).thenCompose(v -> p[0]);
                    p[0].caught(e -> {
                        log.add("cycle " + (e instanceof ChainingCycleException));
                        return null;
                    });
                    chain(log, "t", 3);
                }),
                new Case("resolving a promise with itself rejects it at once", """
                        let res; const p = new Promise(r => { res = r; });
                        p.catch(e => log('self', e instanceof TypeError)); res(p); res(1);
                        Promise.resolve().then(() => log('p'));
                        """, log -> {
                    Deferred<Integer> d = Promise.withResolvers();
                    d.promise().caught(e -> {
                        log.add("self " + (e instanceof ChainingCycleException));
                        return null;
                    });
                    d.tryFollow(d.promise());
                    d.tryResolve(1);
                    Promise.resolve(null).thenAccept(v -> log.add("p"));
                }),
                new Case("Promise.resolve of a pending promise returns it", """
                        const p = delay(1, 'x'); const q = Promise.resolve(p); log(p === q);
                        q.then(v => log('q', v)); p.then(v => log('p', v));
                        """, log -> {
                    Promise<String> p = delay(1, "x");
                    Object q = Promise.resolve((Object) p);
                    log.add(String.valueOf(p == q));
                    ((Promise<String>) q).thenAccept(v -> log.add("q " + v));
                    p.thenAccept(v -> log.add("p " + v));
                }),
                new Case("withResolvers: reject, with a microtask queued before", """
                        let rej; const p = new Promise((_, j) => { rej = j; });
                        p.catch(e => log('caught', e.message)); queueMicrotask(() => log('q')); rej(new Error('x')); log('sync');
                        """, log -> {
                    Deferred<String> d = Promise.withResolvers();
                    d.promise().caught(e -> {
                        log.add("caught " + e.getMessage());
                        return null;
                    });
                    queueMicrotask(() -> log.add("q"));
                    d.reject(error("x"));
                    log.add("sync");
                }),
                new Case("withResolvers settled in a timer, with handlers from before and during", """
                        let res; const p = new Promise(r => { res = r; });
                        p.then(v => log('early', v));
                        setTimeout(() => { res('x'); p.then(v => log('late', v)); queueMicrotask(() => log('q')); log('timer'); }, 1);
                        """, log -> {
                    Deferred<String> d = Promise.withResolvers();
                    d.promise().thenAccept(v -> log.add("early " + v));
                    setTimeout(() -> {
                        d.resolve("x");
                        d.promise().thenAccept(v -> log.add("late " + v));
                        queueMicrotask(() -> log.add("q"));
                        log.add("timer");
                    }, 1);
                }),
                new Case("Promise.all of timer-settled inputs, against timers of the same delays", """
                        Promise.all([delay(10, 'b'), delay(1, 'a')]).then(v => log('all', v.join(',')));
                        setTimeout(() => log('t10'), 10); setTimeout(() => log('t1'), 1);
                        """, log -> {
                    Promise.all(delay(10, "b"), delay(1, "a")).thenAccept(v -> log.add("all " + join(v)));
                    setTimeout(() -> log.add("t10"), 10);
                    setTimeout(() -> log.add("t1"), 1);
                }),
                new Case("Promise.all rejected by a timer before the other inputs settle", """
                        Promise.all([delay(3, 'a'), fail(1, 'boom'), delay(2, 'c')]).then(v => log('no'), e => log('rejected', e.message));
                        setTimeout(() => log('t2'), 2);
                        """, log -> {
                    Promise.<String>all(delay(3, "a"), fail(1, "boom"), delay(2, "c"))
                            .then(v -> log.add("no"), e -> log.add("rejected " + e.getMessage()));
                    setTimeout(() -> log.add("t2"), 2);
                }),
                new Case("Promise.all with an adopting input, against a chain", """
                        Promise.all([new Promise(r => r(Promise.resolve(1))), Promise.resolve(2)]).then(v => log('all', v.join(',')));
                        chain('t', 5);
                        """, log -> {
                    Deferred<Integer> adopting = Promise.withResolvers();
                    adopting.follow(Promise.resolve(1));
                    Promise.all(adopting.promise(), Promise.resolve(2)).thenAccept(v -> log.add("all " + join(v)));
                    chain(log, "t", 5);
                }),
                new Case("Promise.all with one input twice, beside a direct handler", """
                        const p = delay(1, 'x');
                        Promise.all([p, p]).then(v => log('all', v.join(',')));
                        p.then(() => log('direct'));
                        """, log -> {
                    Promise<String> p = delay(1, "x");
                    Promise.all(p, p).thenAccept(v -> log.add("all " + join(v)));
                    p.thenAccept(v -> log.add("direct"));
                }),
                new Case("allSettled and race of nothing: one settles at once, one never", """
                        Promise.allSettled([]).then(v => log('settled', v.length));
                        Promise.race([]).then(() => log('never'), () => log('never either'));
                        Promise.resolve().then(() => log('p'));
                        """, log -> {
                    Promise.allSettled(List.<Promise<Object>>of()).thenAccept(v -> log.add("settled " + v.size()));
                    Promise.race(List.<Promise<Object>>of()).then(v -> log.add("never"), e -> log.add("never either"));
                    Promise.resolve(null).thenAccept(v -> log.add("p"));
                }),
                new Case("Promise.race: a rejection by the earlier timer wins", """
                        Promise.race([delay(10, 'late'), fail(1, 'early')]).then(v => log('no'), e => log('race', e.message));
                        """, log -> Promise.<String>race(delay(10, "late"), fail(1, "early"))
                        .then(v -> log.add("no"), e -> log.add("race " + e.getMessage()))),
                new Case("Promise.race: a plain input beats an earlier adopting one", """
                        Promise.race([new Promise(r => r(Promise.resolve('adopted'))), Promise.resolve('plain')]).then(v => log('race', v));
                        chain('t', 4);
                        """, log -> {
                    Deferred<String> adopting = Promise.withResolvers();
                    adopting.follow(Promise.resolve("adopted"));
                    Promise.race(adopting.promise(), Promise.resolve("plain")).thenAccept(v -> log.add("race " + v));
                    chain(log, "t", 4);
                }),
                new Case("Promise.any of resolved promises, against a chain", """
                        Promise.any([Promise.reject(new Error('x')), Promise.resolve('a'), Promise.resolve('b')]).then(v => log('any', v));
                        chain('t', 3);
                        """, log -> {
                    Promise.<String>any(Promise.reject(error("x")), Promise.resolve("a"), Promise.resolve("b"))
                            .thenAccept(v -> log.add("any " + v));
                    chain(log, "t", 3);
                }),
                new Case("Promise.any: every input rejects by timer or adoption", """
                        const adopting = new Promise(r => r(Promise.reject(new Error('adopted'))));
                        Promise.any([fail(1, 'timer'), adopting]).catch(e => log('any', e.errors.map(x => x.message).join(',')));
                        chain('t', 3);
                        """, log -> {
                    Deferred<String> adopting = Promise.withResolvers();
                    adopting.follow(Promise.reject(error("adopted")));
                    Promise.<String>any(fail(1, "timer"), adopting.promise()).caught(e -> {
                        log.add("any " + join(((AggregateException) e).errors().stream().map(Throwable::getMessage).toList()));
                        return null;
                    });
                    chain(log, "t", 3);
                }),
                new Case("a timer counts its delay from when it is set, not from the start of the task", """
                        const busy = ms => { const end = Date.now() + ms; while (Date.now() < end); };
                        setTimeout(() => log('a5'), 5); busy(8); setTimeout(() => log('b1'), 1);
                        setTimeout(() => { setTimeout(() => log('c5'), 5); busy(8); setTimeout(() => log('d1'), 1); }, 10);
                        """, log -> {
                    setTimeout(() -> log.add("a5"), 5);
                    busy(8);
                    setTimeout(() -> log.add("b1"), 1);
                    setTimeout(() -> {
                        setTimeout(() -> log.add("c5"), 5);
                        busy(8);
                        setTimeout(() -> log.add("d1"), 1);
                    }, 10);
                }).onRealClock(),
                new Case("an interval's next run counts from when its callback starts", """
                        const busy = ms => { const end = Date.now() + ms; while (Date.now() < end); };
                        setTimeout(() => { log('y'); busy(8); }, 1);
                        let n = 0; const i = setInterval(() => { log('i' + ++n); if (n === 2) clearInterval(i); }, 1);
                        setTimeout(() => log('z'), 5);
                        """, log -> {
                    setTimeout(() -> {
                        log.add("y");
                        busy(8);
                    }, 1);
                    int[] n = {0};
                    Timeout[] i = new Timeout[1];
                    i[0] = setInterval(() -> {
                        log.add("i" + ++n[0]);
                        if (n[0] == 2) {
                            clearInterval(i[0]);
                        }
                    }, 1);
                    setTimeout(() -> log.add("z"), 5);
                }).onRealClock(),
                new Case("a timer cleared by an earlier timer due at the same time", """
                        let b;
                        setTimeout(() => { log('a'); clearTimeout(b); }, 1);
                        b = setTimeout(() => log('b'), 1);
                        setTimeout(() => log('c'), 1);
                        """, log -> {
                    Timeout[] b = new Timeout[1];
                    setTimeout(() -> {
                        log.add("a");
                        clearTimeout(b[0]);
                    }, 1);
                    b[0] = setTimeout(() -> log.add("b"), 1);
                    setTimeout(() -> log.add("c"), 1);
                }),
                new Case("a timer cleared in the microtasks of an earlier timer", """
                        let b;
                        setTimeout(() => { log('a'); Promise.resolve().then(() => { log('pa'); clearTimeout(b); }); }, 1);
                        b = setTimeout(() => log('b'), 1);
                        """, log -> {
                    Timeout[] b = new Timeout[1];
                    setTimeout(() -> {
                        log.add("a");
                        Promise.resolve(null).thenAccept(v -> {
                            log.add("pa");
                            clearTimeout(b[0]);
                        });
                    }, 1);
                    b[0] = setTimeout(() -> log.add("b"), 1);
                }),
                new Case("a timer set in a timer's microtask comes after the timers already due", """
                        setTimeout(() => { log('t1'); queueMicrotask(() => setTimeout(() => log('t3'), 0)); }, 0);
                        setTimeout(() => log('t2'), 0);
                        """, log -> {
                    setTimeout(() -> {
                        log.add("t1");
                        queueMicrotask(() -> setTimeout(() -> log.add("t3"), 0));
                    }, 0);
                    setTimeout(() -> log.add("t2"), 0);
                }),
                new Case("a chain started in one timer and adopted by a promise settled in another", """
                        let res; const gate = new Promise(r => { res = r; });
                        setTimeout(() => { log('t1'); Promise.resolve('v').then(v => gate.then(() => v + '!')).then(v => log('got', v)); }, 1);
                        setTimeout(() => { log('t2'); res(); chain('c', 4); }, 2);
                        """, log -> {
                    Deferred<Void> gate = Promise.withResolvers();
                    setTimeout(() -> {
                        log.add("t1");
                        Promise.resolve("v").thenCompose(v -> gate.promise().then(x -> v + "!")).thenAccept(v -> log.add("got " + v));
                    }, 1);
                    setTimeout(() -> {
                        log.add("t2");
                        gate.resolve(null);
                        chain(log, "c", 4);
                    }, 2);
                })
        );
    }
}
