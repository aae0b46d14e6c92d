/**
 * Eventual's API: promises, event loops, microtasks and timers with JavaScript's rules.
 *
 * <h2>Where to start</h2>
 * {@link dev.eventual.EventLoop#run(Runnable)} turns the calling thread into an event loop until
 * the work is done; {@link dev.eventual.Promise} is the result of work that finishes later;
 * {@link dev.eventual.Deferred} settles one; {@link dev.eventual.Async} writes sequential code
 * with {@code async}/{@code await}; {@link dev.eventual.AsyncLocal} carries a value to every
 * callback registered inside its scope. The README maps every JavaScript operation to its
 * Eventual and {@code CompletableFuture} counterpart.
 *
 * <h2>Threading</h2>
 * Every promise and timer belongs to one loop, and every callback (promise handler, timer,
 * task, microtask) runs on that loop's thread, one at a time, never inside the call that
 * registered it or settled its promise. Promise handlers run as microtasks: after the current
 * callback, before the next task or timer. Settling, registering and scheduling are
 * thread-safe; {@link dev.eventual.EventLoop#queueMicrotask} alone must be called on the loop's
 * thread. Each type's javadoc has a "Threading" section with the details.
 *
 * <h2>Nulls</h2>
 * {@code null} is a valid promise value. No other parameter of this package accepts
 * {@code null} (except where a method says so, like {@code clearTimeout(null)}); a {@code null}
 * fails at the call with a {@link java.lang.NullPointerException} whose message is the
 * parameter's name.
 *
 * <h2>Failures</h2>
 * An exception thrown by a promise handler rejects the derived promise with that same exception.
 * An exception thrown by a task, timer or microtask callback goes to the loop's task error
 * handler and the loop goes on. Nothing is lost silently: unhandled rejections are reported,
 * and a loop that closes rejects what is still pending on it.
 */
package dev.eventual;
