package dev.eventual.soak;

import static dev.eventual.Async.async;
import static dev.eventual.Async.await;

import dev.eventual.AsyncLocal;
import dev.eventual.Deferred;
import dev.eventual.EventLoop;
import dev.eventual.Promise;
import dev.eventual.Timeout;
import dev.eventual.UnhandledRejectionHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The operations of {@link FlatHeapSoak}: ten kinds that together touch every part of the core a
 * long-running program uses, each started from a producer thread and ending with exactly one call
 * of its {@code done}. Every kind checks its own outcome and counts what it expected (rejections
 * reported unhandled or handled later, errors sent to the task error handler), so the soak can
 * compare expected with observed at the end: nothing lost, nothing extra.
 *
 * <ol start="0">
 *   <li>a chain of 1 to 5 {@code then}/{@code thenCompose}/{@code caught} links on a promise
 *       settled from the producer thread or by a task;</li>
 *   <li>a timeout of 0 to 2 ms set by a task;</li>
 *   <li>{@code all}/{@code allSettled}/{@code any}/{@code race} over 1 to 8 inputs settled by
 *       timers, microtasks, at once, or rejected;</li>
 *   <li>an async body that awaits a timer, a settled promise and (one in seven) a rejection it
 *       catches;</li>
 *   <li>a rejection left unhandled, handled a timer later, or handled at once;</li>
 *   <li>a {@code toCompletableFuture()} of a derived promise, completed on the loop;</li>
 *   <li>an interval that cancels itself after three runs;</li>
 *   <li>a timeout cancelled by a microtask (it must never run) and an {@link AsyncLocal} value
 *       that must reach a handler registered inside a task handed over from the producer;</li>
 *   <li>a pending promise with a handler, abandoned (garbage the GC must be able to take), and
 *       {@code loop.from} of a {@code CompletableFuture} completed on the producer thread;</li>
 *   <li>a microtask that throws (to the task error handler), then one that carries on.</li>
 * </ol>
 */
final class MixedWork {
    static final int KINDS = 10;
    private static final AsyncLocal<Integer> REQUEST = AsyncLocal.named("soak-request");

    /** A failure the soak throws on purpose; no stack trace, it is not a bug. */
    static final class Expected extends RuntimeException {
        Expected(String message) {
            super(message, null, false, false);
        }
    }

    private final EventLoop loop;
    final AtomicLong expectedTaskErrors = new AtomicLong();
    final AtomicLong taskErrors = new AtomicLong();
    final AtomicLong expectedUnhandled = new AtomicLong();
    final AtomicLong unhandled = new AtomicLong();
    final AtomicLong expectedHandledLater = new AtomicLong();
    final AtomicLong handledLater = new AtomicLong();
    /** Outcomes that contradict the contract: a wrong value, a cancelled timer that ran, ... */
    final AtomicLong anomalies = new AtomicLong();
    private final Queue<String> firstAnomalies = new ConcurrentLinkedQueue<>();

    MixedWork(EventLoop.Builder builder) {
        this.loop = builder
                .onTaskError(error -> {
                    taskErrors.incrementAndGet();
                    if (!(error instanceof Expected)) {
                        anomaly("unexpected task error: " + error);
                    }
                })
                .onUnhandledRejection(new UnhandledRejectionHandler() {
                    @Override
                    public void unhandled(Promise<?> promise, Throwable reason) {
                        unhandled.incrementAndGet();
                    }

                    @Override
                    public void handledLater(Promise<?> promise, Throwable reason) {
                        handledLater.incrementAndGet();
                    }
                })
                .start();
    }

    EventLoop loop() {
        return loop;
    }

    List<String> firstAnomalies() {
        return List.copyOf(firstAnomalies);
    }

    private void anomaly(String what) {
        if (anomalies.incrementAndGet() <= 10) {
            firstAnomalies.add(what); // the first ten, to print
        }
    }

    /** Starts one operation of {@code kind} with parameter {@code x} (0 to 999,999); calls {@code done} once. */
    void start(int kind, int x, Runnable done) {
        switch (kind) {
            case 0 -> chain(x, done);
            case 1 -> loop.execute(() -> loop.setTimeout(done, x % 3));
            case 2 -> loop.execute(() -> combinator(x, done));
            case 3 -> asyncBody(x, done);
            case 4 -> loop.execute(() -> rejection(x, done));
            case 5 -> future(x, done);
            case 6 -> loop.execute(() -> interval(done));
            case 7 -> REQUEST.run(x, () -> loop.execute(() -> cancelledTimerAndContext(x, done)));
            case 8 -> abandonedAndInterop(x, done);
            default -> loop.execute(() -> {
                expectedTaskErrors.incrementAndGet();
                loop.queueMicrotask(() -> { throw new Expected("microtask"); });
                loop.queueMicrotask(done);
            });
        }
    }

    private void chain(int x, Runnable done) {
        Deferred<Integer> d = loop.withResolvers();
        Promise<Integer> p = d.promise();
        int links = 1 + x % 5;
        for (int i = 0; i < links; i++) {
            p = switch ((x + i) % 3) {
                case 0 -> p.then(v -> v + 1);
                case 1 -> p.thenCompose(v -> Promise.resolve(v + 1));
                default -> p.then(v -> {
                    if (v % 2 == 0) {
                        throw new Expected("recovered below");
                    }
                    return v + 1;
                }).caught(e -> -1).then(v -> v == -1 ? -2 : v); // -2 marks the recovered path
            };
        }
        int[] expected = {x};
        for (int i = 0; i < links; i++) {
            int v = expected[0];
            expected[0] = switch ((x + i) % 3) {
                case 0, 1 -> v + 1;
                default -> v % 2 == 0 ? -2 : v + 1;
            };
        }
        p.asCallback((error, value) -> {
            if (error != null || value != expected[0]) {
                anomaly("chain " + x + ": " + error + " / " + value + " instead of " + expected[0]);
            }
            done.run();
        });
        if (x % 2 == 0) {
            d.resolve(x);
        } else {
            loop.execute(() -> d.resolve(x));
        }
    }

    private void combinator(int x, Runnable done) {
        int n = 1 + x % 8;
        List<Promise<Integer>> inputs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Deferred<Integer> d = loop.withResolvers();
            int value = i;
            switch ((x + i) % 4) {
                case 0 -> loop.setTimeout(() -> d.resolve(value), i % 3);
                case 1 -> loop.queueMicrotask(() -> d.resolve(value));
                case 2 -> d.resolve(value);
                default -> loop.setTimeout(() -> d.reject(new Expected("input " + value)), 1);
            }
            inputs.add(d.promise());
        }
        Promise<?> combined = switch (x % 4) {
            case 0 -> Promise.all(inputs);
            case 1 -> Promise.allSettled(inputs);
            case 2 -> Promise.any(inputs);
            default -> Promise.race(inputs);
        };
        combined.asCallback((error, value) -> done.run());
    }

    private void asyncBody(int x, Runnable done) {
        async(loop, () -> {
            Deferred<Integer> timer = Promise.withResolvers();
            EventLoop.current().setTimeout(() -> timer.resolve(x), 1);
            int a = await(timer.promise());
            int b = await(Promise.resolve(a + 1));
            if (x % 7 == 0) {
                try {
                    await(Promise.reject(new Expected("awaited")));
                } catch (Expected e) {
                    b++;
                }
            } else {
                b++;
            }
            return b;
        }).asCallback((error, value) -> {
            if (error != null || value != x + 2) {
                anomaly("async body " + x + ": " + error + " / " + value);
            }
            done.run();
        });
    }

    private void rejection(int x, Runnable done) {
        switch (x % 3) {
            case 0 -> {
                expectedUnhandled.incrementAndGet();
                Promise.reject(new Expected("unhandled"));
                done.run();
            }
            case 1 -> {
                expectedUnhandled.incrementAndGet();
                expectedHandledLater.incrementAndGet();
                Promise<Object> p = Promise.reject(new Expected("handled later"));
                loop.setTimeout(() -> {
                    p.caught(e -> null);
                    done.run();
                }, 1);
            }
            default -> Promise.reject(new Expected("handled")).caught(e -> null).lastly(done);
        }
    }

    private void future(int x, Runnable done) {
        Deferred<Integer> d = loop.withResolvers();
        CompletableFuture<Integer> f = d.promise().then(v -> v * 2).toCompletableFuture();
        f.whenComplete((value, error) -> {
            if (error != null || value != 2 * x) {
                anomaly("future " + x + ": " + error + " / " + value);
            }
            done.run();
        });
        loop.execute(() -> d.resolve(x));
    }

    private void interval(Runnable done) {
        int[] runs = {0};
        Timeout[] timer = new Timeout[1];
        timer[0] = loop.setInterval(() -> {
            if (++runs[0] == 3) {
                timer[0].cancel();
                done.run();
            } else if (runs[0] > 3) {
                anomaly("an interval ran after it was cancelled");
            }
        }, 1);
    }

    private void cancelledTimerAndContext(int x, Runnable done) {
        Timeout never = loop.setTimeout(() -> anomaly("a cancelled timeout ran"), 5);
        loop.queueMicrotask(never::cancel);
        Promise.resolve(x).then(v -> {
            Integer bound = REQUEST.get();
            if (bound == null || bound != x) {
                anomaly("AsyncLocal lost: " + bound + " instead of " + x);
            }
            return v;
        }).lastly(done);
    }

    private void abandonedAndInterop(int x, Runnable done) {
        loop.<Integer>withResolvers().promise().then(v -> v + x); // never settles; must be collectable
        CompletableFuture<Integer> stage = new CompletableFuture<>();
        loop.from(stage).asCallback((error, value) -> {
            if (error != null || value != x) {
                anomaly("from(stage) " + x + ": " + error + " / " + value);
            }
            done.run();
        });
        stage.complete(x); // on the producer thread
    }
}
