package dev.eventual.aplus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.eventual.Async;
import dev.eventual.Deferred;
import dev.eventual.EventLoop;
import dev.eventual.KeepAlive;
import dev.eventual.Promise;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Promises/A+ 2.3.3 for {@link CompletionStage}s, Java's thenables (rule 4), as the JavaScript
 * suite tests it: a cross product of what a stage's callback is called with ({@link Y}: values,
 * errors, promises settled now or later, other stages nested up to three deep), how the stage
 * calls it ({@link Kind}: complete already, later on the loop, later from another thread, twice,
 * a value then an error, a value then a throw, a throw first, ...), and the way it is adopted
 * ({@link Via}: {@code Deferred.resolve}, {@code Promise.from}, {@code Promise.resolve},
 * {@code thenCompose}, {@code await} in a body and off any loop, {@code Promise.all}, a resolve
 * from another thread). Each case is one parameterized test, so the report shows the count.
 *
 * <p>Every case checks: the A+ outcome (the first call wins, 2.3.3.3.3; a throw after it is
 * ignored, 2.3.3.3.4.1), delivered exactly once, on the loop's turn, never on the thread that
 * is inside the adopting call; the stage is never called back inside the adopting call; nothing
 * escapes to the loop ({@code onTaskError}); no unhandled rejection is reported. Where
 * JavaScript has the same program (the kinds that call back on the loop thread, every path but
 * the two that involve another thread), the whole log, with the microtask turn at which the
 * outcome arrives between ticks {@code t1..t10} of a promise chain, must equal Node's: the stage
 * is written there as a thenable object whose {@code then} does what the stage does. All the
 * Node twins run in one Node process, one after another, started before the first case
 * ({@link #startNode}) so that it runs while the cases without a twin run.
 *
 * <p>Left out, because the report of an unhandled rejection there is right (rule 5): an
 * already-rejected promise handed over by a thread that runs no loop (created there, it is
 * reported when its loop reaches a checkpoint before that thread follows it), and a
 * {@code CompletableFuture} that completes on its own with a rejected promise while another
 * thread has not yet adopted it (nothing follows that promise at the checkpoint).
 */
class Spec_2_3_3_StageAdoptionTest {
    private static final int TICKS = 10;

    /** What the stage's callback was called with, made when it is called (on the calling thread). */
    record Call(Object value, Throwable error) {}

    /** One argument of the stage's callback: its Java maker, its JavaScript call, the A+ outcome. */
    enum Y {
        VALUE("res('v')", "fulfilled:v"),
        NULL("res(null)", "fulfilled:null"),
        ERROR("rej(new Error('r'))", "rejected:r"),
        FULFILLED_PROMISE("res(Promise.resolve('v'))", "fulfilled:v"),
        REJECTED_PROMISE("res(Promise.reject(new Error('r')))", "rejected:r"),
        PROMISE_FULFILLED_LATER("res(new Promise(r => setTimeout(() => r('v'), 0)))", "fulfilled:v"),
        PROMISE_REJECTED_LATER("res(new Promise((_, j) => setTimeout(() => j(new Error('r')), 0)))", "rejected:r"),
        STAGE_OF_VALUE(null, "fulfilled:v"),
        LATER_STAGE_OF_VALUE(null, "fulfilled:v"),
        STAGE_OF_ERROR(null, "rejected:r"),
        COMPLETED_FUTURE_OF_PROMISE(null, "fulfilled:v"),
        STAGE_OF_PROMISE(null, "fulfilled:v"),
        THREE_STAGES_DEEP(null, "fulfilled:v");

        private final String js;
        final String expected;

        Y(String js, String expected) {
            this.js = js;
            this.expected = expected;
        }

        /** The JavaScript statement that calls the thenable's {@code res}/{@code rej} with this. */
        String js() {
            return switch (this) {
                case STAGE_OF_VALUE -> "res(" + Kind.SYNC.js(VALUE.js()) + ")";
                case LATER_STAGE_OF_VALUE -> "res(" + Kind.LATER.js(VALUE.js()) + ")";
                case STAGE_OF_ERROR -> "res(" + Kind.SYNC.js(ERROR.js()) + ")";
                case COMPLETED_FUTURE_OF_PROMISE -> "res(" + Kind.COMPLETED.js(FULFILLED_PROMISE.js()) + ")";
                case STAGE_OF_PROMISE -> "res(" + Kind.SYNC.js(FULFILLED_PROMISE.js()) + ")";
                case THREE_STAGES_DEEP -> "res(" + Kind.SYNC.js(STAGE_OF_PROMISE.js()) + ")";
                default -> js;
            };
        }

        Call make(Ctx ctx) {
            EventLoop loop = ctx.loop;
            return switch (this) {
                case VALUE -> new Call("v", null);
                case NULL -> new Call(null, null);
                case ERROR -> new Call(null, new RuntimeException("r"));
                case FULFILLED_PROMISE -> new Call(loop.resolved("v"), null);
                case REJECTED_PROMISE -> new Call(loop.rejected(new RuntimeException("r")), null);
                case PROMISE_FULFILLED_LATER -> {
                    Deferred<Object> d = loop.withResolvers();
                    loop.setTimeout(() -> d.resolve("v"), 0);
                    yield new Call(d.promise(), null);
                }
                case PROMISE_REJECTED_LATER -> {
                    Deferred<Object> d = loop.withResolvers();
                    // Made on a thread of no loop, it must still be pending when that thread follows it
                    // (see the class javadoc); a generous delay, not a bound on anything.
                    loop.setTimeout(() -> d.reject(new RuntimeException("r")), loop.inEventLoop() ? 0 : 50);
                    yield new Call(d.promise(), null);
                }
                case STAGE_OF_VALUE -> new Call(Kind.SYNC.make(ctx, VALUE), null);
                case LATER_STAGE_OF_VALUE -> new Call(Kind.LATER.make(ctx, VALUE), null);
                case STAGE_OF_ERROR -> new Call(Kind.SYNC.make(ctx, ERROR), null);
                case COMPLETED_FUTURE_OF_PROMISE -> new Call(Kind.COMPLETED.make(ctx, FULFILLED_PROMISE), null);
                case STAGE_OF_PROMISE -> new Call(Kind.SYNC.make(ctx, FULFILLED_PROMISE), null);
                case THREE_STAGES_DEEP -> new Call(Kind.SYNC.make(ctx, STAGE_OF_PROMISE), null);
            };
        }
    }

    /** How the stage calls its callback; {@code js} is its JavaScript thenable, null when Node has no twin. */
    enum Kind {
        /** {@code CompletableFuture.completedFuture(y)} / {@code failedFuture(r)}. */
        COMPLETED("{ then(res, rej) { %s; } }"),
        /** A {@code CompletableFuture} completed by a timer of the loop. */
        COMPLETED_BY_TIMER("{ then(res, rej) { setTimeout(() => { %s; }, 0); } }"),
        /** A {@code CompletableFuture} completed from another thread. */
        COMPLETED_BY_THREAD(null),
        /** A stage that implements only whenComplete (everything else throws), calling back at once. */
        SYNC("{ then(res, rej) { %s; } }"),
        /** The same, calling back from a timer of the loop. */
        LATER("{ then(res, rej) { setTimeout(() => { %s; }, 0); } }"),
        /** The same, calling back from another thread. */
        FROM_THREAD(null),
        /** Calls back twice: y, then 'o'. */
        TWICE("{ then(res, rej) { %s; res('o'); } }"),
        /** Calls back with y, then with an error 'ro'. */
        THEN_REJECTS("{ then(res, rej) { %s; rej(new Error('ro')); } }"),
        /** Calls back with y, then throws 'ro'. */
        THEN_THROWS("{ then(res, rej) { %s; throw new Error('ro'); } }"),
        /** Calls back with y at once, then with 'o' from a timer. */
        THEN_LATER_AGAIN("{ then(res, rej) { %s; setTimeout(() => res('o'), 0); } }"),
        /** Calls back with y from another thread, then with an error from the same thread. */
        THREAD_TWICE(null),
        /** Throws 'thrown' before calling back (y is never passed). */
        THROWS_FIRST("{ then(res, rej) { throw new Error('thrown'); } }");

        private final String js;

        Kind(String js) {
            this.js = js;
        }

        boolean hasJsTwin() {
            return js != null;
        }

        /** Whether the callback is called on a thread that runs no loop (so Y is made there). */
        boolean callsFromAnotherThread() {
            return this == COMPLETED_BY_THREAD || this == FROM_THREAD || this == THREAD_TWICE;
        }

        String js(String yCall) {
            return String.format(js, yCall);
        }

        String expected(Y y) {
            return this == THROWS_FIRST ? "rejected:thrown" : y.expected;
        }

        CompletionStage<Object> make(Ctx ctx, Y y) {
            EventLoop loop = ctx.loop;
            return switch (this) {
                case COMPLETED -> {
                    Call call = y.make(ctx);
                    yield call.error() != null ? CompletableFuture.failedFuture(call.error())
                            : CompletableFuture.completedFuture(call.value());
                }
                case COMPLETED_BY_TIMER -> {
                    CompletableFuture<Object> f = new CompletableFuture<>();
                    loop.setTimeout(() -> complete(f, y.make(ctx)), 0);
                    yield f;
                }
                case COMPLETED_BY_THREAD -> {
                    CompletableFuture<Object> f = new CompletableFuture<>();
                    Thread.ofPlatform().start(() -> complete(f, y.make(ctx)));
                    yield f;
                }
                case SYNC -> whenCompleteOnly(ctx, cb -> call(cb, y.make(ctx)));
                case LATER -> whenCompleteOnly(ctx, cb -> loop.setTimeout(() -> call(cb, y.make(ctx)), 0));
                case FROM_THREAD -> whenCompleteOnly(ctx, cb -> Thread.ofPlatform().start(() -> call(cb, y.make(ctx))));
                case TWICE -> whenCompleteOnly(ctx, cb -> {
                    call(cb, y.make(ctx));
                    cb.accept("o", null);
                });
                case THEN_REJECTS -> whenCompleteOnly(ctx, cb -> {
                    call(cb, y.make(ctx));
                    cb.accept(null, new RuntimeException("ro"));
                });
                case THEN_THROWS -> whenCompleteOnly(ctx, cb -> {
                    call(cb, y.make(ctx));
                    throw new RuntimeException("ro");
                });
                case THEN_LATER_AGAIN -> whenCompleteOnly(ctx, cb -> {
                    call(cb, y.make(ctx));
                    loop.setTimeout(() -> cb.accept("o", null), 0);
                });
                case THREAD_TWICE -> whenCompleteOnly(ctx, cb -> Thread.ofPlatform().start(() -> {
                    call(cb, y.make(ctx));
                    cb.accept(null, new RuntimeException("ro"));
                }));
                case THROWS_FIRST -> whenCompleteOnly(ctx, cb -> {
                    throw new RuntimeException("thrown");
                });
            };
        }

        private static void complete(CompletableFuture<Object> f, Call call) {
            if (call.error() != null) {
                f.completeExceptionally(call.error());
            } else {
                f.complete(call.value());
            }
        }

        private static void call(BiConsumer<Object, Throwable> cb, Call call) {
            cb.accept(call.value(), call.error());
        }
    }

    /** How the stage is adopted. */
    enum Via {
        // The two paths without a JavaScript twin first: they run while Node runs the twins.
        AWAIT_OFF_LOOP(null),
        RESOLVE_FROM_ANOTHER_THREAD(null),
        DEFERRED_RESOLVE("{ let res; const p = new Promise(r => { res = r; }); res(%T%); deliver(p); }"),
        PROMISE_FROM("deliver(Promise.resolve(%T%));"),
        PROMISE_RESOLVE("deliver(Promise.resolve(%T%));"),
        THEN_COMPOSE("deliver(Promise.resolve().then(() => Promise.resolve(%T%)));"),
        AWAIT_IN_BODY("(async () => { try { const v = await %T%; log('fulfilled:' + v); } catch (e) { log('rejected:' + e.message); } done(); })();"),
        PROMISE_ALL("deliver(Promise.all([%T%]).then(a => a[0]));");

        private final String js;

        Via(String js) {
            this.js = js;
        }
    }

    /** One case of the cross product. */
    record Case(Via path, Kind kind, Y y) {
        boolean hasJsTwin() {
            return path.js != null && kind.hasJsTwin();
        }

        String js() {
            return path.js.replace("%T%", "(" + kind.js(y.js()) + ")") + " chain('t', " + TICKS + ");";
        }

        @Override
        public String toString() {
            return path + " of " + kind + " called with " + y;
        }
    }

    static Stream<Case> cases() {
        List<Case> cases = new ArrayList<>();
        for (Via path : Via.values()) {
            for (Kind kind : Kind.values()) {
                for (Y y : kind == Kind.THROWS_FIRST ? List.of(Y.VALUE) : List.of(Y.values())) {
                    boolean madeOffLoop = kind.callsFromAnotherThread()
                            || (path == Via.AWAIT_OFF_LOOP && kind != Kind.COMPLETED_BY_TIMER && kind != Kind.LATER);
                    if (madeOffLoop && y == Y.REJECTED_PROMISE) {
                        continue; // see the class javadoc
                    }
                    if (path == Via.RESOLVE_FROM_ANOTHER_THREAD && (kind == Kind.COMPLETED || kind == Kind.COMPLETED_BY_TIMER)
                            && (y == Y.REJECTED_PROMISE || y == Y.PROMISE_REJECTED_LATER)) {
                        continue; // see the class javadoc
                    }
                    cases.add(new Case(path, kind, y));
                }
            }
        }
        return cases.stream();
    }

    // ------------------------------------------------------------------ Node

    /** Node's run of the twins, started before the first case and read when a case needs it. */
    private static Process node;
    private static List<Case> twins;
    private static Map<String, List<String>> nodeLogs;
    private static Path script;

    @BeforeAll
    static void startNode() throws IOException {
        String path = findNode();
        if (path == null) {
            return; // the outcome checks still run; the turn comparison says why it cannot
        }
        twins = cases().filter(Case::hasJsTwin).toList();
        StringBuilder js = new StringBuilder("""
                const out = []; let cur = -1; let delivered = false;
                const log = s => { out.push(cur + '\\t' + s); };
                const done = () => { delivered = true; };
                const deliver = p => p.then(v => { log('fulfilled:' + v); done(); }, e => { log('rejected:' + e.message); done(); });
                const chain = (name, n) => { let p = Promise.resolve(); for (let i = 1; i <= n; i++) p = p.then(() => log(name + i)); return p; };
                const tick = ms => new Promise(r => setTimeout(r, ms));
                const cases = [
                """);
        for (Case c : twins) {
            js.append("  () => { ").append(c.js()).append(" },\n");
        }
        js.append("""
                ];
                (async () => {
                  for (let i = 0; i < cases.length; i++) {
                    await tick(0);
                    cur = i; delivered = false;
                    cases[i]();
                    while (!delivered) await tick(1);
                    await tick(3); // a late second call must find nothing to change
                  }
                  console.log(out.join('\\n'));
                })();
                """);
        script = Files.createTempFile("eventual-aplus-2-3-3", ".js");
        Files.writeString(script, js);
        node = new ProcessBuilder(path, script.toString()).redirectErrorStream(true).start();
    }

    /** Node's log of each twin, by case name; waits for Node the first time. */
    private static synchronized Map<String, List<String>> nodeLogs() throws IOException, InterruptedException {
        if (nodeLogs != null || node == null) {
            return nodeLogs == null ? Map.of() : nodeLogs;
        }
        try {
            String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!node.waitFor(120, TimeUnit.SECONDS) || node.exitValue() != 0) {
                node.destroyForcibly();
                throw new AssertionError("node failed on the 2.3.3 twins:\n" + output);
            }
            Map<String, List<String>> logs = new HashMap<>();
            for (Case c : twins) {
                logs.put(c.toString(), new ArrayList<>());
            }
            for (String line : output.lines().toList()) {
                String[] fields = line.split("\t", 2);
                logs.get(twins.get(Integer.parseInt(fields[0])).toString()).add(fields[1]);
            }
            nodeLogs = logs;
            return logs;
        } finally {
            Files.deleteIfExists(script);
        }
    }

    @AfterAll
    static void stopNode() throws IOException {
        if (node != null && node.isAlive()) {
            node.destroyForcibly();
        }
        if (script != null) {
            Files.deleteIfExists(script);
        }
    }

    private static String findNode() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path candidate = Path.of(dir, "node");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }

    // ------------------------------------------------------------------ Eventual

    /** One run: its loop, its log, what went wrong, and the thread inside the adopting call. */
    static final class Ctx {
        volatile EventLoop loop;
        final List<String> log = Collections.synchronizedList(new ArrayList<>());
        final List<String> problems = Collections.synchronizedList(new ArrayList<>());
        volatile Thread adopting;

        void delivered(String entry) {
            if (!(loop.inEventLoop() && EventLoop.current() == loop)) {
                problems.add(entry + " delivered off the loop's turn, on " + Thread.currentThread());
            }
            if (adopting == Thread.currentThread()) {
                problems.add(entry + " delivered inside the adopting call");
            }
            log.add(entry);
        }

        <T> void deliver(Promise<T> p) {
            p.then(v -> {
                delivered("fulfilled:" + v);
                return null;
            }, e -> {
                delivered("rejected:" + e.getMessage());
                return null;
            });
        }
    }

    /**
     * A stage that implements {@code whenComplete} only, with {@code then} as its body: every other
     * method throws {@link UnsupportedOperationException}, as the {@code CompletionStage} javadoc
     * allows for {@code toCompletableFuture}.
     */
    @SuppressWarnings("unchecked")
    static CompletionStage<Object> whenCompleteOnly(Ctx ctx, java.util.function.Consumer<BiConsumer<Object, Throwable>> then) {
        return (CompletionStage<Object>) Proxy.newProxyInstance(CompletionStage.class.getClassLoader(),
                new Class<?>[] {CompletionStage.class}, (proxy, method, args) -> {
                    if (method.getDeclaringClass() == Object.class) {
                        return objectMethod(proxy, method, args);
                    }
                    if (!method.getName().equals("whenComplete")) {
                        throw new UnsupportedOperationException(method.getName() + " is not supported by this stage");
                    }
                    if (ctx.adopting == Thread.currentThread() && ctx.loop.inEventLoop()) {
                        ctx.problems.add("the stage was called inside the adopting call");
                    }
                    then.accept((BiConsumer<Object, Throwable>) args[0]);
                    return proxy;
                });
    }

    private static Object objectMethod(Object proxy, Method method, Object[] args) throws Throwable {
        return switch (method.getName()) {
            case "equals" -> proxy == args[0];
            case "hashCode" -> System.identityHashCode(proxy);
            case "toString" -> "WhenCompleteOnlyStage@" + Integer.toHexString(System.identityHashCode(proxy));
            default -> {
                try {
                    yield method.invoke(proxy, args);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
            }
        };
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void aStageIsAdoptedAsJavaScriptAdoptsAThenable(Case c) throws IOException, InterruptedException {
        Ctx ctx = new Ctx();
        EventLoop.Builder builder = EventLoop.builder()
                .onUnhandledRejection((p, r) -> ctx.problems.add("unhandled rejection reported: " + r))
                .onTaskError(t -> ctx.problems.add("escaped to the loop: " + t));
        if (c.path() == Via.AWAIT_OFF_LOOP) {
            ctx.loop = builder.start();
            try {
                CompletionStage<Object> stage = c.kind().make(ctx, c.y());
                try {
                    ctx.log.add("fulfilled:" + Async.await(stage));
                } catch (RuntimeException e) {
                    ctx.log.add("rejected:" + e.getMessage());
                }
            } finally {
                ctx.loop.close();
            }
        } else {
            builder.run(() -> {
                ctx.loop = EventLoop.current();
                adopt(c, ctx);
                ticks(ctx);
            });
        }

        List<String> outcomes = ctx.log.stream().filter(e -> !e.matches("t\\d+")).toList();
        assertThat(outcomes).as("outcomes of %s (the A+ outcome, exactly once)", c).containsExactly(c.kind().expected(c.y()));
        assertThat(ctx.problems).as("problems in %s", c).isEmpty();
        if (c.hasJsTwin()) {
            Map<String, List<String>> logs = nodeLogs();
            assumeTrue(!logs.isEmpty(), "node is not installed (not on PATH): the turn comparison with Node is skipped");
            assertThat(ctx.log).as("the log of %s, with the microtask turn of the outcome (Node's is the expectation)", c)
                    .isEqualTo(logs.get(c.toString()));
        }
    }

    private static void ticks(Ctx ctx) {
        Promise<Void> p = Promise.resolve(null);
        for (int i = 1; i <= TICKS; i++) {
            String entry = "t" + i;
            p = p.thenAccept(v -> ctx.log.add(entry));
        }
    }

    private static void adopt(Case c, Ctx ctx) {
        CompletionStage<Object> stage = c.kind().make(ctx, c.y());
        Thread self = Thread.currentThread();
        switch (c.path()) {
            case DEFERRED_RESOLVE -> {
                Deferred<Object> d = Promise.withResolvers();
                ctx.adopting = self;
                d.resolve(stage);
                ctx.adopting = null;
                ctx.deliver(d.promise());
            }
            case PROMISE_FROM -> {
                ctx.adopting = self;
                Promise<Object> p = Promise.from(stage);
                ctx.adopting = null;
                ctx.deliver(p);
            }
            case PROMISE_RESOLVE -> {
                ctx.adopting = self;
                Promise<Object> p = Promise.resolve((Object) stage);
                ctx.adopting = null;
                ctx.deliver(p);
            }
            case THEN_COMPOSE -> ctx.deliver(Promise.resolve(null).thenCompose(v -> {
                ctx.adopting = self;
                Promise<Object> p = Promise.from(stage);
                ctx.adopting = null;
                return p;
            }));
            case AWAIT_IN_BODY -> Async.async(() -> {
                Thread body = Thread.currentThread();
                try {
                    ctx.adopting = body;
                    Object v = Async.await(stage);
                    ctx.adopting = null;
                    ctx.delivered("fulfilled:" + v);
                } catch (RuntimeException e) {
                    ctx.adopting = null;
                    ctx.delivered("rejected:" + e.getMessage());
                }
            });
            case PROMISE_ALL -> {
                ctx.adopting = self;
                Promise<List<Object>> all = Promise.all(Promise.from(stage));
                ctx.adopting = null;
                ctx.deliver(all.then(list -> list.get(0)));
            }
            case RESOLVE_FROM_ANOTHER_THREAD -> {
                Deferred<Object> d = Promise.withResolvers();
                ctx.deliver(d.promise());
                KeepAlive alive = ctx.loop.keepAlive();
                Thread.ofPlatform().start(() -> {
                    ctx.adopting = Thread.currentThread();
                    d.resolve(stage);
                    ctx.adopting = null;
                    alive.close();
                });
            }
            case AWAIT_OFF_LOOP -> throw new AssertionError("not adopted on a loop");
        }
    }
}
