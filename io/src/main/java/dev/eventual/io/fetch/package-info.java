/**
 * HTTP for event-loop code, the web's {@code fetch} on the JDK {@code HttpClient}: ask a server
 * for data, keep running, and receive the response on the event loop thread that asked.
 *
 * <h2>The API</h2>
 * <ul>
 *   <li>{@link dev.eventual.io.fetch.Fetch}: static {@code fetch}, {@code getText} and
 *       {@code getJson}, on the JVM's shared client; start here.</li>
 *   <li>{@link dev.eventual.io.fetch.Request}: what to send (method, headers, body, timeout,
 *       redirect policy, abort signal), the web's {@code fetch(url, options)} as a value.</li>
 *   <li>{@link dev.eventual.io.fetch.Response}: status and headers, and a body read once, later
 *       ({@code text()}, {@code bytes()}, {@code json()}, {@code stream}, {@code chunks()},
 *       {@code discard()}).</li>
 *   <li>{@link dev.eventual.io.fetch.FetchClient}: a client of your own, for another per-host
 *       limit or a configured JDK {@code HttpClient}.</li>
 *   <li>{@link dev.eventual.io.fetch.FetchException}: why a fetch or a body read rejected, and
 *       whether a retry may succeed.</li>
 *   <li>{@link dev.eventual.io.fetch.ValueCallback}: the type of the value callback that
 *       {@code getText(url, callback)} takes; you pass a lambda or a method reference and never
 *       name it.</li>
 * </ul>
 *
 * <h2>Taking the result</h2>
 * Every operation returns a {@link dev.eventual.Promise} of the calling thread's loop; pass your
 * callback through it, inline or by reference:
 * {@code fetch(url).thenCompose(Response::text).thenAccept(this::show)}, or Node style
 * {@code .asCallback((error, text) -> ...)}. The get forms also take the callback directly, in
 * JavaScript's callback style: {@code getText(url, text -> ...)},
 * {@code getText(url, this::show)}, {@code getText(url, texts::add)},
 * {@code getText(url, (error, text) -> ...)}. The abort signal
 * of an exchange is set in one place, {@link dev.eventual.io.fetch.Request.Builder#signal}.
 *
 * <h2>Inside</h2>
 * The implementation is package-private beside the API: {@code Exchange} (one fetch: its hops,
 * redirects, timeout and cancellation, until the headers), {@code HostLimiter} (the bounded slots
 * per host and the line for them), {@code ResponseBody} (the body's one read and the slot it
 * holds), {@code Deadline} (a request's timeout), {@code FailureText} (what went wrong, in the
 * words of a {@code FetchException}'s message) and {@code JsonBinding} (the optional Jackson
 * binding).
 */
package dev.eventual.io.fetch;
