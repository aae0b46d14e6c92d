package dev.eventual.fuzz;

import static dev.eventual.fuzz.LogFormat.describe;
import static dev.eventual.fuzz.LogFormat.show;

import dev.eventual.AggregateException;
import dev.eventual.Async;
import dev.eventual.AwaitException;
import dev.eventual.Deferred;
import dev.eventual.EventLoop;
import dev.eventual.EventLoopClosedException;
import dev.eventual.Promise;
import dev.eventual.Timeout;
import dev.eventual.UnhandledRejectionHandler;
import dev.eventual.fuzz.Link.Handler;
import dev.eventual.fuzz.Link.Outcome;
import dev.eventual.fuzz.PromiseExpr.Adopt;
import dev.eventual.fuzz.PromiseExpr.Chain;
import dev.eventual.fuzz.PromiseExpr.Combine;
import dev.eventual.fuzz.PromiseExpr.Delayed;
import dev.eventual.fuzz.PromiseExpr.Queued;
import dev.eventual.fuzz.PromiseExpr.Ref;
import dev.eventual.fuzz.PromiseExpr.Rejected;
import dev.eventual.fuzz.PromiseExpr.Resolved;
import dev.eventual.fuzz.PromiseExpr.Same;
import dev.eventual.fuzz.Stmt.Settlement;
import dev.eventual.testkit.TestLoop;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a {@link Program} on a new virtual-time {@link TestLoop} on the calling thread, by walking
 * it and calling the real API, and returns its log: the Eventual side of the differential test,
 * the twin of {@link JsRenderer} (same constructs, same evaluation order).
 *
 * <p>Virtual time: the program's statements are the loop's top-level code, then the loop runs
 * until idle, its clock jumping from timer to timer. So the order of its timers depends on their
 * virtual deadlines and the order they were set only, as in Node under
 * {@code node/virtual-timers.js} (see {@link NodeBatch}), never on how long the machine took.
 *
 * <p>The log gets what the JavaScript {@code log} gets, plus {@code unhandled <reason>} and
 * {@code handled later <reason>} from the loop's reports
 * ({@link TestLoop#onUnhandledRejection}), as the Node runner logs its
 * {@code unhandledRejection} and {@code rejectionHandled} events. Anything thrown outside a
 * promise handler (there should be nothing) is logged as {@code crash ...} at the end of the
 * log (the loop collects such errors, see {@link TestLoop#callbackErrors()}), which Node's log
 * never matches.
 *
 * <p>Async functions are {@code Async.async} (or {@code asyncCompose} for a body that returns a
 * promise), awaits {@code Async.await}: a body runs on its own virtual thread while it has the
 * loop's turn (on the default path; with java.lang opened, the loop thread carries it), so it
 * walks its statements with this interpreter's state as the loop's callbacks do. A body still
 * suspended when the run is over (it awaits something that never settles, as Node leaves it) is
 * woken by the loop's close with an EventLoopClosedException, after the log has been taken; a
 * try/catch of the program does not catch that one.
 *
 * <p>{@link #runMisorderingMicrotasks} is a deliberately broken twin, for the shrinker's test
 * ({@code ShrinkerTest}): it runs each {@code queueMicrotask} callback (and each round of a tick
 * chain) as a 0 ms timer instead.
 *
 * <p>One instance per run; all its state is touched on the calling thread (the loop's) only.
 */
final class EventualInterpreter {
    /** A run's log, and its timers on the virtual clock (see {@link TimerSchedule}). */
    record Run(List<String> log, TimerSchedule timers) {}

    private final List<String> log = new ArrayList<>();
    private final TimerSchedule schedule = new TimerSchedule();
    private final Promise<Object>[] slots;
    private final Deferred<Object>[] deferreds;
    /** {@code T} of the JavaScript: the timers set so far, by handle. */
    private final Map<Integer, Timeout> timers = new HashMap<>();
    private final TestLoop test;
    private final EventLoop loop;
    /** The planted fault of {@link #runMisorderingMicrotasks}. */
    private final boolean microtasksAsTimers;

    @SuppressWarnings("unchecked")
    private EventualInterpreter(Program program, TestLoop test, boolean microtasksAsTimers) {
        int count = (int) program.body().stream().filter(s -> s instanceof Stmt.Let || s instanceof Stmt.LetDeferred).count();
        slots = new Promise[count];
        deferreds = new Deferred[count];
        this.test = test;
        this.loop = test.eventLoop();
        this.microtasksAsTimers = microtasksAsTimers;
    }

    static Run run(Program program) {
        return run(program, false);
    }

    /** A wrong run, on purpose: each {@code queueMicrotask} callback runs as a 0 ms timer. */
    static Run runMisorderingMicrotasks(Program program) {
        return run(program, true);
    }

    private static Run run(Program program, boolean microtasksAsTimers) {
        try (TestLoop test = TestLoop.virtualTime()) {
            EventualInterpreter it = new EventualInterpreter(program, test, microtasksAsTimers);
            test.onUnhandledRejection(new UnhandledRejectionHandler() {
                @Override
                public void unhandled(Promise<?> promise, Throwable reason) {
                    it.log.add("unhandled " + describe(reason));
                }

                @Override
                public void handledLater(Promise<?> promise, Throwable reason) {
                    it.log.add("handled later " + describe(reason));
                }
            });
            try {
                it.statements(program.body());
                test.runUntilIdle();
            } catch (RuntimeException | Error e) {
                it.log.add("crash " + e);
            }
            for (Throwable e : test.callbackErrors()) {
                it.log.add("crash " + e);
            }
            return new Run(List.copyOf(it.log), it.schedule);
        }
    }

    private void statements(List<Stmt> body) {
        for (Stmt s : body) {
            statement(s);
        }
    }

    private void statement(Stmt s) {
        switch (s) {
            case Stmt.Log l -> log.add(l.label());
            case Stmt.Let l -> slots[l.slot()] = eval(l.value());
            case Stmt.LetDeferred d -> {
                deferreds[d.slot()] = Promise.withResolvers();
                slots[d.slot()] = deferreds[d.slot()].promise();
            }
            case Stmt.Use u -> eval(u.value());
            case Stmt.Settle st -> {
                Deferred<Object> d = deferreds[st.slot()];
                // try...: JavaScript's resolve functions ignore all calls after the first.
                switch (st.how()) {
                    case Settlement.Fulfil f -> d.tryResolve(f.value());
                    case Settlement.Follow f -> d.tryResolve(eval(f.promise())); // a promise at run time: adopted
                    case Settlement.Reject r -> d.tryReject(new ProgramError(r.message()));
                }
            }
            case Stmt.Microtask m -> queueMicrotask(() -> statements(m.body()));
            case Stmt.Timeout t -> timers.put(t.handle(), setTimeout(t.delay(), () -> statements(t.body())));
            case Stmt.ClearTimeout c -> {
                Timeout timer = timers.get(c.handle());
                if (timer != null) { // JavaScript's clearTimeout(undefined) does nothing
                    loop.clearTimeout(timer);
                }
            }
            case Stmt.Ticks t -> tick(t, 0);
            case Stmt.Await a when a.caught() -> {
                try {
                    awaitAndLog(a.label(), a.value());
                } catch (EventLoopClosedException closing) {
                    throw closing; // the run is over (see run): the body ends, as in Node it never resumes
                } catch (RuntimeException e) {
                    log.add(a.label() + " caught " + describe(reason(e)));
                }
            }
            case Stmt.Await a -> awaitAndLog(a.label(), a.value());
            case Stmt.AwaitLoop l -> {
                for (int i = 0; i < l.count(); i++) {
                    awaitAndLog(l.label() + " " + i, l.bare() ? new Resolved(i) : l.value());
                }
            }
        }
    }

    /** {@code log(label, show(await value))}: in an async body only (Async.await throws elsewhere). */
    private void awaitAndLog(String label, PromiseExpr value) {
        String word = show(Async.await(eval(value)));
        log.add(label + " " + word);
    }

    /** What JavaScript's {@code catch (e)} gets: Async.await wraps a checked reason, never a program's. */
    private static Throwable reason(RuntimeException e) {
        return e instanceof AwaitException a && a.getCause() != null ? a.getCause() : e;
    }

    /** Round {@code i} of {@code ticks(label, count)}: a microtask that logs and queues the next round. */
    private void tick(Stmt.Ticks t, int i) {
        queueMicrotask(() -> {
            log.add(t.label() + " " + i);
            if (i + 1 < t.count()) {
                tick(t, i + 1);
            }
        });
    }

    /** {@code queueMicrotask}, or a 0 ms timer for the planted fault of {@link #runMisorderingMicrotasks}. */
    private void queueMicrotask(Runnable task) {
        if (microtasksAsTimers) {
            setTimeout(0, task);
        } else {
            loop.queueMicrotask(task);
        }
    }

    private Timeout setTimeout(int delay, Runnable callback) {
        schedule.set(delay, test.clock().nowMillis());
        return loop.setTimeout(callback, delay);
    }

    @SuppressWarnings("unchecked")
    private Promise<Object> eval(PromiseExpr e) {
        return switch (e) {
            case Resolved r -> Promise.resolve(r.value());
            case Rejected r -> Promise.reject(new ProgramError(r.message()));
            case Delayed d -> {
                Deferred<Object> deferred = Promise.withResolvers();
                setTimeout(d.delay(), () -> {
                    if (d.message() == null) {
                        deferred.resolve(d.value());
                    } else {
                        deferred.reject(new ProgramError(d.message()));
                    }
                });
                yield deferred.promise();
            }
            case Queued q -> {
                Deferred<Object> deferred = Promise.withResolvers();
                loop.queueMicrotask(() -> {
                    if (q.message() == null) {
                        deferred.resolve(q.value());
                    } else {
                        deferred.reject(new ProgramError(q.message()));
                    }
                });
                yield deferred.promise();
            }
            case PromiseExpr.Async a -> asyncCall(a);
            case Adopt a -> {
                Deferred<Object> deferred = Promise.withResolvers(); // made first, as new Promise(...) is
                deferred.tryResolve(eval(a.inner()));
                yield deferred.promise();
            }
            case Same s -> Promise.resolve((Object) eval(s.inner()));
            case Ref r -> slots[r.slot()];
            case Combine c -> {
                List<Promise<Object>> inputs = new ArrayList<>();
                for (PromiseExpr input : c.inputs()) {
                    inputs.add(eval(input)); // in order, as an array literal
                }
                yield switch (c.kind()) {
                    case ALL -> (Promise<Object>) (Promise<?>) Promise.all(inputs);
                    case ALL_SETTLED -> (Promise<Object>) (Promise<?>) Promise.allSettled(inputs);
                    case ANY -> Promise.any(inputs);
                    case RACE -> Promise.race(inputs);
                };
            }
            case Chain c -> {
                Promise<Object> p = eval(c.source());
                for (Link l : c.links()) {
                    p = link(p, l);
                }
                yield p;
            }
        };
    }

    /**
     * An async function called at once: {@code async} or, for a body that returns a promise,
     * {@code asyncCompose}. The body runs on its own virtual thread with the loop's turn, so it
     * touches this interpreter's state as the loop's callbacks do.
     */
    private Promise<Object> asyncCall(PromiseExpr.Async a) {
        if (a.outcome() instanceof Outcome.Follow f) {
            return Async.asyncCompose(() -> {
                log.add(a.label());
                statements(a.body());
                return eval(f.promise());
            });
        }
        return Async.async(() -> {
            log.add(a.label());
            statements(a.body());
            return switch (a.outcome()) {
                case Outcome.Nothing ignored -> null;
                case Outcome.Value v -> (Object) v.value();
                case Outcome.Throw t -> throw new ProgramError(t.message());
                default -> throw new IllegalStateException("Normalizer lets an async body end with nothing, a value, a throw"
                        + " or a promise: " + a);
            };
        });
    }

    @SuppressWarnings("unchecked")
    private Promise<Object> link(Promise<Object> p, Link l) {
        return switch (l) {
            case Link.Then t -> switch (t.onFulfilled().outcome()) {
                case Outcome.Nothing ignored -> (Promise<Object>) (Promise<?>) p.thenAccept(v -> call(t.onFulfilled(), show(v), v));
                case Outcome.Follow f -> p.thenCompose(v -> {
                    enter(t.onFulfilled(), show(v));
                    return eval(f.promise());
                });
                default -> p.then(v -> call(t.onFulfilled(), show(v), v));
            };
            case Link.ThenBoth t -> p.then(v -> call(t.onFulfilled(), show(v), v), e -> call(t.onRejected(), describe(e), e));
            case Link.Catch c -> c.aggregateOnly()
                    ? p.caught(AggregateException.class, e -> call(c.onRejected(), describe(e), e))
                    : p.caught(e -> call(c.onRejected(), describe(e), e));
            case Link.Finally f -> p.lastly(() -> call(f.onSettled(), null, null));
        };
    }

    /** Logs the handler's label and what it received ({@code word}; none for finally), runs its body. */
    private void enter(Handler h, String word) {
        log.add(word == null ? h.label() : h.label() + " " + word);
        statements(h.body());
    }

    /** Runs a handler that does not return a promise; {@code arg} is what it received. */
    private Object call(Handler h, String word, Object arg) {
        enter(h, word);
        return switch (h.outcome()) {
            case Outcome.Nothing ignored -> null;
            case Outcome.Value v -> v.value();
            case Outcome.Arg ignored -> arg;
            case Outcome.Throw t -> throw new ProgramError(t.message());
            case Outcome.Follow ignored -> throw new IllegalStateException("Normalizer lets only then-handlers return a promise: " + h);
        };
    }
}
