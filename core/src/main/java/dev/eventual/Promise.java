package dev.eventual;

import dev.eventual.internal.All;
import dev.eventual.internal.AllSettled;
import dev.eventual.internal.Any;
import dev.eventual.internal.Attempt;
import dev.eventual.internal.Delay;
import dev.eventual.internal.StageBridge;
import dev.eventual.internal.EventLoopImpl;
import dev.eventual.internal.MapConcurrently;
import dev.eventual.internal.Race;
import dev.eventual.internal.Retry;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The eventual result of an asynchronous operation: JavaScript's {@code Promise}, for Java.
 *
 * <p>A promise is pending, then settles once: fulfilled with a value or rejected with a reason
 * (a {@link Throwable}). A {@code Promise<T>} is not a {@code T}: to use the value, register a
 * handler with {@link #then then}, {@link #thenAccept thenAccept}, {@link #thenCompose
 * thenCompose}, {@link #caught caught}, {@link #lastly lastly} or {@link #asCallback asCallback}.
 * There is deliberately no blocking {@code get()}: see {@link #toCompletableFuture()} for code
 * that must block outside a loop.
 *
 * <h2>Threading</h2>
 * Every promise belongs to one {@link EventLoop}, fixed at creation: the loop of the creating
 * thread, or the one named explicitly. Every handler runs on that loop's thread, one at a time,
 * never concurrently with another callback of that loop, and never inside the call that
 * registers it or the call that settles the promise: it runs as a <em>microtask</em>, after the
 * current callback returns and before the loop takes its next task or timer (Promises/A+ 2.2.4).
 * Handlers of one promise run in the order they were registered, however many (a million on one
 * promise run in one checkpoint, without deep recursion). The promise a handler method
 * returns belongs to the same loop. All methods are thread-safe; a handler registered from
 * another thread still runs on the promise's loop.
 *
 * <h2>Failures</h2>
 * A handler that throws rejects the derived promise with that same exception, unwrapped; the
 * loop keeps running and the other handlers of the promise still run. An {@link Error} thrown by a
 * handler (an {@code AssertionError}, a {@code StackOverflowError}, ...) is such an exception
 * too. A rejection that reaches no handler by the end of the microtask
 * checkpoint is reported per the loop's {@link UnhandledRejectionPolicy}. If the loop closes
 * while a promise is pending, the promise is rejected with {@link EventLoopClosedException}
 * and its handlers do not run (there is no thread left to run them on).
 *
 * <h2>Adoption</h2>
 * Resolving a promise with another promise (or a {@link CompletionStage}) makes it follow that
 * one, as in JavaScript; following a promise takes two microtask turns, so orderings match
 * Node's. A {@code CompletionStage} is adopted as JavaScript adopts a thenable: its
 * {@code whenComplete} is called in a microtask (never inside the resolving call), so a stage
 * already complete takes one turn; its callback's first call wins, later calls and a throw after
 * it are ignored (Promises/A+ 2.3.3.3). The package documentation counts the turns of each kind.
 * The promise returned by a {@link #thenCompose thenCompose} handler is followed the
 * same way. Resolving a promise with itself (directly, or through a stage it adopts) rejects it with a
 * {@link ChainingCycleException} (JavaScript's {@code TypeError}).
 * Unlike JavaScript, the value returned by a {@code then} or {@code caught} handler is never
 * followed, even if it is a promise: it is the value, so that a {@code Promise<R>} always holds
 * an {@code R} (write {@code thenCompose} to follow a returned promise).
 *
 * <h2>Cancellation</h2>
 * {@link #cancel()} rejects a pending promise with a {@link CancellationException} and tells its
 * producer ({@linkplain dev.eventual##rule-6 rule 6}): a {@link #delay delay}'s timer is cleared, a
 * {@link #from(CompletionStage) from(future)}'s future is cancelled, an {@link Async#async async}
 * body's {@code await} throws, a
 * {@link #timeout timeout}'s timer is cleared, a combinator's inputs and a {@link #retry retry}'s
 * attempt are released. A promise derived from another ({@code then}, {@code caught},
 * {@code timeout}, a combinator's result, an {@code await}ing body, ...) is one of its
 * <em>consumers</em>; cancelling it cancels the source too, but only when no other consumer
 * (a handler, a derived promise, an {@code await}, a combinator that has not settled, a
 * {@code toCompletableFuture()} not yet done) still needs it. Consumers are counted when the
 * cancellation reaches the source: holding a promise in a variable without a handler does not
 * count. A promise made by {@link #withResolvers()} has no producer to tell: its holder settles
 * it, and cancelling it only rejects it (a later {@code resolve} then returns {@code false}).
 * For abort signals, see {@link AbortSignal}.
 *
 * <h2>Nulls</h2>
 * {@code null} is a valid value. Handlers, reasons and inputs must not be {@code null}: a
 * {@code null} fails at the call with a {@link NullPointerException} that names the parameter.
 *
 * <h2>Names</h2>
 * Java reserves {@code catch} and {@code finally}; Eventual uses {@code caught} and
 * {@code lastly} (Bluebird's names for the same methods). JavaScript's single {@code then} is
 * split by what the handler returns: {@code then} (a value), {@code thenCompose} (a promise) and
 * {@code thenAccept} (nothing); a rejection handler that returns a promise is
 * {@code caughtCompose}, and both handlers returning promises {@code thenCompose(f, r)}.
 * JavaScript's {@code Promise.try} is {@link #attempt attempt}
 * (Bluebird's alias), with {@link #attemptCompose attemptCompose} for a function that returns a
 * promise.
 *
 * @param <T> the type of the value
 */
public interface Promise<T> {

    /** The state of a promise. Settled states are final. */
    enum State {
        /** Not settled yet (possibly following another promise). */
        PENDING,
        /** Settled with a value. */
        FULFILLED,
        /** Settled with a reason. */
        REJECTED
    }

    // ---------------------------------------------------------------- factories

    /**
     * Returns a promise fulfilled with {@code value}, on the current thread's loop. When
     * {@code value} is a promise of that loop it is returned as it is; when it is another promise
     * or a {@link CompletionStage}, the result follows it (JavaScript's {@code Promise.resolve}).
     *
     * @param value the value; may be {@code null}
     * @param <T> the type of the value
     * @return a fulfilled (or following) promise
     * @throws IllegalStateException if the calling thread runs no event loop; use
     *     {@link EventLoop#resolved(Object)} there
     */
    static <T> Promise<T> resolve(T value) {
        return EventLoopImpl.require("Promise.resolve").resolved(value);
    }

    /**
     * Returns a promise rejected with {@code reason}, on the current thread's loop.
     *
     * @param reason the exception; must not be null
     * @param <T> the type the promise would have had
     * @return a rejected promise
     * @throws IllegalStateException if the calling thread runs no event loop; use
     *     {@link EventLoop#rejected(Throwable)} there
     */
    static <T> Promise<T> reject(Throwable reason) {
        return EventLoopImpl.require("Promise.reject").rejected(reason);
    }

    /**
     * Returns a new pending promise of the current thread's loop with its resolving functions
     * (JavaScript's {@code Promise.withResolvers()}).
     *
     * @param <T> the type of the value
     * @return a pending promise's deferred
     * @throws IllegalStateException if the calling thread runs no event loop; use
     *     {@link EventLoop#withResolvers()} there
     */
    static <T> Deferred<T> withResolvers() {
        return EventLoopImpl.require("Promise.withResolvers").withResolvers();
    }

    /**
     * Returns a promise of the current thread's loop that settles as {@code stage} completes.
     * The outcome is delivered on the loop, whatever thread completes the stage; a
     * {@link java.util.concurrent.CompletionException} is unwrapped to its cause. Until the stage
     * completes, it keeps the loop alive ({@linkplain dev.eventual##rule-7 rule 7}).
     * {@link #cancel() Cancelling} the promise cancels the stage when it is a
     * {@link java.util.concurrent.Future} ({@code cancel(true)}: a
     * {@code CompletableFuture} then reports {@code isCancelled()}) and stops keeping the loop alive
     * at once, whatever the stage.
     *
     * @param stage the stage to follow; must not be null
     * @param <T> the type of the value
     * @return a promise of the stage's outcome
     * @throws IllegalStateException if the calling thread runs no event loop; use
     *     {@link EventLoop#from(CompletionStage)} there
     */
    static <T> Promise<T> from(CompletionStage<? extends T> stage) {
        return EventLoopImpl.require("Promise.from").from(stage);
    }

    /**
     * Calls {@code fn} at once, inside this call, and returns a promise of its outcome:
     * JavaScript's {@code Promise.try(fn)} (ES2025; Bluebird's {@code Promise.attempt}; Java
     * reserves {@code try}). The promise is fulfilled with what {@code fn} returns (as it is: a
     * returned promise is a value here; see {@link #attemptCompose} to follow it) or rejected with
     * what it throws, checked or not, unwrapped; nothing {@code fn} throws escapes this call.
     * Handlers registered on the promise run as microtasks of the current loop, as for any
     * settled promise.
     *
     * <pre>{@code
     * Promise<Config> config = Promise.attempt(() -> parse(text));   // a parse error rejects it
     * }</pre>
     *
     * @param fn the function; runs on the calling thread, now; must not be null
     * @param <T> the type of the value
     * @return a promise of the current thread's loop, already settled
     * @throws IllegalStateException if the calling thread runs no event loop (then {@code fn} is
     *     not called)
     */
    static <T> Promise<T> attempt(Callable<? extends T> fn) {
        return Attempt.value(EventLoopImpl.require("Promise.attempt"), fn);
    }

    /**
     * {@link #attempt} for a function that returns a promise, which the result follows with
     * JavaScript's turns ({@code Promise.try(() => promise)}: the handlers of the result run two
     * microtask turns after those of the returned promise would; a returned
     * {@link CompletionStage} wrapped by {@link #from} is adopted as a thenable). What {@code fn}
     * throws rejects the result; a {@code null} return rejects it with a
     * {@link NullPointerException}.
     *
     * <pre>{@code
     * Promise<User> user = Promise.attemptCompose(() -> cache.lookup(id));   // lookup may throw
     * }</pre>
     *
     * @param fn the function; runs on the calling thread, now; must not be null
     * @param <T> the type of the value
     * @return a promise of the current thread's loop that follows the returned one
     * @throws IllegalStateException if the calling thread runs no event loop (then {@code fn} is
     *     not called)
     */
    static <T> Promise<T> attemptCompose(Callable<? extends Promise<? extends T>> fn) {
        return Attempt.compose(EventLoopImpl.require("Promise.attemptCompose"), fn);
    }

    /**
     * Calls {@code starter} at once with a {@link NodeCallback} and returns a promise of what that
     * callback is called with: fulfilled with {@code value} when {@code error} is {@code null},
     * else rejected with {@code error}. The callback may be called from any thread, once; later
     * calls are ignored. If {@code starter} throws, the promise is rejected with that exception.
     * Until the callback is called, the promise keeps the loop alive.
     *
     * <pre>{@code
     * Promise<String> text = Promise.fromCallback(cb -> legacy.read(path, cb));
     * }</pre>
     *
     * @param starter starts the callback-style operation; must not be null
     * @param <T> the type of the value
     * @return a promise of the callback's outcome, on the current thread's loop
     * @throws IllegalStateException if the calling thread runs no event loop
     */
    static <T> Promise<T> fromCallback(Consumer<NodeCallback<T>> starter) {
        return StageBridge.fromCallback(EventLoopImpl.require("Promise.fromCallback"), starter);
    }

    /**
     * Returns a promise of every input's value, in input order, once all are fulfilled; rejected
     * with the first rejection reason as soon as one rejects (JavaScript's {@code Promise.all}).
     * An empty input fulfils with an empty list at once, as in JavaScript. The
     * inputs are marked handled. Inputs of other loops are allowed: their outcomes are handed to
     * this loop.
     * As in JavaScript, the other inputs keep running once the result settles (the
     * {@code ...Cancelling} variant cancels them); {@link #cancel() cancelling} the result
     * releases every input under the consumer rule (see Cancellation above).
     *
     * @param promises the inputs; neither the iterable nor an element may be null
     * @param <T> the common type of the values
     * @return a promise of an unmodifiable list of the values (elements may be null), on the
     *     current thread's loop, or on the first input's loop when the thread runs none
     * @throws IllegalStateException if no loop can be determined (empty input off a loop)
     */
    static <T> Promise<List<T>> all(Iterable<? extends Promise<? extends T>> promises) {
        return All.of(promises);
    }

    /**
     * Varargs form of {@link #all(Iterable)}.
     *
     * @param promises the inputs
     * @param <T> the common type of the values
     * @return a promise of the values in input order
     */
    @SafeVarargs
    @SuppressWarnings("varargs")
    static <T> Promise<List<T>> all(Promise<? extends T>... promises) {
        return All.of(Arrays.asList(promises));
    }

    /**
     * Returns a promise of every input's outcome, in input order, once all have settled; it never
     * rejects (JavaScript's {@code Promise.allSettled}). Loops are chosen as for {@link #all}.
     *
     * @param promises the inputs; neither the iterable nor an element may be null
     * @param <T> the common type of the values
     * @return a promise of an unmodifiable list of {@link Settled} outcomes
     */
    static <T> Promise<List<Settled<T>>> allSettled(Iterable<? extends Promise<? extends T>> promises) {
        return AllSettled.of(promises);
    }

    /**
     * Varargs form of {@link #allSettled(Iterable)}.
     *
     * @param promises the inputs
     * @param <T> the common type of the values
     * @return a promise of the outcomes in input order
     */
    @SafeVarargs
    @SuppressWarnings("varargs")
    static <T> Promise<List<Settled<T>>> allSettled(Promise<? extends T>... promises) {
        return AllSettled.of(Arrays.asList(promises));
    }

    /**
     * Returns a promise of the first input to fulfil; if all reject, it rejects with an
     * {@link AggregateException} holding every reason in input order (JavaScript's
     * {@code Promise.any}); an empty input rejects that way at once. Loops are chosen as for
     * {@link #all}.
     * As in JavaScript, the other inputs keep running once the result settles (the
     * {@code ...Cancelling} variant cancels them); {@link #cancel() cancelling} the result
     * releases every input under the consumer rule (see Cancellation above).
     *
     * @param promises the inputs; neither the iterable nor an element may be null
     * @param <T> the common type of the values
     * @return a promise of the first value
     */
    static <T> Promise<T> any(Iterable<? extends Promise<? extends T>> promises) {
        return Any.of(promises);
    }

    /**
     * Varargs form of {@link #any(Iterable)}.
     *
     * @param promises the inputs
     * @param <T> the common type of the values
     * @return a promise of the first value
     */
    @SafeVarargs
    @SuppressWarnings("varargs")
    static <T> Promise<T> any(Promise<? extends T>... promises) {
        return Any.of(Arrays.asList(promises));
    }

    /**
     * Returns a promise that settles like the first input to settle (JavaScript's
     * {@code Promise.race}); an empty input stays pending forever, as in JavaScript. Loops are
     * chosen as for {@link #all}.
     * As in JavaScript, the other inputs keep running once the result settles (the
     * {@code ...Cancelling} variant cancels them); {@link #cancel() cancelling} the result
     * releases every input under the consumer rule (see Cancellation above).
     *
     * @param promises the inputs; neither the iterable nor an element may be null
     * @param <T> the common type of the values
     * @return a promise of the first outcome
     */
    static <T> Promise<T> race(Iterable<? extends Promise<? extends T>> promises) {
        return Race.of(promises);
    }

    /**
     * Varargs form of {@link #race(Iterable)}.
     *
     * @param promises the inputs
     * @param <T> the common type of the values
     * @return a promise of the first outcome
     */
    @SafeVarargs
    @SuppressWarnings("varargs")
    static <T> Promise<T> race(Promise<? extends T>... promises) {
        return Race.of(Arrays.asList(promises));
    }

    /**
     * {@link #race(Iterable)} that also cancels the losers: once the result settles, every input
     * still pending loses the result as a consumer and is cancelled, unless another consumer still
     * needs it (see Cancellation in the class javadoc). Plain {@code race} leaves them running, as
     * JavaScript does.
     *
     * @param promises the inputs; neither the iterable nor an element may be null
     * @param <T> the common type of the values
     * @return a promise of the first outcome
     */
    static <T> Promise<T> raceCancelling(Iterable<? extends Promise<? extends T>> promises) {
        return Race.of(promises, true);
    }

    /**
     * Varargs form of {@link #raceCancelling(Iterable)}.
     *
     * @param promises the inputs
     * @param <T> the common type of the values
     * @return a promise of the first outcome
     */
    @SafeVarargs
    @SuppressWarnings("varargs")
    static <T> Promise<T> raceCancelling(Promise<? extends T>... promises) {
        return Race.of(Arrays.asList(promises), true);
    }

    /**
     * {@link #any(Iterable)} that also cancels the rest once one input fulfils, under the
     * consumer rule (see {@link #raceCancelling(Iterable)}).
     *
     * @param promises the inputs; neither the iterable nor an element may be null
     * @param <T> the common type of the values
     * @return a promise of the first value
     */
    static <T> Promise<T> anyCancelling(Iterable<? extends Promise<? extends T>> promises) {
        return Any.of(promises, true);
    }

    /**
     * Varargs form of {@link #anyCancelling(Iterable)}.
     *
     * @param promises the inputs
     * @param <T> the common type of the values
     * @return a promise of the first value
     */
    @SafeVarargs
    @SuppressWarnings("varargs")
    static <T> Promise<T> anyCancelling(Promise<? extends T>... promises) {
        return Any.of(Arrays.asList(promises), true);
    }

    /**
     * {@link #all(Iterable)} that also cancels the rest once one input rejects, under the
     * consumer rule (see {@link #raceCancelling(Iterable)}).
     *
     * @param promises the inputs; neither the iterable nor an element may be null
     * @param <T> the common type of the values
     * @return a promise of the values in input order
     */
    static <T> Promise<List<T>> allCancelling(Iterable<? extends Promise<? extends T>> promises) {
        return All.of(promises, true);
    }

    /**
     * Varargs form of {@link #allCancelling(Iterable)}.
     *
     * @param promises the inputs
     * @param <T> the common type of the values
     * @return a promise of the values in input order
     */
    @SafeVarargs
    @SuppressWarnings("varargs")
    static <T> Promise<List<T>> allCancelling(Promise<? extends T>... promises) {
        return All.of(Arrays.asList(promises), true);
    }

    /**
     * Returns a promise of the current loop fulfilled with {@code null} after {@code delay}:
     * {@code new Promise(r => setTimeout(r, ms))}. Its timer keeps the loop alive until it fires;
     * {@link #cancel()} rejects the promise with a {@link CancellationException} and clears the
     * timer, so the loop can end at once.
     *
     * @param delay the delay, rounded down to milliseconds ({@code 0} means 1 ms, as in Node)
     * @return a promise that fulfils after the delay
     * @throws IllegalArgumentException if {@code delay} is negative
     * @throws IllegalStateException if the calling thread runs no event loop
     */
    static Promise<Void> delay(Duration delay) {
        return Delay.start(EventLoopImpl.require("Promise.delay"), delay, null);
    }

    /**
     * {@link #delay(Duration)} that {@code signal} can stop: when it aborts first, the promise
     * rejects with the signal's reason (after the signal's listeners, as a microtask like any
     * reaction) and the timer is cleared; an already aborted signal rejects it at once, without
     * a timer. The web's {@code setTimeout} wrapped in a promise with an {@code abort} listener.
     *
     * @param delay the delay
     * @param signal stops the wait
     * @return a promise that fulfils after the delay
     */
    static Promise<Void> delay(Duration delay, AbortSignal signal) {
        return Delay.start(EventLoopImpl.require("Promise.delay"), delay, Objects.requireNonNull(signal, "signal"));
    }

    /**
     * Returns a promise of the first attempt that fulfils: calls {@code attempt} at once, and
     * after each rejection waits as {@code policy} says (exponential backoff, full jitter) and
     * calls it again, at most {@code policy.maxAttempts()} times in all, within
     * {@code policy.maxTotal()}. When it gives up, the result rejects with the last attempt's
     * reason. {@code attempt} runs on the current loop's thread, as a timer callback for retries;
     * if it throws, that counts as a rejection with what it threw. Cancelling the result clears
     * the wait and cancels the attempt in flight under the consumer rule.
     *
     * @param policy when to try again
     * @param attempt starts one attempt
     * @param <T> the type of the value
     * @return a promise of the first value
     * @throws IllegalStateException if the calling thread runs no event loop
     */
    static <T> Promise<T> retry(RetryPolicy policy, Supplier<? extends Promise<? extends T>> attempt) {
        return Retry.start(EventLoopImpl.require("Promise.retry"), policy, null, attempt);
    }

    /**
     * {@link #retry(RetryPolicy, Supplier)} that {@code signal} can stop: when it aborts, the
     * result rejects with its reason, the wait is cleared and the attempt in flight cancelled
     * under the consumer rule; an already aborted signal makes no attempt at all.
     *
     * @param policy when to try again
     * @param signal stops the retries
     * @param attempt starts one attempt
     * @param <T> the type of the value
     * @return a promise of the first value
     */
    static <T> Promise<T> retry(RetryPolicy policy, AbortSignal signal, Supplier<? extends Promise<? extends T>> attempt) {
        return Retry.start(EventLoopImpl.require("Promise.retry"), policy, Objects.requireNonNull(signal, "signal"), attempt);
    }

    /**
     * Returns a promise of {@code mapper}'s values for {@code items}, in item order, with at most
     * {@code concurrency} of the mapper's promises pending at once: npm's {@code p-map} (with its
     * default {@code stopOnError}). The items are pulled lazily, on the current loop's thread, one
     * each time a slot is free, so a long or endless iterable is fine. The mapper receives each
     * item on that thread, as a microtask (never inside this call), in the {@link AsyncLocal}
     * context of this call. The result fulfils, as a microtask, once every item's promise has
     * fulfilled (an empty iterable gives an empty list). It rejects with the first failure (a
     * mapper promise's reason, what the mapper or the iterator throws, a
     * {@link NullPointerException} for a mapper that returns {@code null}); then no further item
     * is pulled, and the mappers in flight are left to finish, their outcomes ignored and marked
     * handled (as {@code p-map} and {@link #all} leave them; to cancel them on the first failure,
     * run the work in {@link Scope#runCancelling}). Cancelling the result, or a signal through
     * {@link #withSignal}, stops the pulling and releases the mappers in flight under the consumer
     * rule. For a limit shared by several calls, use a {@link Limiter}.
     *
     * <pre>{@code
     * Promise<List<String>> pages = Promise.map(urls, 8, url -> Fetch.getText(url));
     * }</pre>
     *
     * @param items the items; iterated on the loop's thread; no element restriction
     * @param concurrency the most mapper promises pending at once, at least 1
     * @param mapper starts the work for one item and returns its promise
     * @param <T> the type of the items
     * @param <R> the type of the values
     * @return a promise of an unmodifiable list of the values (elements may be null), on the
     *     current loop
     * @throws IllegalArgumentException if {@code concurrency < 1}
     * @throws IllegalStateException if the calling thread runs no event loop
     */
    static <T, R> Promise<List<R>> map(Iterable<? extends T> items, int concurrency,
                                       Function<? super T, ? extends Promise<? extends R>> mapper) {
        return MapConcurrently.start(EventLoopImpl.require("Promise.map"), items, concurrency, mapper);
    }

    // ---------------------------------------------------------------- handlers

    /**
     * Returns a promise of {@code onFulfilled}'s result. The handler receives this promise's
     * value (possibly {@code null}) on the loop's thread, as a microtask after this promise
     * fulfils. If this promise rejects, the handler is not called and the returned promise
     * rejects with the same reason. If the handler throws, the returned promise rejects with that
     * exception. What the handler returns is the value as it is, even a promise or a stage: use
     * {@link #thenCompose} to follow a returned promise.
     *
     * @param onFulfilled receives the value; must not be null
     * @param <R> the type of the handler's result
     * @return a promise of the handler's result, on this promise's loop
     */
    <R> Promise<R> then(Function<? super T, ? extends R> onFulfilled);

    /**
     * Returns a promise of whichever handler runs: {@code onFulfilled} receives the value when
     * this promise fulfils, {@code onRejected} receives the reason when it rejects (the reason is
     * then handled). Each runs on the loop's thread as a microtask; what it returns fulfils the
     * result, what it throws rejects it.
     *
     * @param onFulfilled receives the value; must not be null
     * @param onRejected receives the reason; must not be null
     * @param <R> the type of the handlers' result
     * @return a promise of the handler's result, on this promise's loop
     */
    <R> Promise<R> then(Function<? super T, ? extends R> onFulfilled,
                        Function<? super Throwable, ? extends R> onRejected);

    /**
     * Returns a promise that follows the promise {@code onFulfilled} returns. The handler receives
     * the value as in {@link #then(Function)}; its promise is adopted two microtask turns later,
     * as in JavaScript. A rejection of this promise skips the handler and rejects the result;
     * a handler that throws or returns {@code null} rejects the result (with the exception, or a
     * {@link NullPointerException}).
     *
     * @param onFulfilled receives the value and returns the next promise; must not be null
     * @param <R> the type of the next promise's value
     * @return a promise of the next promise's outcome, on this promise's loop
     */
    <R> Promise<R> thenCompose(Function<? super T, ? extends Promise<? extends R>> onFulfilled);

    /**
     * {@link #thenCompose(Function)} with a rejection handler that also returns a promise:
     * JavaScript's {@code p.then(v => next(v), e => fallback(e))}. Whichever handler runs (on the
     * loop's thread, as a microtask: {@code onFulfilled} with the value, or {@code onRejected}
     * with the reason, which is then handled), its promise is adopted two microtask turns later,
     * as in JavaScript. A handler that throws or returns {@code null} rejects the result (with
     * the exception, or a {@link NullPointerException}).
     *
     * @param onFulfilled receives the value and returns the next promise; must not be null
     * @param onRejected receives the reason and returns the next promise; must not be null
     * @param <R> the type of the next promise's value
     * @return a promise of the next promise's outcome, on this promise's loop
     */
    default <R> Promise<R> thenCompose(Function<? super T, ? extends Promise<? extends R>> onFulfilled,
                                       Function<? super Throwable, ? extends Promise<? extends R>> onRejected) {
        return ownFollower().thenCompose(onFulfilled, onRejected); // overridden by Eventual's promises
    }

    /**
     * Returns a promise fulfilled with {@code null} after {@code onFulfilled} has consumed the
     * value: {@code then(v -> { onFulfilled.accept(v); return null; })}. Failures behave as in
     * {@link #then(Function)}.
     *
     * @param onFulfilled receives the value; must not be null
     * @return a promise that fulfils when the handler returns, on this promise's loop
     */
    Promise<Void> thenAccept(Consumer<? super T> onFulfilled);

    /**
     * JavaScript's {@code catch}: returns a promise of this promise's value, or, if it rejects,
     * of what {@code onRejected} returns for the reason. The handler runs on the loop's thread as
     * a microtask, only on rejection; if it throws, the result rejects with that exception.
     *
     * @param onRejected receives the reason; must not be null
     * @return a promise of the value or the recovery, on this promise's loop
     */
    Promise<T> caught(Function<? super Throwable, ? extends T> onRejected);

    /**
     * Like {@link #caught(Function)}, for reasons of one class only: other rejections pass
     * through unchanged (the reason is still marked handled).
     *
     * @param type the class of reasons to handle; subclasses match; must not be null
     * @param onRejected receives the reason, cast; must not be null
     * @param <E> the class of reasons handled
     * @return a promise of the value, the recovery, or the unmatched rejection
     */
    <E extends Throwable> Promise<T> caught(Class<E> type, Function<? super E, ? extends T> onRejected);

    /**
     * {@link #caught(Function)} for a rejection handler that returns a promise, which the result
     * follows: JavaScript's {@code p.catch(e => fallback())}, as for a fallback request on error.
     * A fulfilment skips the handler and fulfils the result with the value. The handler receives
     * the reason (which is then handled) on the loop's thread, as a microtask; its promise is
     * adopted two microtask turns later, as in JavaScript. A handler that throws or returns
     * {@code null} rejects the result (with the exception, or a {@link NullPointerException}).
     *
     * <pre>{@code
     * Promise<String> text = fetchText(primary).caughtCompose(e -> fetchText(mirror));
     * }</pre>
     *
     * @param onRejected receives the reason and returns the promise to follow; must not be null
     * @return a promise of the value, or of the fallback promise's outcome, on this promise's loop
     */
    default Promise<T> caughtCompose(Function<? super Throwable, ? extends Promise<? extends T>> onRejected) {
        return ownFollower().caughtCompose(onRejected); // overridden by Eventual's promises
    }

    /**
     * Like {@link #caughtCompose(Function)}, for reasons of one class only: other rejections pass
     * through unchanged (the reason is still marked handled), as {@link #caught(Class, Function)}.
     *
     * @param type the class of reasons to handle; subclasses match; must not be null
     * @param onRejected receives the reason, cast, and returns the promise to follow; must not be null
     * @param <E> the class of reasons handled
     * @return a promise of the value, the fallback's outcome, or the unmatched rejection
     */
    default <E extends Throwable> Promise<T> caughtCompose(Class<E> type,
                                                           Function<? super E, ? extends Promise<? extends T>> onRejected) {
        return ownFollower().caughtCompose(type, onRejected); // overridden by Eventual's promises
    }

    /**
     * JavaScript's {@code finally}: returns a promise that settles like this one after
     * {@code onSettled} has run. The action receives nothing, runs on the loop's thread as a
     * microtask whatever the outcome; if it throws, the result rejects with that exception
     * instead.
     *
     * @param onSettled the action; must not be null
     * @return a promise of the same outcome, on this promise's loop
     */
    Promise<T> lastly(Runnable onSettled);

    /**
     * Calls {@code callback} Node-style when this promise settles: {@code (null, value)} on
     * fulfilment, {@code (reason, null)} on rejection. It runs on the loop's thread as a
     * microtask and marks a rejection handled; an exception it throws goes to the loop's task
     * error handler.
     *
     * @param callback receives the outcome; must not be null
     * @return this promise
     */
    Promise<T> asCallback(NodeCallback<? super T> callback);

    // ---------------------------------------------------------------- cancellation

    /**
     * Cancels this promise: if it is still pending (even while following another promise), rejects
     * it with a {@link CancellationException} and tells its producer (see Cancellation in the class
     * javadoc), which then stops on the loop's thread: inside this call on that thread, else as a
     * task. Thread-safe, and decided like a settle ({@linkplain dev.eventual##rule-3 rule 3}): it
     * races with {@code resolve} and {@code reject} from any thread, the first wins, and only a
     * winning cancel tells the producer.
     * The rejection counts as handled (whoever cancels expects it); handlers still receive it, as
     * microtasks, and promises derived from this one reject as usual.
     *
     * <p>Eventual's promises all implement it. The default, for other implementations of this
     * interface, cannot reach their producer: it does nothing and returns {@code false}.
     *
     * @return {@code true} if this call cancelled the promise, {@code false} if it had settled
     */
    default boolean cancel() {
        return false;
    }

    /**
     * Returns a promise that settles like this one, or, if this one is still pending after
     * {@code duration}, rejects with an {@link AsyncTimeoutException} (unchecked) whose message
     * names the duration ("timed out after 100 ms"); then this promise loses that consumer and is
     * cancelled unless another consumer still needs it. The timer keeps the loop alive while both
     * are pending, and is cleared as soon as this promise settles. Cancelling the returned promise
     * clears the timer and releases this one the same way. Rejection handlers receive the
     * {@code AsyncTimeoutException} on the loop's thread, as a microtask; {@code await} throws it
     * as it is.
     *
     * @param duration how long to wait, rounded down to milliseconds; not negative
     * @return a promise of this promise's outcome or the timeout, on this promise's loop
     * @throws IllegalArgumentException if {@code duration} is negative
     */
    default Promise<T> timeout(Duration duration) {
        return ownFollower().timeout(duration); // overridden by Eventual's promises
    }

    /**
     * Returns a promise that settles like this one, or rejects with {@code signal}'s reason when
     * the signal aborts first; then this promise loses that consumer and is cancelled unless
     * another consumer still needs it. With an already aborted signal, it is rejected at once.
     *
     * @param signal stops the wait
     * @return a promise of this promise's outcome or the abort, on this promise's loop
     */
    default Promise<T> withSignal(AbortSignal signal) {
        return ownFollower().withSignal(signal); // overridden by Eventual's promises
    }

    /** For the defaults above: a promise of Eventual's own that follows this one. */
    @SuppressWarnings("unchecked")
    private Promise<T> ownFollower() {
        return (Promise<T>) (Promise<?>) loop().resolved(this);
    }

    // ---------------------------------------------------------------- inspection

    /**
     * Returns the loop this promise belongs to, whose thread runs its handlers.
     *
     * @return the loop whose thread runs this promise's handlers
     */
    EventLoop loop();

    /**
     * Returns the current state, without waiting. For tests and diagnostics: to act on the
     * outcome, register a handler.
     *
     * @return the state at the time of the call: {@code PENDING}, {@code FULFILLED} or
     *     {@code REJECTED}
     */
    State state();

    /**
     * {@code state() == PENDING}.
     *
     * @return {@code true} while this promise has not settled
     */
    default boolean isPending() {
        return state() == State.PENDING;
    }

    /**
     * {@code state() == FULFILLED}.
     *
     * @return {@code true} if this promise has fulfilled
     */
    default boolean isFulfilled() {
        return state() == State.FULFILLED;
    }

    /**
     * {@code state() == REJECTED}.
     *
     * @return {@code true} if this promise has rejected
     */
    default boolean isRejected() {
        return state() == State.REJECTED;
    }

    /**
     * Returns the outcome if this promise has settled, without waiting and without marking a
     * rejection handled; empty while it is pending. For tests and diagnostics.
     *
     * @return the value or reason this promise settled with, or an empty {@code Optional} while it
     *     is pending
     */
    Optional<Settled<T>> peek();

    /**
     * Returns a {@link CompletableFuture} that completes with this promise's outcome, for code
     * outside the loop. It completes on the loop's thread (so its own dependent stages run there
     * unless given an executor) and marks a rejection handled. {@code join()} or {@code get()}
     * on it from the loop's own thread while it is incomplete fails at once with an
     * {@link IllegalStateException} instead of deadlocking; register a handler there instead.
     * If the loop closes first, it completes exceptionally with {@link EventLoopClosedException}.
     * So that it can, the loop keeps a pending promise reachable from the moment this is called
     * until it settles or the loop closes, even if both the promise and the future are dropped
     * (other pending promises a program drops are collectable while the loop runs).
     *
     * @return a future of the outcome; a rejection reason is its exceptional cause, unwrapped
     */
    CompletableFuture<T> toCompletableFuture();
}
