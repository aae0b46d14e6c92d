package dev.eventual.io.fetch;

import dev.eventual.AbortSignal;
import java.net.URI;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Flow;

/**
 * What {@link Fetch#fetch(Request)} sends: the web's {@code fetch(url, options)} as an immutable
 * value. Build one with {@link #builder(String)}, or use {@link #get(String)} for a plain GET.
 *
 * <pre>{@code
 * Request post = Request.builder("http://localhost:8080/items")
 *         .method("POST")
 *         .header("Content-Type", "application/json")
 *         .body("{\"name\":\"x\"}")
 *         .timeout(Duration.ofSeconds(5))   // from the call to the body's last byte
 *         .signal(controller.signal())      // aborts the exchange, body included
 *         .build();
 * }</pre>
 *
 * <h2>Nulls</h2>
 * No argument may be {@code null}; a {@code null} fails at the call with a
 * {@link NullPointerException} naming the parameter.
 */
public final class Request {

    /** What {@code fetch} does with a redirect (3xx with a {@code Location}), as the web's option. */
    public enum Redirect {
        /**
         * Follows up to 20 redirects (the web's limit); a 303, or a 301/302 answering a POST,
         * is followed with a GET without a body, a 307/308 with the same method and body. More
         * than 20 rejects with a {@link FetchException} ("too many redirects"). The default.
         */
        FOLLOW,
        /** Rejects with a {@link FetchException} naming the redirect's target. */
        ERROR,
        /** Resolves with the 3xx response itself; its {@code Location} header says where to go. */
        MANUAL
    }

    private final URI uri;
    private final String method;
    private final List<Map.Entry<String, String>> headers;
    private final Body body;
    private final Duration timeout;
    private final Redirect redirect;
    private final AbortSignal signal;

    private Request(Builder b) {
        this.uri = b.uri;
        this.method = b.method;
        this.headers = List.copyOf(b.headers);
        this.body = b.body;
        this.timeout = b.timeout;
        this.redirect = b.redirect;
        this.signal = b.signal;
    }

    /**
     * Returns a GET request of {@code url} with the defaults.
     *
     * @param url an absolute {@code http} or {@code https} URL
     * @return the request
     * @throws IllegalArgumentException if the URL is malformed, relative or not http(s); the message quotes it
     */
    public static Request get(String url) {
        return builder(url).build();
    }

    /**
     * Returns a builder for a request of {@code url}: GET, no headers, no body, no timeout,
     * {@link Redirect#FOLLOW}, no signal.
     *
     * @param url an absolute {@code http} or {@code https} URL
     * @return a new builder
     * @throws IllegalArgumentException if the URL is malformed, relative or not http(s)
     */
    public static Builder builder(String url) {
        return new Builder(parse(Objects.requireNonNull(url, "url")));
    }

    /**
     * Returns a builder for a request of {@code uri}, with the defaults of {@link #builder(String)}.
     *
     * @param uri an absolute {@code http} or {@code https} URI
     * @return a new builder
     */
    public static Builder builder(URI uri) {
        return new Builder(check(Objects.requireNonNull(uri, "uri"), uri.toString()));
    }

    /**
     * Returns a builder that starts from this request's settings.
     *
     * @return a new builder holding this request's URL, method, headers, body, timeout, redirect
     *     policy and signal
     */
    public Builder toBuilder() {
        Builder b = new Builder(uri);
        b.method = method;
        b.headers.addAll(headers);
        b.body = body;
        b.timeout = timeout;
        b.redirect = redirect;
        b.signal = signal;
        return b;
    }

    /**
     * Returns the URL.
     *
     * @return the URL the request is sent to
     */
    public URI uri() {
        return uri;
    }

    /**
     * Returns the method, in capitals.
     *
     * @return the HTTP method, in capitals, as {@code "GET"}
     */
    public String method() {
        return method;
    }

    /**
     * Returns the headers in the order they were added; a name may appear more than once.
     *
     * @return the headers as name-value entries, in the order added
     */
    public List<Map.Entry<String, String>> headers() {
        return headers;
    }

    /**
     * Returns the timeout of the whole exchange, body included, if one was set (see
     * {@link Builder#timeout}).
     *
     * @return the time limit of the whole exchange, or an empty {@code Optional} when none was set
     */
    public Optional<Duration> timeout() {
        return Optional.ofNullable(timeout);
    }

    /**
     * Returns what happens on a redirect.
     *
     * @return the redirect policy: {@link Redirect#FOLLOW} (the default), {@link Redirect#ERROR}
     *     or {@link Redirect#MANUAL}
     */
    public Redirect redirect() {
        return redirect;
    }

    /**
     * Returns the signal that aborts the exchange, if one was set.
     *
     * @return the signal that aborts the exchange, or an empty {@code Optional} when none was set
     */
    public Optional<AbortSignal> signal() {
        return Optional.ofNullable(signal);
    }

    /** Whether the body can be sent again (for a 307/308 redirect): every kind but a publisher. */
    boolean bodyReplayable() {
        return body.replayable;
    }

    /** Whether a body was set. */
    boolean hasBody() {
        return body != Body.NONE;
    }

    BodyPublisher bodyPublisher() {
        return body.publisher();
    }

    @Override
    public String toString() {
        return method + " " + uri;
    }

    static URI parse(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("not a valid URL: \"" + url + "\" (" + e.getReason() + ")", e);
        }
        return check(uri, url);
    }

    private static URI check(URI uri, String text) {
        if (uri.getScheme() == null) {
            throw new IllegalArgumentException("not an absolute URL: \"" + text
                    + "\" has no scheme (it must start with http:// or https://)");
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            throw new IllegalArgumentException("not an http or https URL: \"" + text + "\" (its scheme is "
                    + uri.getScheme() + ")");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("URL has no host: \"" + text + "\"");
        }
        return uri;
    }

    /** A request body and how to send it; {@code replayable} if it can be sent twice. */
    private record Body(java.util.function.Supplier<BodyPublisher> source, boolean replayable) {
        static final Body NONE = new Body(BodyPublishers::noBody, true);

        BodyPublisher publisher() {
            return source.get();
        }
    }

    /**
     * Settings of a {@link Request}. Not thread-safe; {@link #build()} copies them, so a builder
     * may be reused.
     */
    public static final class Builder {
        private final URI uri;
        private String method = "GET";
        private final List<Map.Entry<String, String>> headers = new ArrayList<>();
        private Body body = Body.NONE;
        private Duration timeout;
        private Redirect redirect = Redirect.FOLLOW;
        private AbortSignal signal;

        private Builder(URI uri) {
            this.uri = uri;
        }

        /**
         * Sets the method ({@code GET}, {@code POST}, ...; case-insensitive, sent in capitals).
         *
         * @param method an HTTP method token
         * @return this builder
         * @throws IllegalArgumentException if it is empty or not a token
         */
        public Builder method(String method) {
            Objects.requireNonNull(method, "method");
            if (method.isEmpty() || !method.chars().allMatch(c -> c > 32 && c < 127 && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0)) {
                throw new IllegalArgumentException("not an HTTP method: \"" + method + "\"");
            }
            this.method = method.toUpperCase(Locale.ROOT);
            return this;
        }

        /**
         * Adds a header; adding a name again sends it twice.
         *
         * @param name the header's name
         * @param value its value
         * @return this builder
         */
        public Builder header(String name, String value) {
            headers.add(Map.entry(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value")));
            return this;
        }

        /**
         * Sets the body to {@code text} in UTF-8.
         *
         * @param text the body
         * @return this builder
         */
        public Builder body(String text) {
            return body(text, StandardCharsets.UTF_8);
        }

        /**
         * Sets the body to {@code text} encoded in {@code charset}.
         *
         * @param text the body
         * @param charset its encoding
         * @return this builder
         */
        public Builder body(String text, Charset charset) {
            byte[] bytes = Objects.requireNonNull(text, "text").getBytes(Objects.requireNonNull(charset, "charset"));
            return body(bytes);
        }

        /**
         * Sets the body to {@code bytes} (copied).
         *
         * @param bytes the body
         * @return this builder
         */
        public Builder body(byte[] bytes) {
            byte[] copy = Objects.requireNonNull(bytes, "bytes").clone();
            this.body = new Body(() -> BodyPublishers.ofByteArray(copy), true);
            return this;
        }

        /**
         * Sets the body to the contents of {@code file}, read (off the loop thread) when the
         * request is sent. A missing file fails the fetch, naming the file.
         *
         * @param file the file
         * @return this builder
         */
        public Builder body(Path file) {
            Objects.requireNonNull(file, "file");
            this.body = new Body(() -> {
                try {
                    return BodyPublishers.ofFile(file);
                } catch (java.io.FileNotFoundException e) {
                    throw new java.io.UncheckedIOException("request body file not found: " + file, e);
                }
            }, true);
            return this;
        }

        /**
         * Sets the body to what {@code publisher} publishes; it can be sent once, so a 307/308
         * redirect of this request rejects instead of being followed. {@code contentLength} is
         * the number of bytes it will publish, or negative if unknown (sent chunked).
         *
         * @param publisher the body's bytes
         * @param contentLength its length, or -1
         * @return this builder
         */
        public Builder body(Flow.Publisher<ByteBuffer> publisher, long contentLength) {
            Objects.requireNonNull(publisher, "publisher");
            this.body = new Body(() -> contentLength < 0
                    ? BodyPublishers.fromPublisher(publisher)
                    : BodyPublishers.fromPublisher(publisher, contentLength), false);
            return this;
        }

        /**
         * Sets how long the whole exchange may take, as a web page's
         * {@code signal: AbortSignal.timeout(ms)} does: counted from the call to {@code fetch}
         * (time spent waiting for one of the host's slots, see
         * {@link FetchClient.Builder#maxRequestsPerHost}, and for the first client to be built,
         * included) to the last byte of the body. Once it has passed:
         * <ul>
         *   <li>before the response: the fetch rejects with a {@link FetchException} ("no
         *       response within 5000 ms (the request's timeout)", adding how long it waited for
         *       a slot when it did), whose cause is a {@link java.net.http.HttpTimeoutException};
         *       the exchange is aborted (its connection closed, or its place in line left);</li>
         *   <li>after the headers, while the body is being read (a small body is read before
         *       {@code fetch} resolves, a larger one by {@link Response#text()} and kin): that read
         *       rejects with a {@link FetchException} ("the body did not arrive within ...") and
         *       the connection is closed;</li>
         *   <li>a body nobody has read by then is aborted (its connection closed, its slot given
         *       back), and a read started later rejects with the same exception, as the web's
         *       body errors once its fetch is aborted.</li>
         * </ul>
         * For a bound on the headers alone, cancel the fetch's promise with {@link
         * dev.eventual.Promise#timeout}; for a long download, set no timeout, or a generous one.
         *
         * @param timeout a positive duration
         * @return this builder
         */
        public Builder timeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive: " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        /**
         * Sets what happens on a redirect (default {@link Redirect#FOLLOW}).
         *
         * @param redirect the policy
         * @return this builder
         */
        public Builder redirect(Redirect redirect) {
            this.redirect = Objects.requireNonNull(redirect, "redirect");
            return this;
        }

        /**
         * Sets a signal that aborts the exchange: before the response, the fetch rejects with
         * the signal's reason and the exchange is aborted (its connection closed); after it, a
         * read of the body in progress or started later rejects with it, and stops.
         *
         * @param signal the signal
         * @return this builder
         */
        public Builder signal(AbortSignal signal) {
            this.signal = Objects.requireNonNull(signal, "signal");
            return this;
        }

        /**
         * Returns the request.
         *
         * @return a new request with this builder's settings
         */
        public Request build() {
            return new Request(this);
        }
    }

}
