package dev.eventual;

import dev.eventual.internal.EventLoopImpl;
import dev.eventual.internal.ScopeImpl;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Structured concurrency in promise form: a scope owns the work started in it, and its promise
 * settles only after all of that work has settled (Kotlin's {@code coroutineScope}, Java's
 * {@code StructuredTaskScope}, for promises).
 *
 * <pre>{@code
 * Promise<Report> crawl = Scope.run(deadline, scope -> {
 *     Limiter limit = Limiter.of(8, scope.signal());
 *     List<Promise<Page>> pages = urls.stream()
 *             .map(url -> scope.fork(() -> limit.run(() -> check(url, scope.signal()))))
 *             .toList();
 *     return Promise.all(pages).then(Report::of);
 * });
 * }</pre>
 *
 * <h2>Lifetime</h2>
 * {@link #run(Function) run} calls the body at once, with the scope, and returns the scope's
 * promise. The body starts children with {@link #fork fork} (directly, or from callbacks of the
 * scope's loop while the scope is open) and returns a promise of the scope's value. The scope's
 * promise settles, as a microtask, once the body's promise and every child have settled: with
 * the body's value, or with the first failure (below), or, once cancelled, with the cancellation.
 * So a handler of the scope's promise never runs while work of the scope is still pending: a
 * report printed there counts every child.
 *
 * <h2>Failures</h2>
 * A child fails when its promise rejects (with anything but a
 * {@link java.util.concurrent.CancellationException}: that is a cancelled child). In a
 * {@link #run(Function) run} scope, the siblings go on and the scope, once everything has
 * settled, rejects with the first child failure (as {@link Promise#all} keeps the first reason);
 * in a {@link #runCancelling(Function) runCancelling} scope, the first child failure cancels the
 * scope at once (siblings and body, as {@code coroutineScope} and {@code StructuredTaskScope}'s
 * default do, and as {@link Promise#allCancelling} does) and the scope rejects with it once they
 * have settled. In both, a body that throws or whose promise rejects cancels the scope, which
 * rejects with that reason. A child whose failure is data, not a reason to stop, handles it
 * inside the forked chain ({@code fork(() -> check(url).caught(e -> Result.broken(url, e)))}).
 * The scope observes every child, so a child failure is never reported as an unhandled
 * rejection of its own: it is the scope's reason.
 *
 * <h2>Cancellation</h2>
 * {@link #cancel()} (or {@code cancel()} on the scope's promise, the same call), the consumer
 * rule releasing the scope's promise, the signal passed to {@code run} aborting, a failed body,
 * and a first failure in a {@code runCancelling} scope all cancel the scope the same way, in this
 * order, on the loop's
 * thread: the scope's {@link #signal()} aborts (so an operation given it stops, and a
 * {@link Limiter} made with it empties its queue), then the body's promise and every pending
 * child are cancelled ({@link Promise#cancel()}: they belong to the scope, whoever else holds
 * them), and the scope's promise rejects once they have all settled. Unlike other promises, a
 * scope's promise does not reject inside {@code cancel()}: structured concurrency ends a scope
 * only after its work. A cancellation is not an unhandled rejection: the children's and the
 * scope's own {@code CancellationException}s are marked handled (a signal's reason and a failure
 * are reported as usual if nobody handles the scope's promise). Fork the whole chain of a child
 * ({@code fork(() -> fetch(url).then(...))}), not its first step: a {@code then} added outside
 * the scope to a child that is cancelled rejects too, and is the caller's to handle.
 *
 * <h2>Threading</h2>
 * A scope belongs to the loop current where {@code run} is called, and its state is confined to
 * that loop's thread: no locks, no atomics. {@link #fork} must be called there (an async body
 * holding the loop's turn counts); {@link #cancel()} may be called from any thread, and off the
 * loop it hands the cancellation to the loop as a task.
 *
 * <h2>Nulls</h2>
 * No parameter may be {@code null} ({@link NullPointerException} naming it); a body or a child
 * that returns {@code null} instead of a promise fails with a {@code NullPointerException}.
 */
public interface Scope {

    /**
     * Runs {@code body} in a new scope of the current loop whose children fail alone: the scope
     * waits for all of them and then rejects with the first failure, if any (see the class
     * javadoc for when it settles and with what); returns the scope's promise.
     *
     * @param body receives the scope, on the calling (loop) thread, inside this call; returns a
     *     promise of the scope's value
     * @param <T> the type of the value
     * @return the scope's promise, on the current loop
     * @throws IllegalStateException if the calling thread runs no loop
     */
    static <T> Promise<T> run(Function<? super Scope, ? extends Promise<? extends T>> body) {
        return ScopeImpl.start(EventLoopImpl.require("Scope.run"), false, null, Objects.requireNonNull(body, "body"));
    }

    /**
     * {@link #run(Function)} that {@code signal} also cancels: when it aborts, the scope is
     * cancelled as by {@link #cancel()} and its promise, once every child has settled, rejects
     * with the signal's reason. An already aborted signal cancels the scope as soon as the body
     * has returned.
     *
     * @param signal cancels the scope (a deadline, say: {@link AbortSignal#timeout})
     * @param body receives the scope; returns a promise of the scope's value
     * @param <T> the type of the value
     * @return the scope's promise, on the current loop
     */
    static <T> Promise<T> run(AbortSignal signal, Function<? super Scope, ? extends Promise<? extends T>> body) {
        return ScopeImpl.start(EventLoopImpl.require("Scope.run"), false, Objects.requireNonNull(signal, "signal"),
                Objects.requireNonNull(body, "body"));
    }

    /**
     * Runs {@code body} in a new scope of the current loop in which the first child failure
     * cancels the rest ({@code coroutineScope}, {@code StructuredTaskScope}'s default) and becomes
     * the scope's reason once everything has settled.
     *
     * @param body receives the scope, on the calling (loop) thread, inside this call; returns a
     *     promise of the scope's value
     * @param <T> the type of the value
     * @return the scope's promise, on the current loop
     * @throws IllegalStateException if the calling thread runs no loop
     */
    static <T> Promise<T> runCancelling(Function<? super Scope, ? extends Promise<? extends T>> body) {
        return ScopeImpl.start(EventLoopImpl.require("Scope.runCancelling"), true, null, Objects.requireNonNull(body, "body"));
    }

    /**
     * {@link #runCancelling(Function)} that {@code signal} also cancels, as in
     * {@link #run(AbortSignal, Function)}.
     *
     * @param signal cancels the scope
     * @param body receives the scope; returns a promise of the scope's value
     * @param <T> the type of the value
     * @return the scope's promise, on the current loop
     */
    static <T> Promise<T> runCancelling(AbortSignal signal,
                                        Function<? super Scope, ? extends Promise<? extends T>> body) {
        return ScopeImpl.start(EventLoopImpl.require("Scope.runCancelling"), true, Objects.requireNonNull(signal, "signal"),
                Objects.requireNonNull(body, "body"));
    }

    /**
     * Starts a child: calls {@code work} at once, on the loop's thread, and returns its promise,
     * which the scope now owns (it waits for it and cancels it with the scope). If {@code work}
     * throws or returns {@code null}, the child is a promise rejected with that exception (a
     * child failure). Once the scope is cancelling, {@code work} is not called and the child is
     * a promise rejected with the cancellation's reason, marked handled.
     *
     * @param work starts the child's work and returns its promise
     * @param <T> the type of the child's value
     * @return the child's promise (the one {@code work} returned, or a promise of the scope's loop
     *     following it when it is not Eventual's own)
     * @throws IllegalStateException off the loop's thread, or once the scope's promise has settled
     */
    <T> Promise<T> fork(Supplier<? extends Promise<? extends T>> work);

    /**
     * Returns the scope's signal: it aborts when the scope is cancelled (by {@link #cancel()}, the
     * consumer rule, the signal given to {@code run}, a failed body or a first failure), with a
     * {@link java.util.concurrent.CancellationException} whose cause, if any, is the failure or
     * the signal's reason. Hand it to the operations started in the scope.
     *
     * @return the signal that aborts when this scope is cancelled
     */
    AbortSignal signal();

    /**
     * Cancels the scope (see Cancellation in the class javadoc): on the loop's thread, the signal
     * aborts and the body's promise and every pending child are cancelled inside this call; the
     * scope's promise rejects with a {@link java.util.concurrent.CancellationException}, marked
     * handled, once they have all settled. From another thread the cancellation is handed to the
     * loop as a task.
     *
     * @return whether the scope was still open (not cancelling, not settled) when called; off the
     *     loop's thread, whether its promise was still pending, and the request does nothing if
     *     the scope ends before the task runs
     */
    boolean cancel();

    /**
     * Returns how much of the scope's work is pending: the children not yet settled, plus one
     * while the body's promise is pending. Loop thread only.
     *
     * @return the number of children not yet settled, plus one while the body's promise is pending
     * @throws IllegalStateException off the loop's thread
     */
    int pending();

    /**
     * Returns the loop this scope belongs to.
     *
     * @return the loop this scope belongs to, whose thread runs its body and children
     */
    EventLoop loop();
}
