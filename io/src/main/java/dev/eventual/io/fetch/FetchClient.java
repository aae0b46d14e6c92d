package dev.eventual.io.fetch;

import dev.eventual.EventLoop;
import dev.eventual.NodeCallback;
import dev.eventual.Promise;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A JDK {@link HttpClient} with the limits and rules of Eventual's {@code fetch}. {@link Fetch}'s
 * static methods use {@link #shared()}, one client for the whole JVM (every loop and loop group);
 * build one of your own to set a different limit or to bring a configured {@code HttpClient}
 * (proxy, TLS, authenticator, HTTP version).
 *
 * <h2>Concurrency is bounded</h2>
 * At most {@link Builder#maxRequestsPerHost maxRequestsPerHost} exchanges (default
 * {@value #DEFAULT_MAX_REQUESTS_PER_HOST}) are in flight to one host (scheme, host and port) at a
 * time; the rest wait in line, in the order they were fetched, and start as earlier ones finish.
 * An exchange is in flight from its request until its response body has been read, failed or
 * been discarded. (The JDK client alone opens one HTTP/1.1 connection per exchange in flight,
 * with no cap: enough concurrent requests to one host run out of file descriptors.)
 *
 * <h2>Malformed responses do not leak connections</h2>
 * After a response the JDK client cannot parse (a malformed status line, headers over its
 * 384 KiB limit), the JDK 25 client keeps that connection open until the client is closed, even
 * after the server hung up, and Eventual cannot reach that one connection. So a client that
 * Eventual built itself (the shared one, or one built without {@link Builder#httpClient})
 * retires its JDK client after such a failure: new exchanges go to a fresh JDK client, and the
 * retired one is closed (with the connection it kept) as soon as the exchanges still using it
 * have ended; they complete normally. A JDK client you gave with {@link Builder#httpClient} is
 * never replaced: close it yourself if it talks to such servers.
 *
 * <h2>Threading</h2>
 * Thread-safe. Every {@code fetch} must be called on an event loop thread (or an async body), whose
 * loop receives the results, or be given a loop explicitly ({@link #fetch(EventLoop, Request)}).
 * See {@link Fetch} for what each method's callback or promise receives.
 */
public final class FetchClient implements AutoCloseable {
    /** The default of {@link Builder#maxRequestsPerHost}. */
    public static final int DEFAULT_MAX_REQUESTS_PER_HOST = 64;

    private static final class Shared {
        static final FetchClient INSTANCE = new FetchClient(builder(), true);
    }

    /**
     * The JDK client new exchanges use, and how many use it ({@link JdkClient}). Guarded by
     * {@code lock}, as {@code retiring} and {@code closed} are.
     */
    private JdkClient current;
    /** Retired JDK clients not closed yet (exchanges still use them). */
    private final java.util.Set<JdkClient> retiring = new java.util.HashSet<>();
    private boolean closed;
    private final java.util.concurrent.locks.ReentrantLock lock = new java.util.concurrent.locks.ReentrantLock();
    private final Duration connectTimeout;
    private final boolean ownsHttp;
    private final HostLimiter limiter;
    /** Whether this is {@link #shared()}: tested by close() without touching the holder class. */
    private final boolean shared;

    private FetchClient(Builder b, boolean shared) {
        this.shared = shared;
        this.ownsHttp = b.http == null;
        this.connectTimeout = b.connectTimeout;
        this.current = new JdkClient(ownsHttp ? buildHttp(connectTimeout) : CompletableFuture.completedFuture(b.http));
        this.limiter = new HostLimiter(b.maxRequestsPerHost);
    }

    /**
     * Builds a JDK client on a thread of its own: building one takes seconds the first time in
     * a JVM (TLS set-up, trust store), which must not stall the loop that calls {@code fetch}
     * first; exchanges wait for it without blocking ({@link Exchange}).
     */
    private static CompletableFuture<HttpClient> buildHttp(Duration connectTimeout) {
        CompletableFuture<HttpClient> http = new CompletableFuture<>();
        Thread.ofPlatform().daemon().name("eventual-fetch-client-setup").start(() -> {
            try {
                http.complete(HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                        .connectTimeout(connectTimeout).build());
            } catch (Throwable t) {
                http.completeExceptionally(t);
            }
        });
        return http;
    }

    /**
     * One JDK client and the count of hops using it (from the moment a hop is about to be sent
     * until it failed, was redirected, or its body ended). One is retired after a
     * response that makes the JDK keep its connection ({@link #retire}); a retired one is closed
     * when its count reaches 0. {@code users} and {@code retired} are guarded by the client's lock.
     */
    static final class JdkClient {
        final CompletableFuture<HttpClient> http;
        private int users;
        private boolean retired;

        JdkClient(CompletableFuture<HttpClient> http) {
            this.http = http;
        }
    }

    /** One hop's use of a {@link JdkClient}; {@link #release()} is idempotent. */
    final class Lease {
        final JdkClient jdkClient;
        private final java.util.concurrent.atomic.AtomicBoolean released = new java.util.concurrent.atomic.AtomicBoolean();

        private Lease(JdkClient jdkClient) {
            this.jdkClient = jdkClient;
        }

        void release() {
            if (released.compareAndSet(false, true)) {
                FetchClient.this.release(jdkClient);
            }
        }
    }

    /** Takes a lease on the current JDK client, for one hop. */
    Lease lease() {
        lock.lock();
        try {
            current.users++;
            return new Lease(current);
        } finally {
            lock.unlock();
        }
    }

    private void release(JdkClient g) {
        boolean close;
        lock.lock();
        try {
            g.users--;
            close = g.retired && g.users == 0 && retiring.remove(g);
        } finally {
            lock.unlock();
        }
        if (close) {
            closeLater(g);
        }
    }

    /**
     * Retires {@code g} after a response its JDK client will keep the connection of: new hops
     * get a fresh JDK client; {@code g} is closed once no hop uses it. Does nothing for a JDK
     * client the user gave, for one already retired, or once this client is closed.
     */
    void retire(JdkClient g) {
        if (!ownsHttp) {
            return;
        }
        boolean close;
        lock.lock();
        try {
            if (g != current || closed) {
                return;
            }
            current = new JdkClient(buildHttp(connectTimeout));
            g.retired = true;
            close = g.users == 0;
            if (!close) {
                retiring.add(g);
            }
        } finally {
            lock.unlock();
        }
        if (close) {
            closeLater(g);
        }
    }

    /**
     * Closes a retired JDK client on a virtual thread of its own: {@code close()} waits for the
     * client's threads, and the last hop may end on one of them.
     */
    private static void closeLater(JdkClient g) {
        g.http.whenComplete((client, error) -> {
            if (client != null) {
                Thread.ofVirtual().name("eventual-fetch-client-retire").start(() -> {
                    client.shutdownNow();
                    client.close();
                });
            }
        });
    }

    /**
     * Returns the JVM's shared client: a JDK {@code HttpClient} with its defaults (HTTP/2 where
     * the server offers it, else HTTP/1.1; connections pooled), a 30 s connect timeout, and
     * {@value #DEFAULT_MAX_REQUESTS_PER_HOST} requests per host. Created on first use; never
     * closed (its threads are daemons).
     *
     * @return the shared client; the same object on every call
     */
    public static FetchClient shared() {
        return Shared.INSTANCE;
    }

    /**
     * Returns a builder for a client of your own.
     *
     * @return a new builder with the default settings
     */
    public static Builder builder() {
        return new Builder();
    }

    /** The JDK client new exchanges use, once built: for tests. */
    CompletableFuture<HttpClient> currentJdkClient() {
        lock.lock();
        try {
            return current.http;
        } finally {
            lock.unlock();
        }
    }

    HostLimiter limiter() {
        return limiter;
    }

    /**
     * Returns a promise of the response to a GET of {@code url}; see {@link Fetch#fetch(String)}.
     *
     * @param url an absolute http(s) URL
     * @return a promise of the current loop
     */
    public Promise<Response> fetch(String url) {
        return fetch(Request.get(url));
    }

    /**
     * Returns a promise of the response to {@code request}; see {@link Fetch#fetch(Request)}.
     *
     * @param request what to send
     * @return a promise of the current loop
     * @throws IllegalStateException if the calling thread runs no event loop
     */
    public Promise<Response> fetch(Request request) {
        Objects.requireNonNull(request, "request");
        return fetch(EventLoop.current(), request);
    }

    /**
     * Returns a promise of {@code loop} of the response to {@code request}: for code that runs
     * on no loop (or on another one) and wants the result delivered on {@code loop}'s thread.
     * Otherwise as {@link Fetch#fetch(Request)}.
     *
     * @param loop the loop whose thread receives the result
     * @param request what to send
     * @return a promise of {@code loop}
     */
    public Promise<Response> fetch(EventLoop loop, Request request) {
        Objects.requireNonNull(loop, "loop");
        Objects.requireNonNull(request, "request");
        if (loop.isClosed()) {
            return loop.rejected(new dev.eventual.EventLoopClosedException("fetch " + request + ": event loop '"
                    + loop.name() + "' is closed"));
        }
        if (request.signal().isPresent() && request.signal().get().aborted()) {
            return loop.rejected(request.signal().get().reason()); // the web sends nothing then
        }
        Exchange exchange = new Exchange(this, loop, request);
        java.net.http.HttpRequest first;
        try {
            first = exchange.firstRequest();
        } catch (UncheckedIOException e) { // a body file that cannot be read: a failure of this fetch
            return loop.rejected(exchange.fetchFailure(e));
        } catch (IllegalArgumentException e) { // a header or method the JDK client refuses: bad input
            throw new IllegalArgumentException(request + ": " + e.getMessage(), e);
        }
        Promise<Response> promise = dev.eventual.Timeline.track(
                dev.eventual.internal.Traces.operation(loop, "fetch", exchange), "fetch", request); // loop.from, traced and recorded
        // A loop that closes before the response aborts the exchange (its connection closed);
        // after it, the body's own hook takes over (ResponseBody).
        dev.eventual.CloseHook hook = loop.onClose(() -> exchange.cancel(false));
        exchange.whenComplete((r, e) -> hook.remove());
        exchange.start(first);
        return request.signal().map(promise::withSignal).orElse(promise);
    }

    /**
     * Returns a promise of the body of a GET of {@code url} as text; see {@link Fetch#getText(String)}.
     *
     * @param url an absolute http(s) URL
     * @return a promise of the text
     */
    public Promise<String> getText(String url) {
        return getText(Request.get(url));
    }

    /**
     * Returns a promise of the body of the response to {@code request} as text, rejecting a
     * status outside 200-299; see {@link Fetch#getText(Request)}.
     *
     * @param request what to send (its timeout, signal and headers apply)
     * @return a promise of the text
     */
    public Promise<String> getText(Request request) {
        return fetch(request).thenCompose(Response::requireOk).thenCompose(Response::text);
    }

    /**
     * Calls {@code callback} with the body of a GET of {@code url} as text; see
     * {@link Fetch#getText(String, ValueCallback)}.
     *
     * @param url an absolute http(s) URL
     * @param callback receives the text
     * @return a promise that fulfils after the callback returned, or rejects with the fetch's
     *     failure or what the callback threw
     */
    public Promise<Void> getText(String url, ValueCallback<? super String> callback) {
        Objects.requireNonNull(callback, "callback");
        return getText(url).thenAccept(callback);
    }

    /**
     * Calls {@code callback} once with the body as text, Node style; see
     * {@link Fetch#getText(String, NodeCallback)}.
     *
     * @param url an absolute http(s) URL
     * @param callback receives {@code (null, text)} or {@code (error, null)}
     */
    public void getText(String url, NodeCallback<? super String> callback) {
        Objects.requireNonNull(callback, "callback");
        getText(url).asCallback(callback);
    }

    /**
     * Returns a promise of the body of a GET of {@code url} parsed as JSON; see
     * {@link Fetch#getJson(String)}.
     *
     * @param url an absolute http(s) URL
     * @return a promise of the value
     */
    public Promise<Object> getJson(String url) {
        return getJson(Request.get(url));
    }

    /**
     * Returns a promise of the body of the response to {@code request} parsed as JSON, rejecting
     * a status outside 200-299; see {@link Fetch#getJson(Request)}.
     *
     * @param request what to send; {@code Accept: application/json} is added unless it has an
     *     {@code Accept} header
     * @return a promise of the parsed value
     */
    public Promise<Object> getJson(Request request) {
        Objects.requireNonNull(request, "request");
        boolean accepts = request.headers().stream().anyMatch(h -> h.getKey().equalsIgnoreCase("Accept"));
        Request sent = accepts ? request : request.toBuilder().header("Accept", "application/json").build();
        return fetch(sent).thenCompose(Response::requireOk).thenCompose(Response::json);
    }

    /**
     * Closes the {@code HttpClient} this client created (not one given to
     * {@link Builder#httpClient}): exchanges in flight are aborted. The shared client cannot be
     * closed.
     */
    @Override
    public void close() {
        if (shared) {
            throw new UnsupportedOperationException("the shared FetchClient cannot be closed");
        }
        if (ownsHttp) {
            java.util.List<JdkClient> all;
            lock.lock();
            try {
                closed = true;
                all = new java.util.ArrayList<>(retiring);
                all.add(current);
                retiring.clear();
            } finally {
                lock.unlock();
            }
            for (JdkClient g : all) {
                HttpClient client = g.http.join();
                client.shutdownNow();
                client.close();
            }
        }
    }

    static String formatDuration(Duration d) {
        return d.toMillis() < 10_000 ? d.toMillis() + " ms" : d.toSeconds() + " s";
    }

    /** Settings of a {@link FetchClient}. Not thread-safe. */
    public static final class Builder {
        private HttpClient http;
        private int maxRequestsPerHost = DEFAULT_MAX_REQUESTS_PER_HOST;
        private Duration connectTimeout = Duration.ofSeconds(30);

        private Builder() {}

        /**
         * Uses {@code client} instead of a new one. Its redirect policy should be
         * {@code NEVER}: {@code fetch} follows redirects itself (per request, with the web's
         * limit); a client that follows them hides them from it.
         *
         * @param client a configured JDK client
         * @return this builder
         */
        public Builder httpClient(HttpClient client) {
            this.http = Objects.requireNonNull(client, "client");
            return this;
        }

        /**
         * Sets how many exchanges may be in flight to one host at once (default
         * {@value FetchClient#DEFAULT_MAX_REQUESTS_PER_HOST}); the others wait in line.
         *
         * @param max at least 1
         * @return this builder
         */
        public Builder maxRequestsPerHost(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxRequestsPerHost must be at least 1: " + max);
            }
            this.maxRequestsPerHost = max;
            return this;
        }

        /**
         * Sets how long a new connection may take (default 30 s) for the client this builder
         * creates; ignored with {@link #httpClient}.
         *
         * @param timeout a positive duration
         * @return this builder
         */
        public Builder connectTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("connectTimeout must be positive: " + timeout);
            }
            this.connectTimeout = timeout;
            return this;
        }

        /**
         * Returns the client.
         *
         * @return a new client with this builder's settings; the caller closes it
         */
        public FetchClient build() {
            return new FetchClient(this, false);
        }
    }
}
