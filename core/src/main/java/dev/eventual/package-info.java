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
 * <h2>Adoption: how many microtask turns</h2>
 * Resolving a promise with another promise or a {@link java.util.concurrent.CompletionStage}
 * ({@code Deferred.resolve}/{@code follow}, {@code Promise.resolve}, {@code Promise.from}, a
 * {@code thenCompose} handler's result, {@code await}, a combinator's input) takes JavaScript's
 * turns (rule 4). Counting the turn in which a handler registered on the adopting promise runs,
 * where a plain value's handler runs in turn 1:
 * <table>
 *   <caption>Turns of adoption</caption>
 *   <tr><th>adopted</th><th>JavaScript's twin</th><th>handlers run</th></tr>
 *   <tr><td>a promise of the same loop, settled</td><td>a native promise</td>
 *       <td>turn 3: a job registers on it (turn 1), its reaction settles (turn 2)</td></tr>
 *   <tr><td>a promise of the same loop, pending</td><td>a native promise</td>
 *       <td>two turns after it settles: its reaction, then the handlers</td></tr>
 *   <tr><td>a promise of another loop</td><td>none</td>
 *       <td>a job registers on it (turn 1); its reaction runs on its loop's thread and hands the
 *       outcome over as a task of the adopting loop, in whose checkpoint the handlers run</td></tr>
 *   <tr><td>a {@code CompletionStage} already complete</td>
 *       <td>a thenable whose {@code then} calls back at once: {@code {then(f) {f(v)}}}</td>
 *       <td>turn 2: a job registers on it with {@code whenComplete} (turn 1), which calls back
 *       inside that job and settles</td></tr>
 *   <tr><td>a {@code CompletionStage} completed later</td>
 *       <td>a thenable that calls back later</td>
 *       <td>the job registers (turn 1); the handlers run in the turn after the completion: in
 *       the same checkpoint when it completes on the loop thread, else in the task that hands
 *       the outcome over</td></tr>
 *   <tr><td>a stage completed with a promise or another stage</td><td>the same, nested</td>
 *       <td>the stage's turns, then those of what it completed with</td></tr>
 *   <tr><td>a {@code Promise} of another implementation</td><td>a thenable</td>
 *       <td>as a stage, with {@code asCallback} playing {@code then}</td></tr>
 * </table>
 * {@code await} in an async body resumes in the turn a handler would run in: turn 1 for a
 * promise of the same loop (settled), turn 2 for a stage already complete. A stage's callback
 * may be called many times, from any thread, and may throw: the first call wins, as
 * Promises/A+ 2.3.3.3 says.
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
