package dev.eventual.ordering;

import static dev.eventual.Globals.queueMicrotask;
import static dev.eventual.Globals.setTimeout;

import dev.eventual.AbortController;
import dev.eventual.AbortSignal;
import dev.eventual.AsyncTimeoutException;
import dev.eventual.Promise;
import dev.eventual.ordering.NodeOrderingTest.Case;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Differential tests of the parts of rule 6 that JavaScript defines: {@code AbortController} and
 * {@code AbortSignal} event order (listeners inside {@code abort()}, before the microtasks it
 * causes), {@code AbortSignal.any}, the reason types of {@code abort()} and
 * {@code AbortSignal.timeout} by name, and when an aborted delay's rejection is seen. Node
 * produces the expected log; it is never written here.
 *
 * <p>Translation: a reason's {@code name} is logged; Eventual's reasons map to the web's names
 * as documented ({@code CancellationException} is {@code AbortError}, {@code AsyncTimeoutException} is
 * {@code TimeoutError}, its {@code name()}). {@code Promise.delay(d, signal)} is the web's promise around
 * {@code setTimeout} with an {@code abort} listener ({@code delay} below). Timers differ by
 * 15 ms at least. Skipped, with a message, where {@code node} is not installed.
 */
class AbortOrderingTest {
    private static final String JS_HELPERS = """
            const delay = (ms, signal) => new Promise((resolve, reject) => {
              if (signal.aborted) { reject(signal.reason); return; }
              const t = setTimeout(resolve, ms);
              signal.addEventListener('abort', () => { clearTimeout(t); reject(signal.reason); });
            });
            """;

    @TestFactory
    Stream<DynamicTest> abortLogsTheSameOrderAsNode() {
        return NodeHarness.compareWithNode(JS_HELPERS, cases().stream());
    }

    /** The web's name of a reason: see the class javadoc. */
    static String name(Throwable reason) {
        if (reason instanceof CancellationException) {
            return "AbortError";
        }
        if (reason instanceof AsyncTimeoutException t) {
            return t.name();
        }
        return reason.getMessage();
    }

    static List<Case> cases() {
        return List.of(
                new Case("abort runs listeners in order inside abort(), before microtasks; a second abort is ignored", """
                        const c = new AbortController();
                        c.signal.addEventListener('abort', () => log('l1', c.signal.aborted, c.signal.reason.name));
                        c.signal.addEventListener('abort', () => log('l2'));
                        queueMicrotask(() => log('micro'));
                        log('before', c.signal.aborted);
                        c.abort();
                        log('after');
                        c.abort(new Error('second'));
                        log('reason', c.signal.reason.name);
                        c.signal.addEventListener('abort', () => log('late listener'));
                        """, log -> {
                    AbortController c = new AbortController();
                    c.signal().addListener(() -> log.add("l1 " + c.signal().aborted() + " " + name(c.signal().reason())));
                    c.signal().addListener(() -> log.add("l2"));
                    queueMicrotask(() -> log.add("micro"));
                    log.add("before " + c.signal().aborted());
                    c.abort();
                    log.add("after");
                    c.abort(new RuntimeException("second"));
                    log.add("reason " + name(c.signal().reason()));
                    c.signal().addListener(() -> log.add("late listener"));
                }),
                new Case("a removed listener is not called, and the same listener is added once", """
                        const c = new AbortController();
                        const a = () => log('a'); const b = () => log('b');
                        c.signal.addEventListener('abort', a);
                        c.signal.addEventListener('abort', b);
                        c.signal.addEventListener('abort', a);
                        c.signal.removeEventListener('abort', b);
                        c.abort(new Error('custom'));
                        log(c.signal.reason.message);
                        """, log -> {
                    AbortController c = new AbortController();
                    Runnable a = () -> log.add("a");
                    Runnable b = () -> log.add("b");
                    c.signal().addListener(a);
                    c.signal().addListener(b);
                    c.signal().addListener(a);
                    c.signal().removeListener(b);
                    c.abort(new RuntimeException("custom"));
                    log.add(c.signal().reason().getMessage());
                }),
                new Case("AbortSignal.any aborts after its source's listeners, with the source's reason", """
                        const c1 = new AbortController(); const c2 = new AbortController();
                        const any = AbortSignal.any([c1.signal, c2.signal]);
                        c2.signal.addEventListener('abort', () => log('c2 listener', any.aborted));
                        any.addEventListener('abort', () => log('any listener', any.reason.message));
                        c2.signal.addEventListener('abort', () => log('c2 second listener'));
                        log('any before', any.aborted);
                        c2.abort(new Error('from c2'));
                        log('any after', any.aborted);
                        c1.abort(new Error('from c1'));
                        log('reason stays', any.reason.message);
                        """, log -> {
                    AbortController c1 = new AbortController();
                    AbortController c2 = new AbortController();
                    AbortSignal any = AbortSignal.any(c1.signal(), c2.signal());
                    c2.signal().addListener(() -> log.add("c2 listener " + any.aborted()));
                    any.addListener(() -> log.add("any listener " + any.reason().getMessage()));
                    c2.signal().addListener(() -> log.add("c2 second listener"));
                    log.add("any before " + any.aborted());
                    c2.abort(new RuntimeException("from c2"));
                    log.add("any after " + any.aborted());
                    c1.abort(new RuntimeException("from c1"));
                    log.add("reason stays " + any.reason().getMessage());
                }),
                new Case("AbortSignal.any of an aborted signal is aborted at once with the first reason", """
                        const a = AbortSignal.any([new AbortController().signal, AbortSignal.abort(new Error('first')),
                                                   AbortSignal.abort(new Error('second'))]);
                        log(a.aborted, a.reason.message);
                        """, log -> {
                    AbortSignal a = AbortSignal.any(new AbortController().signal(),
                            AbortSignal.abort(new RuntimeException("first")), AbortSignal.abort(new RuntimeException("second")));
                    log.add(a.aborted() + " " + a.reason().getMessage());
                }),
                new Case("AbortSignal.timeout aborts with a TimeoutError, and any composes it with a controller", """
                        const t = AbortSignal.timeout(10);
                        const c = new AbortController();
                        const any = AbortSignal.any([c.signal, t]);
                        t.addEventListener('abort', () => log('timeout', t.reason.name));
                        any.addEventListener('abort', () => log('any', any.reason.name));
                        log('aborted yet', t.aborted, AbortSignal.abort().reason.name);
                        setTimeout(() => log('later', c.signal.aborted), 40);
                        """, log -> {
                    AbortSignal t = AbortSignal.timeout(Duration.ofMillis(10));
                    AbortController c = new AbortController();
                    AbortSignal any = AbortSignal.any(c.signal(), t);
                    t.addListener(() -> log.add("timeout " + name(t.reason())));
                    any.addListener(() -> log.add("any " + name(any.reason())));
                    log.add("aborted yet " + t.aborted() + " " + name(AbortSignal.abort().reason()));
                    setTimeout(() -> log.add("later " + c.signal().aborted()), 40);
                }),
                new Case("an aborted delay rejects with the reason after the listeners, as a microtask", """
                        const c = new AbortController();
                        delay(1000, c.signal).then(() => log('fired'), e => log('delay rejected', e.name));
                        c.signal.addEventListener('abort', () => log('listener'));
                        setTimeout(() => {
                          queueMicrotask(() => log('micro before'));
                          c.abort();
                          log('after abort');
                          Promise.resolve().then(() => log('then after'));
                        }, 10);
                        """, log -> {
                    AbortController c = new AbortController();
                    Promise.delay(Duration.ofMillis(1000), c.signal())
                            .then(v -> log.add("fired"), e -> log.add("delay rejected " + name(e)));
                    c.signal().addListener(() -> log.add("listener"));
                    setTimeout(() -> {
                        queueMicrotask(() -> log.add("micro before"));
                        c.abort();
                        log.add("after abort");
                        Promise.resolve(null).thenAccept(v -> log.add("then after"));
                    }, 10);
                }),
                new Case("a delay with an already aborted signal rejects without a timer; one that fires ignores a late abort", """
                        const c = new AbortController();
                        c.abort(new Error('early'));
                        delay(10, c.signal).catch(e => log('early rejected', e.message));
                        const c2 = new AbortController();
                        delay(10, c2.signal).then(() => { log('fired'); c2.abort(); log('late abort', c2.signal.aborted); });
                        log('sync end');
                        """, log -> {
                    AbortController c = new AbortController();
                    c.abort(new RuntimeException("early"));
                    Promise.delay(Duration.ofMillis(10), c.signal()).caught(e -> {
                        log.add("early rejected " + e.getMessage());
                        return null;
                    });
                    AbortController c2 = new AbortController();
                    Promise.delay(Duration.ofMillis(10), c2.signal()).thenAccept(v -> {
                        log.add("fired");
                        c2.abort();
                        log.add("late abort " + c2.signal().aborted());
                    });
                    log.add("sync end");
                }),
                new Case("throwIfAborted throws the reason", """
                        const c = new AbortController();
                        c.signal.throwIfAborted(); log('not aborted');
                        c.abort();
                        try { c.signal.throwIfAborted(); } catch (e) { log('threw', e.name); }
                        """, log -> {
                    AbortController c = new AbortController();
                    c.signal().throwIfAborted();
                    log.add("not aborted");
                    c.abort();
                    try {
                        c.signal().throwIfAborted();
                    } catch (RuntimeException e) {
                        log.add("threw " + name(e));
                    }
                }));
    }
}
