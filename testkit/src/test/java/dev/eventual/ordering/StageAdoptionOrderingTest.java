package dev.eventual.ordering;

import static dev.eventual.Async.async;
import static dev.eventual.Async.await;
import static dev.eventual.Globals.setTimeout;
import static dev.eventual.ordering.NodeOrderingTest.chain;

import dev.eventual.Deferred;
import dev.eventual.Promise;
import dev.eventual.ordering.NodeOrderingTest.Case;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Differential tests of the microtask turns of adopting a {@link java.util.concurrent.CompletionStage},
 * Java's thenable (rule 4): each program adopts a stage and, in JavaScript, a thenable object
 * whose {@code then} does what the stage does ({@code {then(f) {f(v)}}} for a stage complete
 * already, {@code {then(f) {setTimeout(() => f(v))}}} for one completed by a timer). A chain of
 * ticks shows the turn counts, not only the relative order of two adoptions. The cross product
 * of A+ 2.3.3 is in {@code Spec_2_3_3_StageAdoptionTest}; these are the programs a user writes.
 */
class StageAdoptionOrderingTest {
    private static final String JS_HELPERS = """
            const chain = (name, n) => { let p = Promise.resolve(); for (let i = 1; i <= n; i++) p = p.then(() => log(name + i)); return p; };
            const thenable = v => ({ then(f) { f(v); } });
            const laterThenable = v => ({ then(f) { setTimeout(() => f(v), 0); } });
            """;

    @TestFactory
    Stream<DynamicTest> stageAdoptionTakesAThenablesTurns() {
        return NodeHarness.compareWithNode(JS_HELPERS, cases().stream());
    }

    static List<Case> cases() {
        return List.of(
                new Case("a complete stage and a promise adopted side by side (issue 20, item 1)", """
                        let resStage; const viaStage = new Promise(r => { resStage = r; });
                        resStage(thenable('stage'));
                        viaStage.then(v => log('adopted-' + v));
                        let resPromise; const viaPromise = new Promise(r => { resPromise = r; });
                        resPromise(Promise.resolve('promise'));
                        viaPromise.then(v => log('adopted-' + v));
                        Promise.resolve(null).then(() => log('m1')).then(() => log('m2')).then(() => log('m3'));
                        """, log -> {
                    Deferred<Object> viaStage = Promise.withResolvers();
                    viaStage.resolve(CompletableFuture.completedFuture("stage"));
                    viaStage.promise().thenAccept(v -> log.add("adopted-" + v));
                    Deferred<String> viaPromise = Promise.withResolvers();
                    viaPromise.follow(Promise.resolve("promise"));
                    viaPromise.promise().thenAccept(v -> log.add("adopted-" + v));
                    Promise.resolve(null).thenAccept(v -> log.add("m1"))
                            .thenAccept(v -> log.add("m2")).thenAccept(v -> log.add("m3"));
                }),
                new Case("Promise.from of a complete stage delivers in the second turn", """
                        Promise.resolve(thenable('s')).then(v => log('from-' + v));
                        chain('t', 4);
                        """, log -> {
                    Promise.from(CompletableFuture.completedFuture("s")).thenAccept(v -> log.add("from-" + v));
                    chain(log, "t", 4);
                }),
                new Case("Promise.resolve of a complete stage is Promise.from", """
                        Promise.resolve(thenable('s')).then(v => log('resolve-' + v));
                        chain('t', 4);
                        """, log -> {
                    Promise.resolve((Object) CompletableFuture.completedFuture("s")).thenAccept(v -> log.add("resolve-" + v));
                    chain(log, "t", 4);
                }),
                new Case("a failed stage rejects in the second turn", """
                        Promise.resolve({ then(f, r) { r(new Error('boom')); } }).catch(e => log('caught-' + e.message));
                        chain('t', 4);
                        """, log -> {
                    Promise.from(CompletableFuture.failedFuture(new RuntimeException("boom")))
                            .caught(e -> log.add("caught-" + e.getMessage()));
                    chain(log, "t", 4);
                }),
                new Case("await of a complete stage resumes in the second turn, await of a value in the first", """
                        (async () => { log('stage-' + await thenable(3)); })();
                        (async () => { log('value-' + await 4); })();
                        chain('t', 4);
                        """, log -> {
                    async(() -> log.add("stage-" + await(CompletableFuture.completedFuture(3))));
                    async(() -> log.add("value-" + await(Promise.resolve(4))));
                    chain(log, "t", 4);
                }),
                new Case("a stage completed with a promise takes a thenable's turn, then a promise's two", """
                        Promise.resolve(thenable(Promise.resolve('p'))).then(v => log('nested-' + v));
                        chain('t', 6);
                        """, log -> {
                    CompletableFuture<Object> stage = CompletableFuture.completedFuture(Promise.resolve("p"));
                    Promise.from(stage).thenAccept(v -> log.add("nested-" + v));
                    chain(log, "t", 6);
                }),
                new Case("a stage completed with a complete stage takes two thenable turns", """
                        Promise.resolve(thenable(thenable('s'))).then(v => log('nested-' + v));
                        chain('t', 6);
                        """, log -> {
                    CompletableFuture<Object> stage = CompletableFuture.completedFuture(CompletableFuture.completedFuture("s"));
                    Promise.from(stage).thenAccept(v -> log.add("nested-" + v));
                    chain(log, "t", 6);
                }),
                new Case("thenCompose of Promise.from(stage) is then returning Promise.resolve(thenable)", """
                        Promise.resolve().then(() => Promise.resolve(thenable('s'))).then(v => log('composed-' + v));
                        chain('t', 7);
                        """, log -> {
                    Promise.resolve(null).thenCompose(v -> Promise.from(CompletableFuture.completedFuture("s")))
                            .thenAccept(v -> log.add("composed-" + v));
                    chain(log, "t", 7);
                }),
                new Case("Promise.all over a complete stage", """
                        Promise.all([thenable('s'), 1]).then(a => log('all-' + a.join(',')));
                        chain('t', 5);
                        """, log -> {
                    Promise.all(Promise.from(CompletableFuture.completedFuture((Object) "s")), Promise.resolve((Object) 1))
                            .thenAccept(a -> log.add("all-" + NodeOrderingTest.join(a)));
                    chain(log, "t", 5);
                }),
                new Case("a stage completed later by a timer settles in that timer's checkpoint", """
                        Promise.resolve(laterThenable('late')).then(v => log('late-' + v));
                        setTimeout(() => { log('timer'); chain('u', 2); }, 0);
                        chain('t', 3);
                        """, log -> {
                    CompletableFuture<String> stage = new CompletableFuture<>();
                    Promise.from(stage).thenAccept(v -> log.add("late-" + v));
                    setTimeout(() -> {
                        log.add("timer");
                        chain(log, "u", 2);
                    }, 0);
                    // After the timer above, as the thenable's own timer is set in its job, after the script.
                    setTimeout(() -> stage.complete("late"), 0);
                    chain(log, "t", 3);
                    // Real clock: a followed stage is outside work, for which virtual time waits (TestLoop);
                    // the two timers have equal delays, so they fire in the order set under any load.
                }).onRealClock());
    }
}
