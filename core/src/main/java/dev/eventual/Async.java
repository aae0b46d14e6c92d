package dev.eventual;

import dev.eventual.internal.AsyncBody;
import dev.eventual.internal.StageBridge;
import dev.eventual.internal.EventLoopImpl;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

/**
 * JavaScript's {@code async}/{@code await} ({@linkplain dev.eventual##rule-8 rule 8}): sequential
 * code that waits for promises without blocking its event loop.
 *
 * <p>JavaScript:
 * <pre>{@code
 * async function load(id) {
 *   const user = await get(`/users/${id}`);
 *   try {
 *     return user + await get(`/pets/${id}`);
 *   } catch (e) {
 *     return user;
 *   }
 * }
 * }</pre>
 * Eventual ({@code import static dev.eventual.Async.*;}):
 * <pre>{@code
 * Promise<String> load(int id) {
 *     return async(() -> {
 *         String user = await(get("/users/" + id));
 *         try {
 *             return user + await(get("/pets/" + id));
 *         } catch (RuntimeException e) {
 *             return user;
 *         }
 *     });
 * }
 * }</pre>
 *
 * <h2>Threading</h2>
 * An async body runs on its own virtual thread but never at the same time as its loop's callbacks
 * or as another body of the same loop: the loop thread and the loop's bodies take turns, exactly
 * one of them runs at a time, and each turn happens-before the next. So code in a body needs no
 * locks to touch state that the loop's callbacks and other bodies touch, as in JavaScript. Inside
 * a body everything behaves as on the loop thread: {@link EventLoop#current()} is the body's loop,
 * {@link EventLoop#inEventLoop()} is true, handlers run as microtasks of that loop,
 * {@link EventLoop#queueMicrotask} is allowed. Only {@code Thread.currentThread()} tells the
 * difference (the body's thread is named {@code <loop name>/async}). Like a callback, a body that
 * blocks (sleeps, does blocking I/O, spins) holds its loop for that long: await instead. A body's
 * thread knows its loop through the uncaught-exception handler Eventual gives it (no thread-local,
 * which would add to every suspended body's memory): code in a body must not replace its own
 * thread's handler, or {@link EventLoop#current()} and {@code await} no longer see a loop there.
 *
 * <p>Who carries a body's virtual thread: by default the JVM's virtual-thread scheduler (a loop
 * whose turn a body has waits while that scheduler has no carrier free for it, and each
 * {@code await} hands the turn between two OS threads and back). When the JVM runs with
 * {@code --add-opens java.base/java.lang=ALL-UNNAMED} (or {@code =dev.eventual} on the module
 * path), detected at run time, a loop whose thread is a platform thread carries its bodies
 * itself: a body runs on the loop thread, and {@code await} resumes it inside the microtask, with
 * no other OS thread involved; {@code -Ddev.eventual.async.mount=false} turns that off. Either way
 * the rules above hold. On that fast path a body that blocks blocks the loop thread itself, and a
 * body that awaits where its virtual thread cannot unmount (inside a native frame or a class
 * initializer) blocks it for good; the blocked-loop watchdog reports both.
 *
 * <h2>Order</h2>
 * As in JavaScript: {@code async} runs the body at once, inside the call, until its first
 * {@code await} (or its end), and only then returns the promise. {@code await(p)} suspends the
 * body alone (the loop goes on with everything else) and resumes it as a microtask after
 * {@code p} settles, in the turn a {@code p.then(...)} registered at that point would take; on an
 * already settled promise it still waits for one microtask turn, as {@code await value} does.
 *
 * <h2>Failures</h2>
 * What the body throws rejects its promise, with that exception, unwrapped (an
 * {@link AwaitException} escaping a body rejects it with the original reason it carries); a body
 * that throws before its first await still returns a rejected promise, it does not throw from
 * {@code async}. {@code await} throws the rejection reason itself when it is unchecked, and an
 * {@link AwaitException} holding it when it is checked (see there why).
 *
 * <h2>Close</h2>
 * If the loop closes while a body is suspended, the body's {@code await} throws
 * {@link EventLoopClosedException}: its {@code catch} and {@code finally} blocks run (on the closing
 * loop's turn, one body at a time), every later {@code await} throws the same at once, and the
 * body's thread ends; its promise rejects with that exception. A suspended body does not keep
 * its loop alive by itself (what it awaits may, like a timer), as in Node; but the loop keeps it
 * reachable until it ends, so that closing can end it: a body suspended on a promise nobody will
 * settle is collected only after its loop has closed.
 *
 * <h2>Cancellation</h2>
 * {@link Promise#cancel() Cancelling} a body's promise rejects it with a
 * {@link java.util.concurrent.CancellationException} and stops the body at its {@code await}: a
 * body suspended in {@code await} resumes (as a microtask) with that exception thrown, and the
 * promise it awaited loses it as a consumer (so a timer only it awaited is cleared); a body that
 * is running throws it at its next {@code await}. From then on every {@code await} of the body
 * throws it at once, so a body that catches it still ends; its {@code finally} blocks run. Code
 * between awaits is not interrupted, as in JavaScript.
 *
 * <h2>Nulls</h2>
 * Bodies and promises must not be {@code null} ({@link NullPointerException} naming the
 * parameter). Values may be {@code null}.
 */
public final class Async {
    private Async() {}

    /**
     * The body of an async function that returns nothing: a {@link Runnable} that may throw checked
     * exceptions.
     */
    @FunctionalInterface
    public interface ThrowingRunnable {
        /**
         * Runs the body.
         *
         * @throws Exception anything; it rejects the body's promise
         */
        void run() throws Exception;
    }

    /**
     * Returns a promise of {@code body}'s result: JavaScript's {@code async () => { ... }}, called
     * at once. The body runs on a new virtual thread of the current loop, inside this call, until
     * its first {@link #await} or its end (see the class javadoc for the threading and the order).
     * The promise, of the current loop, fulfils with what the body returns (as it is: a returned
     * promise is a value here; write {@code return await(p)} to return its value, or use
     * {@link #asyncCompose(Callable)} to follow it as JavaScript's {@code return p} does) or rejects with
     * what the body throws, unwrapped.
     *
     * @param body the code; may call {@link #await}; must not be null
     * @param <T> the type of the result
     * @return a promise of the result, already settled if the body did not await
     * @throws IllegalStateException if the calling thread runs no event loop (use
     *     {@link #async(EventLoop, Callable)} there)
     */
    public static <T> Promise<T> async(Callable<? extends T> body) {
        Objects.requireNonNull(body, "body");
        return AsyncBody.start(requireLoop(), body);
    }

    /**
     * {@link #async(Callable)} for a body that returns nothing: the promise fulfils with
     * {@code null} when the body ends.
     *
     * @param body the code; must not be null
     * @return a promise that fulfils when the body ends, or rejects with what it throws
     * @throws IllegalStateException if the calling thread runs no event loop
     */
    public static Promise<Void> async(ThrowingRunnable body) {
        Objects.requireNonNull(body, "body");
        return AsyncBody.start(requireLoop(), body);
    }

    /**
     * {@link #async(Callable)} on a given loop, from any thread. On that loop's thread (or in one of
     * its bodies) it is exactly {@code async(body)}; from another thread the body starts as a task
     * of the loop, after the tasks already queued, and this method returns at once.
     *
     * <p>Unhandled rejections: from another thread, the returned promise's rejection counts as
     * unhandled only if no handler was attached to it when it becomes unreachable or when the
     * loop closes, since the caller attaches its handler from its own thread, after the loop's
     * checkpoint as likely as not (as {@link EventLoop#submit} says in full). On the loop's
     * thread the usual rule holds: reported at the end of the checkpoint.
     *
     * @param loop the loop whose turn the body takes; must not be null
     * @param body the code; must not be null
     * @param <T> the type of the result
     * @return a promise of the result, of {@code loop}
     * @throws java.util.concurrent.RejectedExecutionException from another thread, if the loop is
     *     closed
     */
    public static <T> Promise<T> async(EventLoop loop, Callable<? extends T> body) {
        Objects.requireNonNull(body, "body");
        return AsyncBody.start(asLoop(loop), body);
    }

    /**
     * {@link #async(EventLoop, Callable)} for a body that returns nothing.
     *
     * @param loop the loop whose turn the body takes; must not be null
     * @param body the code; must not be null
     * @return a promise that fulfils with {@code null} when the body ends, of {@code loop}
     */
    public static Promise<Void> async(EventLoop loop, ThrowingRunnable body) {
        Objects.requireNonNull(body, "body");
        return AsyncBody.start(asLoop(loop), body);
    }

    /**
     * {@link #async(Callable)} for a body that returns a promise, which the result follows:
     * JavaScript's {@code return p} in an async function, with its turns (the result adopts
     * {@code p} as any resolve does: its handlers run two microtask turns after {@code p}'s would),
     * without a {@code Promise<Promise<T>>} type. {@code return await(p)} gives the same outcome
     * and, as in JavaScript, different timing. What the body throws rejects the result, as with
     * {@code async}; a body that returns {@code null} rejects it with a
     * {@link NullPointerException}. {@link Promise#cancel() Cancelling} the result stops the body
     * at its {@code await} while it runs, and, once it has returned, cancels the promise it
     * returned unless another consumer still needs it.
     *
     * <pre>{@code
     * Promise<User> user = asyncCompose(() -> {
     *     if (cache.has(id)) return Promise.resolve(cache.get(id));
     *     var token = await(login());
     *     return fetchUser(token, id);            // followed, not awaited
     * });
     * }</pre>
     *
     * @param body the code; may call {@link #await}; returns the promise to follow; must not be null
     * @param <T> the type of the result
     * @return a promise that follows what the body returns, of the current loop
     * @throws IllegalStateException if the calling thread runs no event loop (use
     *     {@link #asyncCompose(EventLoop, Callable)} there)
     */
    public static <T> Promise<T> asyncCompose(Callable<? extends Promise<? extends T>> body) {
        Objects.requireNonNull(body, "body");
        return AsyncBody.startCompose(requireLoop(), body);
    }

    /**
     * {@link #asyncCompose(Callable)} on a given loop, from any thread, as
     * {@link #async(EventLoop, Callable)} is to {@link #async(Callable)}.
     *
     * @param loop the loop whose turn the body takes; must not be null
     * @param body the code; returns the promise to follow; must not be null
     * @param <T> the type of the result
     * @return a promise that follows what the body returns, of {@code loop}
     * @throws java.util.concurrent.RejectedExecutionException from another thread, if the loop is
     *     closed
     */
    public static <T> Promise<T> asyncCompose(EventLoop loop, Callable<? extends Promise<? extends T>> body) {
        Objects.requireNonNull(body, "body");
        return AsyncBody.startCompose(asLoop(loop), body);
    }

    /**
     * Returns {@code promise}'s value once it fulfils: JavaScript's {@code await promise}. What it
     * does depends on the calling thread:
     * <ul>
     *   <li><b>In an async body</b>: suspends this body only; the loop goes on running callbacks
     *       and other bodies. The body resumes as a microtask of its loop after the promise
     *       settles (one microtask turn at least, even if it is already settled), on its own
     *       thread, with the loop's turn. A promise of another loop is waited for the same way and
     *       keeps the body's loop alive until it settles.</li>
     *   <li><b>On an event loop thread outside a body</b> (in a handler, a task, a timer): fails
     *       at once with an {@link IllegalStateException}. Waiting there would block the loop,
     *       and the promise could never settle. Wrap the code in {@link #async(Callable)}, or
     *       register a handler ({@code promise.then(...)}).</li>
     *   <li><b>On any other thread</b> (a {@code main} method, a test, a worker): blocks the
     *       thread until the promise settles.</li>
     * </ul>
     *
     * @param promise the promise to wait for; must not be null
     * @param <T> the type of the value
     * @return the value (may be {@code null})
     * @throws RuntimeException the rejection reason itself, when it is a {@code RuntimeException}
     *     (an {@link EventLoopClosedException} if the promise's loop, or the body's, closes first)
     * @throws Error the rejection reason itself, when it is an {@code Error}
     * @throws AwaitException when the reason is a checked exception, which is its cause; also,
     *     when a thread blocked outside any loop is interrupted (cause:
     *     {@link InterruptedException}; the thread's interrupt status is set again)
     * @throws IllegalStateException on an event loop thread outside an async body
     */
    @SuppressWarnings("unchecked")
    public static <T> T await(Promise<T> promise) {
        Objects.requireNonNull(promise, "promise");
        AsyncBody<?> body = AsyncBody.ofThisThread();
        if (body == null) {
            EventLoopImpl loop = EventLoopImpl.current();
            if (loop == null) {
                return block(promise.toCompletableFuture());
            }
            throw outsideBody(loop);
        }
        try {
            return (T) body.awaitValue(promise);
        } catch (RuntimeException | Error unchecked) {
            throw unchecked;
        } catch (Throwable checked) {
            throw new AwaitException(checked);
        }
    }

    /**
     * {@link #await(Promise)} that {@code signal} can stop: returns the value if {@code promise}
     * fulfils first; if the signal aborts first (or already has), throws its reason as
     * {@code await} throws a rejection reason (an unchecked one as it is, a checked one in an
     * {@link AwaitException}), and {@code promise} loses this consumer: it is cancelled unless
     * another consumer still needs it ({@linkplain dev.eventual##rule-6 rule 6}). It is
     * {@code await(promise.withSignal(signal))}.
     *
     * @param promise the promise to wait for; must not be null
     * @param signal stops the wait; must not be null
     * @param <T> the type of the value
     * @return the value
     * @throws RuntimeException see {@link #await(Promise)}
     */
    public static <T> T await(Promise<T> promise, AbortSignal signal) {
        Objects.requireNonNull(promise, "promise");
        Objects.requireNonNull(signal, "signal");
        return await(promise.withSignal(signal));
    }

    /**
     * {@link #await(Promise)} for a {@link CompletionStage} ({@code CompletableFuture}, an HTTP
     * client's response, ...), JavaScript's {@code await thenable}: in a body it awaits
     * {@code Promise.from(stage)}, whose outcome is delivered on the body's loop whatever thread
     * completes the stage; so the body resumes one microtask turn later than for a promise (two
     * turns on a stage already complete), as in JavaScript. A stage that completes with a promise
     * or another stage is followed in turn, and only its first callback counts (Promises/A+
     * 2.3.3.3). On a thread that runs no loop it blocks until what the stage gives is known,
     * following it in the same way, and registering on the stage with {@code whenComplete} only
     * (a stage may refuse {@code toCompletableFuture()}). A {@link CompletionException} is
     * unwrapped to its cause.
     *
     * @param stage the stage to wait for; must not be null
     * @param <T> the type of the value
     * @return the value
     * @throws RuntimeException see {@link #await(Promise)}
     */
    @SuppressWarnings("unchecked")
    public static <T> T await(CompletionStage<T> stage) {
        Objects.requireNonNull(stage, "stage");
        EventLoopImpl loop = EventLoopImpl.current();
        if (loop == null) {
            return (T) block(StageBridge.followOffLoop(stage));
        }
        if (AsyncBody.ofThisThread() == null) {
            throw outsideBody(loop);
        }
        return await(loop.<T>from(stage));
    }

    /**
     * Returns {@code source} as an {@link Iterable} for a plain for-each loop in an async body,
     * each step an {@code await} of the next item: JavaScript's {@code for await (const x of source)}.
     * Write it inside try-with-resources, so that leaving the loop early ({@code break},
     * {@code return}, an exception) closes the source, as {@code for await} calls
     * {@code return()}:
     * <pre>{@code
     * try (var chunks = Async.iterate(response.chunks())) {
     *     for (ByteBuffer chunk : chunks) { ... }
     * }
     * }</pre>
     * See {@link AsyncIteration} for why this shape, the order and the failures. This call itself
     * reads nothing.
     *
     * @param source the source to read; must not be null
     * @param <T> the type of the items
     * @return an iterable over the source's items, to be iterated once, that closes the source
     *     when closed
     */
    public static <T> AsyncIteration<T> iterate(AsyncIterator<T> source) {
        return new AsyncIteration<>(source);
    }

    private static EventLoopImpl requireLoop() {
        EventLoopImpl loop = EventLoopImpl.current();
        if (loop == null) {
            throw new IllegalStateException("Async.async needs an event loop, but thread '"
                    + Thread.currentThread().getName() + "' runs none. Call it inside EventLoop.run(...), a callback"
                    + " of a loop or another async body, or name the loop: Async.async(loop, body)");
        }
        return loop;
    }

    private static EventLoopImpl asLoop(EventLoop loop) {
        Objects.requireNonNull(loop, "loop");
        if (!(loop instanceof EventLoopImpl l)) {
            throw new IllegalArgumentException("not an event loop made by EventLoop.run/start/builder: " + loop);
        }
        return l;
    }

    private static IllegalStateException outsideBody(EventLoopImpl loop) {
        return new IllegalStateException("await(...) called on the thread of event loop '" + loop.name()
                + "' outside an async body: waiting here would block the loop forever, since the promise can only"
                + " settle after the current callback returns. Put the code in an async body, which the loop"
                + " suspends and resumes: async(() -> { var value = await(promise); ... }), or register a handler:"
                + " promise.then(value -> ...)");
    }

    /** Off any loop: blocks for the outcome; the reason is thrown as await throws it in a body. */
    private static <T> T block(CompletableFuture<T> future) {
        try {
            return future.get();
        } catch (ExecutionException e) {
            throw rethrow(unwrap(e.getCause()));
        } catch (CompletionException e) {
            throw rethrow(unwrap(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AwaitException(e);
        }
    }

    private static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static RuntimeException rethrow(Throwable reason) {
        if (reason instanceof RuntimeException r) {
            return r;
        }
        if (reason instanceof Error e) {
            throw e;
        }
        return new AwaitException(reason);
    }
}
