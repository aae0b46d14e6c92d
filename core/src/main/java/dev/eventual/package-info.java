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
 * <h2 id="rules">The rules</h2>
 * Eventual keeps eight rules. Code written against them behaves the same on every machine and
 * under any load, and as the same code would in JavaScript (Node.js is the reference). The
 * javadoc of this library cites them by number; each is given here in short, and
 * {@code docs/contract.md} in the repository has them in full, each with a program the build
 * runs.
 *
 * <h2 id="rule-1">1. One loop per promise</h2>
 * Every promise belongs to one {@link dev.eventual.EventLoop}: the loop of the thread that
 * created it, or the loop named when it is created elsewhere ({@code loop.withResolvers()},
 * {@code loop.submit(...)}). Its handlers run on that loop's thread, one at a time, never at the
 * same time as another callback of the same loop, so state touched only by one loop's callbacks
 * needs no lock, no {@code volatile}, no atomic. There is no hidden global loop: a call that needs
 * the current loop on a thread that runs none fails with an {@link IllegalStateException} that
 * says what to call instead.
 *
 * <h2 id="rule-2">2. Callbacks are always asynchronous</h2>
 * A handler never runs inside the call that registers it ({@code then}, {@code caught}, ...) nor
 * inside the call that settles the promise: it runs later as a microtask of the promise's loop,
 * even when the promise is already settled (Promises/A+ 2.2.4). After each task (the program's
 * {@code main}, a submitted task, a timer, an I/O completion) the loop runs every microtask,
 * those queued meanwhile included, before it takes the next task or timer: the microtask
 * checkpoint. A callback that throws never stops the loop: a handler's exception rejects its
 * derived promise, a task's or timer's goes to the loop's task error handler.
 *
 * <h2 id="rule-3">3. Settle once, from any thread</h2>
 * Settling a {@link dev.eventual.Deferred} is thread-safe. The first settle wins, decided at once
 * in the calling thread; later ones lose: the {@code try...} forms return {@code false}, the
 * others throw an {@link IllegalStateException} that names the promise's state. When the winner
 * is not the promise's loop thread, the handlers are handed to the loop as one task and run there
 * as microtasks, so {@linkplain dev.eventual##rule-1 rule 1} holds whoever settles. A handler
 * registered from another thread is
 * handed to the loop too, and takes effect a little later. {@link dev.eventual.Promise#cancel()}
 * is a settle as well: it races with {@code resolve} and the first wins.
 *
 * <h2 id="rule-4">4. Adoption</h2>
 * Resolving a promise with another promise makes it follow that one: it settles as the other
 * settles. So does a {@code thenCompose} handler that returns a promise,
 * {@code Deferred.follow(p)}, and a value that is a {@link java.util.concurrent.CompletionStage}
 * (Java's thenable). Resolving a promise with itself rejects it with a
 * {@link dev.eventual.ChainingCycleException}; it never hangs. Following takes the microtask turns
 * JavaScript takes (counted in the next section), so two programs that interleave in the same way
 * print in the same order. {@code then} does not adopt: a {@code then} whose function returns a
 * promise fulfils with that promise as its value; the adopting forms are {@code thenCompose},
 * {@code caughtCompose}, {@code Promise.attemptCompose} and {@code Async.asyncCompose}.
 *
 * <h2 id="rule-5">5. Errors are values</h2>
 * A handler that throws rejects its derived promise with that same exception, unwrapped; a
 * checked exception reaches a promise as it is. A rejection passes through {@code then} and
 * {@code thenCompose} untouched until a {@code caught} or a {@code then(onOk, onErr)} handles it;
 * {@code lastly} runs either way and passes the outcome on. A rejection that has no handler by
 * the end of the microtask checkpoint in which it happened is an unhandled rejection, reported by
 * the loop's {@link dev.eventual.UnhandledRejectionPolicy} ({@code THROW}, the default of
 * {@code EventLoop.run}: the loop closes and {@code run} throws an
 * {@link dev.eventual.UnhandledRejectionException}; {@code WARN}, the default of
 * {@code EventLoop.start}; {@code IGNORE}), after an {@link dev.eventual.UnhandledRejectionHandler}
 * if one is set. A promise that {@code loop.submit(...)} or {@code async(loop, ...)} returns to
 * another thread is judged later: when it becomes unreachable or the loop closes.
 *
 * <h2 id="rule-6">6. Cancellation reaches the work</h2>
 * {@link dev.eventual.Promise#cancel()} rejects a pending promise with a
 * {@link java.util.concurrent.CancellationException} and tells the work that produces it to stop:
 * a delay or timeout clears its timer, a future is cancelled, an async body's {@code await}
 * throws, a combinator releases its inputs, an I/O operation is aborted. The cancelled promise's
 * own rejection counts as handled. A promise derived from another is one of its consumers;
 * cancelling a consumer cancels its source only when no other consumer still needs it.
 * {@link dev.eventual.AbortController} and {@link dev.eventual.AbortSignal} stop any number of
 * operations, as on the web. {@code race}, {@code any} and {@code all} leave the other inputs
 * running, as JavaScript does; their {@code ...Cancelling} forms cancel them.
 *
 * <h2 id="rule-7">7. The loop ends when the work ends</h2>
 * {@code EventLoop.run(main)} returns when nothing is left that could produce a callback: no
 * task, no microtask, no timer (but those {@code unref()}'d), no {@link dev.eventual.KeepAlive}
 * held, as Node exits when its loop is empty. An operation in flight holds a {@code KeepAlive}
 * until its result is in; a pending promise alone keeps nothing alive. Closing a loop
 * ({@code close()}, or {@code run} returning) finishes the current callback and its checkpoint,
 * rejects every promise still pending on it with an {@link dev.eventual.EventLoopClosedException},
 * ends the async bodies suspended on it, drops what was still queued (counted in one warning),
 * runs its {@code onClose} actions and refuses new tasks: no callback is dropped silently and no
 * caller waits forever.
 *
 * <h2 id="rule-8">8. Sequential code when you want it</h2>
 * {@code async(() -> { ... })} runs a body on a virtual thread that takes turns with its loop: the
 * body and the loop's callbacks never run at the same time, and each turn happens-before the
 * next, so a body needs no lock either. The body runs at once, inside {@code async}, up to its
 * first {@code await}. {@code await(p)} suspends the body alone and resumes it as a microtask
 * after {@code p} settles, in the turn a {@code then} handler registered at that point would take;
 * it returns the value or throws the rejection (a checked one wrapped in an
 * {@link dev.eventual.AwaitException}). On a loop thread outside a body {@code await} fails at
 * once; on a thread that runs no loop it blocks. Closing the loop ends suspended bodies: their
 * {@code await} throws {@code EventLoopClosedException} and their {@code finally} blocks run.
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
 * turns ({@linkplain dev.eventual##rule-4 rule 4}). Counting the turn in which a handler registered
 * on the adopting promise runs,
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
