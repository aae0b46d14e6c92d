package dev.eventual.io.fetch;

import dev.eventual.NodeCallback;
import dev.eventual.Promise;

/**
 * The web's {@code fetch} for Java: ask a server for data, keep running, and receive the
 * response through a promise or a callback on the event loop thread that asked. These static
 * methods use {@link FetchClient#shared()}; a {@link FetchClient} of your own has the same methods.
 *
 * <pre>{@code
 * import static dev.eventual.io.fetch.Fetch.*;
 *
 * getText("http://localhost:8080/user/1", text -> show(text));      // a callback inline
 * getText("http://localhost:8080/user/1", this::show);             // or by reference
 * getText("http://localhost:8080/user/1", (error, text) -> ...);   // Node style
 *
 * fetch("http://localhost:8080/user/1")            // a promise: the callback goes through it
 *     .thenCompose(Response::text)
 *     .thenAccept(this::show);                      // or .asCallback((error, text) -> ...)
 *
 * String text = await(getText("http://localhost:8080/user/1"));   // in an async body
 * }</pre>
 *
 * <h2>One way to take a callback</h2>
 * Every method returns a promise, and you pass your callback through it, inline or by reference
 * ({@code .thenAccept(this::show)}, {@code .asCallback((error, response) -> ...)}). The get
 * forms, {@code getText(url, callback)}, also take the callback directly, as the seed's
 * "tell the asynchronous function what to do when it completes" does: with the text alone
 * ({@link ValueCallback}) or Node style ({@link NodeCallback}). Settings of one exchange,
 * its abort {@link Request.Builder#signal signal} included, are set on its {@link Request}.
 *
 * <h2>What you receive, where and when</h2>
 * Every promise belongs to the loop of the calling thread, and every callback runs on that
 * loop's thread as a microtask, never inside the call and never on the JDK client's threads (the
 * contract's rule 1, see the {@code dev.eventual} package overview): the request is sent on your
 * behalf by the JDK {@code HttpClient} while your code keeps
 * running; a response settles the promise, and its handlers run on your loop once its current
 * callback has finished. {@code fetch} resolves once the status and headers arrived; the body is
 * read afterwards through the {@link Response}. (A small body, with a {@code Content-Length} of at
 * most 64 KiB, has already been read by then, so reading it completes at once; a failure while it
 * arrives rejects {@code fetch} itself.) While an exchange is in flight, it keeps
 * {@code EventLoop.run} from returning.
 *
 * <h2>Failures</h2>
 * Any status, 404 and 500 included, resolves {@code fetch}, as on the web (check
 * {@link Response#ok()}); {@link #getText} and {@link #getJson} reject a status outside 200-299
 * with a {@link FetchException} naming it. A network failure (refused, reset, unresolvable host,
 * the request's {@link Request.Builder#timeout timeout} passed, malformed response, too many
 * redirects) rejects with a {@link FetchException} whose message names the method, the URL and
 * the cause. The timeout covers the whole exchange, from the call (waiting for a slot included)
 * to the body's last byte, as {@code AbortSignal.timeout} does on the web. A malformed URL
 * or a header the JDK refuses fails at the call with an {@link IllegalArgumentException}; so does a
 * {@code null} argument, with a {@link NullPointerException} naming it. Calling from a thread that
 * runs no loop fails with an {@link IllegalStateException} (use
 * {@link FetchClient#fetch(dev.eventual.EventLoop, Request)}).
 *
 * <h2>Cancellation</h2>
 * {@code cancel()} on a fetch's promise aborts the exchange (a request waiting for a slot
 * leaves the line; one in flight is aborted and its connection closed) and releases the loop; so
 * does an abort of the request's {@link Request.Builder#signal signal}, which rejects with the
 * signal's reason, and then also stops the reading of the body. Once {@code abort()} has
 * returned, no request carrying that signal is sent any more: those waiting for a slot leave the
 * line without reaching the server, however many share the signal.
 */
public final class Fetch {
    private Fetch() {}

    /**
     * Returns a promise of the response to a GET of {@code url}. Handlers receive the
     * {@link Response} (status and headers; the body is read from it later) on the calling
     * loop's thread, once the headers arrived; any status fulfils. See the class javadoc for
     * failures and cancellation. Pass a callback through it:
     * {@code fetch(url).thenAccept(this::show)}, or Node style
     * {@code fetch(url).asCallback((error, response) -> ...)}; read or
     * {@link Response#discard() discard} the body either way.
     *
     * @param url an absolute http(s) URL
     * @return a promise of the calling thread's loop
     * @throws IllegalArgumentException if the URL is malformed or not http(s)
     * @throws IllegalStateException if the calling thread runs no event loop
     */
    public static Promise<Response> fetch(String url) {
        return FetchClient.shared().fetch(url);
    }

    /**
     * Returns a promise of the response to {@code request} (method, headers, body, timeout,
     * redirect policy and signal as set on it). Otherwise as {@link #fetch(String)}.
     *
     * @param request what to send
     * @return a promise of the calling thread's loop
     */
    public static Promise<Response> fetch(Request request) {
        return FetchClient.shared().fetch(request);
    }

    /**
     * Returns a promise of the body of a GET of {@code url} as text (decoded with the response's
     * charset, UTF-8 by default). Handlers receive the whole text on the calling loop's thread
     * after the last byte arrived. A status outside 200-299 rejects with a {@link FetchException}
     * naming the status and URL (the body is discarded); network failures as {@link #fetch(String)}.
     * To pass a callback directly, see {@link #getText(String, ValueCallback)} and
     * {@link #getText(String, NodeCallback)}.
     *
     * @param url an absolute http(s) URL
     * @return a promise of the text
     */
    public static Promise<String> getText(String url) {
        return FetchClient.shared().getText(url);
    }

    /**
     * Returns a promise of the body of the response to {@code request} as text: as
     * {@link #getText(String)}, with the request's method, headers, body,
     * {@link Request.Builder#timeout timeout} and {@link Request.Builder#signal signal}. A status
     * outside 200-299 rejects with a {@link FetchException} naming the status and URL.
     *
     * @param request what to send
     * @return a promise of the text
     */
    public static Promise<String> getText(Request request) {
        return FetchClient.shared().getText(request);
    }

    /**
     * GETs {@code url} and calls {@code callback} with the body as text, on the calling loop's
     * thread, after the last byte arrived ({@link #getText(String)}): the seed's "tell the
     * asynchronous function what to do when it completes". Pass it inline
     * ({@code getText(url, text -> show(text))}) or by reference ({@code getText(url, this::show)},
     * {@code getText(url, texts::add)}). The callback is not called when the fetch fails.
     *
     * @param url an absolute http(s) URL
     * @param callback receives the text; may return normally or throw
     * @return a promise that fulfils after the callback returned, or rejects with the fetch's
     *     failure or what the callback threw; if you ignore it, such a failure is reported as an
     *     unhandled rejection, never lost
     */
    public static Promise<Void> getText(String url, ValueCallback<? super String> callback) {
        return FetchClient.shared().getText(url, callback);
    }

    /**
     * GETs {@code url} and calls {@code callback} once, Node style, on the calling loop's thread:
     * {@code (null, text)} after the last byte arrived, or {@code (error, null)} with the
     * {@link FetchException} (a network failure, or a status outside 200-299) when it failed
     * ({@link #getText(String)}). What the callback throws is reported to the loop's error handler.
     *
     * @param url an absolute http(s) URL
     * @param callback receives the outcome
     */
    public static void getText(String url, NodeCallback<? super String> callback) {
        FetchClient.shared().getText(url, callback);
    }

    /**
     * Returns a promise of the body of a GET of {@code url} parsed as JSON, as
     * {@link Response#json()} gives it ({@code Map}, {@code List}, {@code String}, numbers,
     * {@code Boolean}, {@code null}); sends {@code Accept: application/json}. Needs Jackson on the
     * class path. Fails as {@link #getText(String)}, and with a {@link FetchException} when the
     * body is not JSON. Pass a callback through it: {@code getJson(url).thenAccept(this::show)},
     * or Node style {@code getJson(url).asCallback((error, value) -> ...)}.
     *
     * @param url an absolute http(s) URL
     * @return a promise of the parsed value
     */
    public static Promise<Object> getJson(String url) {
        return FetchClient.shared().getJson(url);
    }

    /**
     * Returns a promise of the body of the response to {@code request} parsed as JSON: as
     * {@link #getJson(String)}, with the request's settings (timeout, signal, headers...);
     * {@code Accept: application/json} is added unless the request has an {@code Accept} header.
     *
     * @param request what to send
     * @return a promise of the parsed value
     */
    public static Promise<Object> getJson(Request request) {
        return FetchClient.shared().getJson(request);
    }
}
