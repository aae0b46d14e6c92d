package dev.eventual.io.fetch;

import dev.eventual.AsyncIterator;
import dev.eventual.Promise;
import dev.eventual.io.internal.PullQueue;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A response to a {@link Fetch fetch}: status and headers, available as soon as the headers
 * arrived, and a body that is read once, later, in one of several ways ({@link #text()},
 * {@link #bytes()}, {@link #json()}, {@link #stream(Consumer)}, {@link #discard()}), as the
 * web's {@code Response}.
 *
 * <h2>Threading</h2>
 * The status and headers are fixed and may be read from any thread. Every body method may be
 * called from any thread; its promise belongs to the loop of the fetch, whose thread runs the
 * handlers (as microtasks after the body arrived) and the {@link #stream} callback (one task per
 * chunk as it arrives).
 * Reading the body keeps {@code EventLoop.run} waiting until it is done.
 *
 * <h2>The body's connection</h2>
 * Until its body has been read (or failed, or been discarded), a response holds its connection
 * and one of the host's slots (see {@link FetchClient.Builder#maxRequestsPerHost}). Read or
 * {@link #discard()} every body you fetch; a response that becomes unreachable unread is aborted
 * (its connection closed, its slot given back) when the garbage collector notices, which may be late. A second read rejects with an
 * {@link IllegalStateException}. When the fetch's loop closes, a body still unread or being read
 * (whole or streamed) is aborted at once: its connection is closed and its slot given back (its
 * promises reject with {@link dev.eventual.EventLoopClosedException}, as every promise of a
 * closed loop).
 *
 * <h2>Failures and cancellation</h2>
 * A body that cannot be read (the connection was reset or closed early, a {@code Content-Length}
 * that the body did not reach) rejects with a {@link FetchException} naming the method and URL;
 * so does a read still in progress, or started, once the request's
 * {@link Request.Builder#timeout timeout} has passed (the body is then aborted and its
 * connection closed).
 * Cancelling a body's promise stops the read and closes the connection; if the request had an
 * {@link Request.Builder#signal signal}, its abort does the same to a read in progress, and a read
 * started after the abort rejects at once; both with the signal's reason. (Unlike the web's, an
 * abort does not by itself close the connection of a body nobody has started to read: read or
 * discard it.)
 */
public final class Response {
    private final Request request;
    private final int status;
    private final HttpHeaders headers;
    private final URI uri;
    private final HttpClient.Version version;
    private final boolean redirected;
    private final ResponseBody body;

    Response(Request request, int status, HttpHeaders headers, URI uri, HttpClient.Version version,
            boolean redirected, ResponseBody body) {
        this.request = request;
        this.status = status;
        this.headers = headers;
        this.uri = uri;
        this.version = version;
        this.redirected = redirected;
        this.body = body;
        body.discardWhenUnreachable(this);
    }

    /**
     * Returns the request this responds to, as it was given to {@code fetch}.
     *
     * @return the request as it was given to {@code fetch}, before any redirect
     */
    public Request request() {
        return request;
    }

    /**
     * Returns the HTTP status code.
     *
     * @return the HTTP status code, as {@code 200} or {@code 404}
     */
    public int status() {
        return status;
    }

    /**
     * Whether the status is in 200-299, the web's {@code response.ok}.
     *
     * @return {@code true} if the status is in 200-299, else {@code false}
     */
    public boolean ok() {
        return status >= 200 && status <= 299;
    }

    /**
     * Returns the standard reason phrase of the status ("Not Found"), or "" for an unknown one.
     *
     * @return the reason phrase, or {@code ""} for a status without a standard one
     */
    public String statusText() {
        return reasonPhrase(status);
    }

    /**
     * Returns the headers (names compare case-insensitively).
     *
     * @return the headers the server sent with this response
     */
    public HttpHeaders headers() {
        return headers;
    }

    /**
     * Returns the first value of header {@code name} (case-insensitive), if present.
     *
     * @param name the header's name
     * @return its first value
     */
    public Optional<String> header(String name) {
        return headers.firstValue(Objects.requireNonNull(name, "name"));
    }

    /**
     * Returns the URL that answered: the request's, or the last redirect's target.
     *
     * @return the URL of the response: the request's, or the target of the last redirect followed
     */
    public URI uri() {
        return uri;
    }

    /**
     * Whether one or more redirects were followed to get here.
     *
     * @return {@code true} if at least one redirect was followed, else {@code false}
     */
    public boolean redirected() {
        return redirected;
    }

    /**
     * Returns the protocol version that answered (HTTP/1.1 or HTTP/2).
     *
     * @return {@code HTTP_1_1} or {@code HTTP_2}
     */
    public HttpClient.Version version() {
        return version;
    }

    /**
     * Whether the body has been taken by a read or a {@link #discard()}.
     *
     * @return {@code true} once the body has been read or discarded, else {@code false}
     */
    public boolean bodyUsed() {
        return body.used();
    }

    /**
     * Returns a promise of the body as text, decoded with the {@code charset} of the
     * {@code Content-Type} header (UTF-8 when it names none or one this JVM does not know).
     * Handlers receive the whole text on the fetch's loop thread, as a microtask after the last
     * byte arrived. Fails as the class javadoc says. Pass your callback through the promise:
     * {@code response.text().thenAccept(this::show)}, or Node style
     * {@code response.text().asCallback((error, text) -> ...)}.
     *
     * @return a promise of the text
     */
    public Promise<String> text() {
        Charset charset = charset();
        return body.readAll("reading the body as text", bytes -> new String(bytes, charset));
    }

    /**
     * Returns a promise of the body's bytes; handlers receive the array (theirs to keep) on the
     * fetch's loop thread after the last byte arrived. A body over 2 GB rejects: use
     * {@link #stream}. Pass your callback through the promise:
     * {@code response.bytes().thenAccept(this::save)}, or Node style
     * {@code response.bytes().asCallback((error, bytes) -> ...)}.
     *
     * @return a promise of the bytes
     */
    public Promise<byte[]> bytes() {
        return body.readAll("reading the body", bytes -> bytes);
    }

    /**
     * Returns a promise of this response if its status is in 200-299; otherwise discards the
     * body (so its connection can serve the next request) and rejects with a
     * {@link FetchException} naming the method, the URL and the status ("GET http://host/a: HTTP
     * 404 Not Found"; {@link FetchException#status()} gives it, and
     * {@link FetchException#isTransient()} says whether a retry may succeed). Handlers run on the
     * fetch's loop thread. For a chain that reads the body only on success:
     * {@code fetch(request).thenCompose(Response::requireOk).thenCompose(Response::text)}.
     *
     * @return a promise of this response, or of the status failure
     */
    public Promise<Response> requireOk() {
        if (ok()) {
            return body.loop().resolved(this);
        }
        FetchException failure = FetchException.badStatus(request.method(), uri, status);
        return discard().then(v -> {
            throw failure;
        }, e -> {
            throw failure; // a body that could not be discarded (or was read already): the status is the news
        });
    }

    /**
     * Returns a promise of the body parsed as JSON the way JavaScript's {@code JSON.parse} sees
     * it: a {@code Map<String, Object>} (keys in document order) for an object, a
     * {@code List<Object>} for an array, {@code String}, {@code Integer}/{@code Long}/
     * {@code BigInteger}, {@code Double}, {@code Boolean} or {@code null}. Parsing happens off
     * the loop thread; handlers receive the value on the loop's thread. Needs Jackson
     * ({@code com.fasterxml.jackson.core:jackson-databind} 2.x) on the class or module path:
     * without it, rejects with an {@link IllegalStateException} that says so. A body that is not
     * JSON rejects with a {@link FetchException} naming the URL and the parser's complaint. Pass
     * your callback through the promise: {@code response.json().thenAccept(this::show)}, or Node
     * style {@code response.json().asCallback((error, value) -> ...)}.
     *
     * @return a promise of the parsed value
     */
    public Promise<Object> json() {
        return json(Object.class);
    }

    /**
     * Returns a promise of the body parsed as JSON into {@code type} with Jackson's default
     * {@code ObjectMapper} rules (a record, a bean, {@code Map}, ...). Otherwise as {@link #json()}.
     *
     * @param type the class to bind to
     * @param <T> the type of the value
     * @return a promise of the bound value
     */
    public <T> Promise<T> json(Class<T> type) {
        Objects.requireNonNull(type, "type");
        if (!JsonBinding.available()) {
            return body.loop().rejected(new IllegalStateException(JsonBinding.MISSING));
        }
        return body.parseAll("parsing the body as JSON", bytes -> JsonBinding.parse(bytes, type));
    }

    /**
     * Returns a promise of the body parsed as JSON into a generic type, written as a Jackson
     * {@code TypeReference}: {@code response.json(new TypeReference<List<Integer>>() {})}.
     * Otherwise as {@link #json(Class)}.
     *
     * @param type the type to bind to
     * @param <T> the type of the value
     * @return a promise of the bound value
     */
    public <T> Promise<T> json(com.fasterxml.jackson.core.type.TypeReference<T> type) {
        Objects.requireNonNull(type, "type");
        if (!JsonBinding.available()) {
            return body.loop().rejected(new IllegalStateException(JsonBinding.MISSING));
        }
        return body.parseAll("parsing the body as JSON", bytes -> JsonBinding.parse(bytes, type));
    }

    /**
     * Returns a promise of the body parsed as JSON into {@code type}, any
     * {@link java.lang.reflect.Type} (a class, or a {@link java.lang.reflect.ParameterizedType}
     * such as a field's or a method's generic type). The caller states {@code T}; it is not
     * checked against {@code type}. Otherwise as {@link #json(Class)}.
     *
     * @param type the type to bind to
     * @param <T> the type of the value, as the caller expects it
     * @return a promise of the bound value
     */
    public <T> Promise<T> json(java.lang.reflect.Type type) {
        Objects.requireNonNull(type, "type");
        if (!JsonBinding.available()) {
            return body.loop().rejected(new IllegalStateException(JsonBinding.MISSING));
        }
        return body.parseAll("parsing the body as JSON", bytes -> JsonBinding.parse(bytes, type));
    }

    /**
     * Streams the body to {@code onChunk}: each chunk as a read-only buffer, valid during the
     * call, on the fetch's loop thread, one task per chunk as it arrives; the next chunk is only
     * asked for after the callback returned, so a body of any size is never held in memory. The
     * returned promise fulfils after the last chunk, or rejects with the read's failure, or with
     * what the callback threw (the read then stops and the connection is closed).
     *
     * @param onChunk receives each chunk
     * @return a promise of the end of the body
     */
    public Promise<Void> stream(Consumer<? super ByteBuffer> onChunk) {
        return body.stream(onChunk);
    }

    /**
     * Returns the body's chunks as an {@link AsyncIterator} to pull one at a time: JavaScript's
     * {@code for await (const chunk of response.body)}. In an async body, read it with a plain
     * {@code for} loop:
     * <pre>{@code
     * try (var chunks = Async.iterate(response.chunks())) {
     *     for (ByteBuffer chunk : chunks) {
     *         if (found(chunk)) break;        // the connection is closed, its slot given back
     *     }
     * }
     * }</pre>
     * This takes the body, as {@link #stream(Consumer)} does ({@link #bodyUsed()} turns true), and
     * asks for its first chunk at once; each further chunk is asked for only once every buffer of
     * the one before was taken and {@code next()} asked for one more (back-pressure), so at most
     * one chunk is held. Each item is a read-only buffer of its own, which stays valid.
     * {@code next()}'s promise, of the fetch's loop, settles as a microtask of that loop; it
     * fulfils with the next buffer, or with an empty {@code Optional} at the end of the body, or
     * rejects with the read's failure ({@link FetchException}; also when the body was already
     * read) after the chunks before it were handed out. {@code close()} (a loop left early)
     * stops the read at once: the connection is closed and its slot given back, as when
     * {@code stream}'s promise is cancelled.
     *
     * @return an iterator over the body's chunks, of the fetch's loop; call it on that loop
     */
    public AsyncIterator<ByteBuffer> chunks() {
        return PullQueue.<ByteBuffer>start(body.loop(), (onItem, demand) ->
                body.stream(chunk -> onItem.accept(copy(chunk)), demand));
    }

    private static ByteBuffer copy(ByteBuffer chunk) {
        ByteBuffer own = ByteBuffer.allocate(chunk.remaining());
        own.put(chunk).flip();
        return own.asReadOnlyBuffer();
    }

    /**
     * Reads the body to its end without keeping it, so that its connection can serve the next
     * request, and returns a promise of that end. Use it for a response whose body you do not
     * need (a {@code HEAD}, a 204, a status you reject).
     *
     * @return a promise that fulfils once the body has been read
     */
    public Promise<Void> discard() {
        return body.discard();
    }

    @Override
    public String toString() {
        return "Response[" + status + " " + request.method() + " " + uri + "]";
    }

    Charset charset() {
        String type = headers.firstValue("Content-Type").orElse("");
        for (String param : type.split(";")) {
            String p = param.trim();
            if (p.regionMatches(true, 0, "charset=", 0, 8)) {
                String name = p.substring(8).trim().replace("\"", "");
                try {
                    return Charset.forName(name);
                } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
                    return StandardCharsets.UTF_8;
                }
            }
        }
        return StandardCharsets.UTF_8;
    }

    static String reasonPhrase(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 201 -> "Created";
            case 202 -> "Accepted";
            case 204 -> "No Content";
            case 206 -> "Partial Content";
            case 301 -> "Moved Permanently";
            case 302 -> "Found";
            case 303 -> "See Other";
            case 304 -> "Not Modified";
            case 307 -> "Temporary Redirect";
            case 308 -> "Permanent Redirect";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 408 -> "Request Timeout";
            case 409 -> "Conflict";
            case 410 -> "Gone";
            case 413 -> "Content Too Large";
            case 415 -> "Unsupported Media Type";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 501 -> "Not Implemented";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> "";
        };
    }
}
