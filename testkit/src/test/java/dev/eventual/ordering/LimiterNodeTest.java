package dev.eventual.ordering;

import static dev.eventual.Globals.setTimeout;

import dev.eventual.AbortController;
import dev.eventual.Limiter;
import dev.eventual.Promise;
import dev.eventual.Settled;
import dev.eventual.ordering.NodeOrderingTest.Case;
import java.net.URISyntaxException;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Differential tests of {@link Limiter} against npm's {@code p-limit} 7.3.3 and of
 * {@link Promise#map} against {@code p-map} 7.1.1, the real packages (copied unmodified into
 * {@code src/test/resources/node}, see the README there): start order, the active and pending
 * counts a task sees when it starts, values and reasons, what a failure stops, and an abort
 * emptying the queue ({@code p-limit}'s {@code clearQueue()} with {@code rejectOnClear}, called
 * by an {@code abort} listener, is the reference for {@code Limiter.of(n, signal)}). Node
 * produces the expected log; it is never written here.
 *
 * <p>The logs are made by the tasks and by timers 30 ms apart or more (a long task against a
 * chain of short ones, 280 ms apart, so that a loaded machine's timer drift along the chain does
 * not reorder them), not by reactions to the
 * limiter's own promises at microtask granularity, where the packages' {@code await}s take turns
 * that Eventual need not copy. The JavaScript side loads the packages with a dynamic
 * {@code import()} and runs the case in its {@code then}. Skipped where {@code node} is not
 * installed.
 */
class LimiterNodeTest {

    @TestFactory
    Stream<DynamicTest> limiterAndMapLogTheSameAsPLimitAndPMap() {
        String helpers = """
                const __libs = Promise.all([import('%s'), import('%s')])
                    .then(([limit, map]) => ({ pLimit: limit.default, pMap: map.default }));
                const withLibs = f => __libs.then(f);
                const sleep = ms => new Promise(r => setTimeout(r, ms));
                """.formatted(moduleUrl("p-limit"), moduleUrl("p-map"));
        return NodeHarness.compareWithNode(helpers, cases().stream());
    }

    private static String moduleUrl(String name) {
        URL url = LimiterNodeTest.class.getResource("/node/node_modules/" + name + "/index.js");
        if (url == null) {
            throw new AssertionError("the vendored package " + name + " is missing from src/test/resources/node");
        }
        try {
            return url.toURI().toString();
        } catch (URISyntaxException e) {
            throw new AssertionError(e);
        }
    }

    /** A task that logs its start with the counts, waits, logs its end, and fails or returns its name. */
    private static Supplier<Promise<String>> task(List<String> log, Limiter limit, String name, int ms, boolean fail) {
        return () -> {
            log.add("start " + name + " " + limit.active() + " " + limit.pending());
            return Promise.delay(Duration.ofMillis(ms)).then(v -> {
                log.add("end " + name);
                if (fail) {
                    throw new IllegalStateException("failed " + name);
                }
                return name;
            });
        };
    }

    private static String outcomes(List<? extends Settled<?>> settled) {
        return settled.stream().map(s -> s instanceof Settled.Fulfilled<?> f ? String.valueOf(f.value())
                : ((Settled.Rejected<?>) s).reason().getMessage()).collect(Collectors.joining(","));
    }

    static List<Case> cases() {
        return List.of(
                new Case("limit: at most n at a time, in call order, counts as p-limit's, a failure frees its slot", """
                        withLibs(({ pLimit }) => {
                          const limit = pLimit(2);
                          const task = (name, ms, fail) => () => {
                            log('start', name, limit.activeCount, limit.pendingCount);
                            return sleep(ms).then(() => { log('end', name); if (fail) throw new Error('failed ' + name); return name; });
                          };
                          const ps = [limit(task('a', 400)), limit(task('b', 30)), limit(task('c', 30, true)),
                                      limit(task('d', 30)), limit(task('e', 30))];
                          log('queued', limit.activeCount, limit.pendingCount);
                          Promise.allSettled(ps).then(rs => {
                            log(rs.map(r => r.status === 'fulfilled' ? r.value : r.reason.message).join(','));
                            setTimeout(() => log('idle', limit.activeCount, limit.pendingCount), 0);
                          });
                        });
                        """, log -> {
                    Limiter limit = Limiter.of(2);
                    List<Promise<String>> ps = List.of(limit.run(task(log, limit, "a", 400, false)),
                            limit.run(task(log, limit, "b", 30, false)), limit.run(task(log, limit, "c", 30, true)),
                            limit.run(task(log, limit, "d", 30, false)), limit.run(task(log, limit, "e", 30, false)));
                    log.add("queued " + limit.active() + " " + limit.pending());
                    Promise.allSettled(ps).thenAccept(rs -> {
                        log.add(outcomes(rs));
                        setTimeout(() -> log.add("idle " + limit.active() + " " + limit.pending()), 0);
                    });
                }),
                new Case("limit: a task that throws rejects its promise and the next one starts", """
                        withLibs(({ pLimit }) => {
                          const limit = pLimit(1);
                          const p1 = limit(() => { log('first runs'); throw new Error('thrown at once'); });
                          const p2 = limit(() => { log('second runs', limit.activeCount, limit.pendingCount); return sleep(30).then(() => 'second'); });
                          log('not started yet');
                          p1.catch(e => log('first:', e.message));
                          p2.then(v => log('got', v));
                        });
                        """, log -> {
                    Limiter limit = Limiter.of(1);
                    Promise<String> p1 = limit.run(() -> {
                        log.add("first runs");
                        throw new IllegalArgumentException("thrown at once");
                    });
                    Promise<String> p2 = limit.run(() -> {
                        log.add("second runs " + limit.active() + " " + limit.pending());
                        return Promise.delay(Duration.ofMillis(30)).then(v -> "second");
                    });
                    log.add("not started yet");
                    p1.caught(e -> {
                        log.add("first: " + e.getMessage());
                        return null;
                    });
                    p2.thenAccept(v -> log.add("got " + v));
                }),
                new Case("limit: an abort empties the queue with AbortError; the running task finishes", """
                        withLibs(({ pLimit }) => {
                          const c = new AbortController();
                          const limit = pLimit({ concurrency: 1, rejectOnClear: true });
                          c.signal.addEventListener('abort', () => limit.clearQueue());
                          for (const n of ['a', 'b', 'c']) {
                            limit(() => { log('start', n); return sleep(100).then(() => { log('end', n); return n; }); })
                              .then(v => log('ok', v), e => log('rejected', e.name));
                          }
                          setTimeout(() => { c.abort(); log('aborted', limit.activeCount, limit.pendingCount); }, 20);
                        });
                        """, log -> {
                    AbortController c = new AbortController();
                    Limiter limit = Limiter.of(1, c.signal());
                    for (String n : List.of("a", "b", "c")) {
                        limit.run(() -> {
                            log.add("start " + n);
                            return Promise.delay(Duration.ofMillis(100)).then(v -> {
                                log.add("end " + n);
                                return n;
                            });
                        }).then(v -> log.add("ok " + v), e -> log.add("rejected " + AbortOrderingTest.name(e)));
                    }
                    setTimeout(() -> {
                        c.abort();
                        log.add("aborted " + limit.active() + " " + limit.pending());
                    }, 20);
                }),
                new Case("map: n at a time, values in item order whatever order they finish in", """
                        withLibs(({ pMap }) => {
                          pMap([5, 1, 2, 4], n => { log('start', n); return sleep(n * 30).then(() => { log('end', n); return n * 10; }); },
                               { concurrency: 2 })
                            .then(values => log('values', values.join(',')));
                        });
                        """, log -> Promise.map(List.of(5, 1, 2, 4), 2, n -> {
                            log.add("start " + n);
                            return Promise.delay(Duration.ofMillis(n * 30L)).then(v -> {
                                log.add("end " + n);
                                return n * 10;
                            });
                        }).thenAccept(values -> log.add("values " + values.stream().map(String::valueOf)
                                .collect(Collectors.joining(","))))),
                new Case("map: the first failure rejects and starts nothing more; the items in flight finish", """
                        withLibs(({ pMap }) => {
                          pMap([1, 2, 3, 4, 5, 6], n => {
                            log('start', n);
                            return sleep(n === 1 ? 400 : 30).then(() => { log('end', n); if (n === 4) throw new Error('bad ' + n); return n; });
                          }, { concurrency: 2 }).then(v => log('values', v.join(',')), e => log('rejected', e.message));
                        });
                        """, log -> Promise.map(List.of(1, 2, 3, 4, 5, 6), 2, n -> {
                            log.add("start " + n);
                            return Promise.delay(Duration.ofMillis(n == 1 ? 400 : 30)).then(v -> {
                                log.add("end " + n);
                                if (n == 4) {
                                    throw new IllegalStateException("bad " + n);
                                }
                                return n;
                            });
                        }).then(v -> log.add("values " + v), e -> log.add("rejected " + e.getMessage()))),
                new Case("map: an empty input gives no values; a mapper that throws rejects at that item", """
                        withLibs(({ pMap }) => {
                          pMap([], n => n).then(v => {
                            log('empty', v.length);
                            pMap(['x', 'y', 'z'], s => { log('map', s); if (s === 'y') throw new Error('thrown for ' + s); return sleep(30).then(() => s); },
                                 { concurrency: 1 }).then(v => log('values', v.join(',')), e => log('rejected', e.message));
                          });
                        });
                        """, log -> {
                    Promise.map(List.<String>of(), 1, Promise::resolve).thenAccept(empty -> {
                        log.add("empty " + empty.size());
                        Promise.map(List.of("x", "y", "z"), 1, s -> {
                            log.add("map " + s);
                            if (s.equals("y")) {
                                throw new IllegalStateException("thrown for " + s);
                            }
                            return Promise.delay(Duration.ofMillis(30)).then(v -> s);
                        }).then(v -> log.add("values " + String.join(",", v)), e -> log.add("rejected " + e.getMessage()));
                    });
                }));
    }
}
