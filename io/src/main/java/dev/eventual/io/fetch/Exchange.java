package dev.eventual.io.fetch;

import dev.eventual.AbortSignal;
import dev.eventual.EventLoop;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodySubscribers;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One {@code fetch}: the request, each redirect it follows, until a response's headers arrived.
 * It is the future behind the fetch's promise ({@code loop.from(exchange)}), so the promise's
 * {@code cancel()} reaches {@link #cancel}.
 *
 * <p>Overview: each hop (the request, then each redirect target) takes a {@link HostLimiter}
 * ticket, and when the ticket holds a slot, sends with the JDK client. The JDK completes the
 * hop on its own threads: a redirect to follow gives the slot back (its body was discarded by
 * the body handler, so the connection is free) and starts the next hop; a failure gives it back
 * and completes this future exceptionally with a {@link FetchException}; a response hands the
 * slot to its {@link ResponseBody}, which gives it back when the body has been read. A body with
 * a {@code Content-Length} of at most {@link #SMALL_BODY_LIMIT} is read whole by the JDK before the
 * response is delivered: the slot goes back at once, and the response and its body reach the
 * loop in one hand-off, not two (the cost of the second hand-off: BENCHMARKS.md, {@code HttpGet}).
 *
 * <p>Such a small response is delivered from the JDK thread that read its last byte, by the body
 * handler's finisher ({@link EarlyHandOff}), not from the future {@code sendAsync} returned: the
 * JDK completes that future on its async pool (a {@code whenCompleteAsync} of its own), one more
 * thread hand-off before the one to the loop. Exactly one of the two delivers a hop: the finisher
 * if it claims the hand-off first, else the future's completion (a failure, a redirect, a large
 * body). Only with a JDK client that follows no redirects itself (Eventual's own, or a given one
 * with {@code NEVER}): the response's URL is then the hop's, which the finisher knows; a client
 * that follows redirects knows the final URL only in its response object.
 *
 * <p>Each hop also leases the client's current JDK client ({@link FetchClient.Lease}) and gives
 * the lease back with the slot (the hop's {@code done}); a hop that fails with a response the
 * JDK could not parse retires that JDK client first ({@link #keepsConnection}). A hop is not
 * sent if, when its slot comes, the exchange was cancelled, its deadline has passed, or its
 * request's signal has aborted (an abort cancels the exchanges sharing its signal one listener at
 * a time, and one not reached yet may be handed the slot of one already cancelled).
 *
 * <p>The request's timeout is a {@link Deadline} from the call to the end of the body (the web's
 * {@code AbortSignal.timeout} covers both): while no response has been delivered, its expiry
 * rejects the exchange and aborts the hop (a ticket waiting in line leaves it, a JDK exchange in
 * flight is cancelled, which closes its connection); once the response is delivered, the expiry
 * fails its {@link ResponseBody}, which aborts a read in progress and rejects any later one. The
 * deadline is cancelled when the exchange fails or its body has ended. The JDK's own
 * {@code HttpRequest.timeout} is not used: it starts only when the hop is sent, and stops once
 * the headers arrived.
 *
 * <p>{@code ticket} and {@code inFlight} (the current hop's ticket and JDK future),
 * {@code cancelled}, {@code body}, {@code queuedSince} and {@code queuedNanos} are guarded by
 * {@code lock}, because {@link #cancel} comes from the loop thread and the deadline's expiry from
 * the timer thread while hops start and finish on JDK threads. Hops never overlap: the next
 * starts from the completion of the previous, which orders the plain fields {@code uri}, {@code method},
 * {@code withBody} and {@code redirects} (written only by the hop chain) through the
 * {@code CompletableFuture} completion; a small response's finisher reads them after
 * {@code sendAsync}, whose hand-offs to the JDK's threads (executor submissions, concurrent
 * queues) order the writes made before it.
 */
final class Exchange extends CompletableFuture<Response> {
    /** The web's limit (fetch standard, "HTTP-redirect fetch" step 5). */
    static final int MAX_REDIRECTS = 20;
    /** Bodies with a Content-Length up to this are read whole before the response is delivered. */
    static final long SMALL_BODY_LIMIT = 64 * 1024;

    private final FetchClient client;
    private final EventLoop loop;
    private final Request request;
    private final ReentrantLock lock = new ReentrantLock();
    private HostLimiter.Ticket ticket;
    private CompletableFuture<?> inFlight;
    private boolean cancelled;
    /** The delivered response's body, which the deadline fails once passed; null before. */
    private ResponseBody body;
    /** When the current hop entered the host's line (System.nanoTime), or 0 once it got a slot. */
    private long queuedSince;
    /** Time spent in line by the hops that got their slot. */
    private long queuedNanos;
    /** The request's timeout, from the call on; null without one. */
    private final Deadline deadline;
    /**
     * Set by the JDK body handler when the headers of a response that will be delivered have
     * arrived: a timeout after it is the body's. A holder, so the handler does not capture this.
     */
    private final AtomicBoolean headersArrived = new AtomicBoolean();

    private URI uri;
    private String method;
    private boolean withBody;
    private int redirects;
    /** A redirect turned the request into a GET without its body: its content headers go too. */
    private boolean bodyDropped;
    /** A redirect crossed origins once: credentials are not sent again, even back to the first. */
    private boolean credentialsDropped;

    Exchange(FetchClient client, EventLoop loop, Request request) {
        this.client = client;
        this.loop = loop;
        this.request = request;
        this.uri = request.uri();
        this.method = request.method();
        this.withBody = request.hasBody();
        this.deadline = request.timeout().map(t -> new Deadline(t, this::onDeadline)).orElse(null);
        if (deadline != null) {
            whenComplete((r, e) -> {
                if (e != null) {
                    deadline.cancel(); // no body will follow
                }
            });
        }
    }

    /**
     * Builds the first hop's JDK request, in the caller's thread, so that what the JDK refuses (a
     * restricted header such as {@code Host}, a bad header value) fails at the call with an
     * {@code IllegalArgumentException}; a body file that cannot be read throws
     * {@code UncheckedIOException}.
     */
    HttpRequest firstRequest() {
        return buildHop();
    }

    /** Sends {@code first}, made by {@link #firstRequest()}, once a slot is free. */
    void start(HttpRequest first) {
        queueHop(first);
    }

    private HttpRequest buildHop() {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).expectContinue(false);
        if (withBody) {
            b.method(method, request.bodyPublisher());
        } else {
            switch (method) { // these send no Content-Length; method(m, noBody()) sends "Content-Length: 0"
                case "GET" -> b.GET();
                case "HEAD" -> b.HEAD();
                case "DELETE" -> b.DELETE();
                default -> b.method(method, HttpRequest.BodyPublishers.noBody());
            }
        }
        for (Map.Entry<String, String> h : request.headers()) {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            if (bodyDropped && (name.equals("content-type") || name.equals("content-encoding")
                    || name.equals("content-language") || name.equals("content-location"))) {
                continue; // the fetch standard's request-body-header names, dropped with the body
            }
            if (credentialsDropped && (name.equals("authorization") || name.equals("cookie")
                    || name.equals("proxy-authorization"))) {
                continue; // credentials stay with the origin they were meant for
            }
            b.header(h.getKey(), h.getValue());
        }
        return b.build(); // no JDK timeout: the Deadline bounds the whole exchange
    }

    private void queueHop(HttpRequest jdkRequest) {
        HostLimiter.Ticket t = client.limiter().ticket(hostKey(jdkRequest.uri()), held -> onSlot(held, jdkRequest));
        lock.lock();
        try {
            if (cancelled) {
                return;
            }
            ticket = t;
            queuedSince = System.nanoTime();
        } finally {
            lock.unlock();
        }
        client.limiter().enter(t);
    }

    /**
     * Runs once {@code held} holds a slot, on the thread that freed it, or later, on the thread
     * that finished building the JDK client. Never throws.
     */
    private void onSlot(HostLimiter.Ticket held, HttpRequest jdkRequest) {
        lock.lock();
        try {
            if (queuedSince != 0) { // out of the line (waiting for the client to be built is not in it)
                if (held.queued()) {
                    queuedNanos += System.nanoTime() - queuedSince;
                }
                queuedSince = 0;
            }
        } finally {
            lock.unlock();
        }
        sendHop(held, client.lease(), jdkRequest);
    }

    /**
     * Sends the hop with {@code lease}'s JDK client once it is built. The hop's end
     * ({@code done}: slot and lease given back) comes when it fails, is redirected, or its body
     * has ended.
     */
    private void sendHop(HostLimiter.Ticket held, FetchClient.Lease lease, HttpRequest jdkRequest) {
        CompletableFuture<HttpClient> ready = lease.jdkClient.http;
        if (!ready.isDone()) {
            ready.whenComplete((c, e) -> sendHop(held, lease, jdkRequest));
            return;
        }
        Runnable done = () -> {
            held.release();
            lease.release();
        };
        CompletableFuture<HttpResponse<Flow.Publisher<List<ByteBuffer>>>> sent;
        EarlyHandOff early = null;
        boolean expired = false;
        lock.lock();
        try {
            if (!cancelled && deadline != null && deadline.passed()) {
                // Its expiry may still be queued behind the one that freed this slot: a hop
                // whose deadline has passed is not sent at all.
                expired = true;
                cancelled = true;
            }
            // The signal too, not only this exchange's flag: an abort cancels the exchanges that
            // share its signal one listener at a time, and one whose listener has not run yet
            // may be handed the slot another one just gave back; it must not be sent.
            if (cancelled || request.signal().map(AbortSignal::aborted).orElse(false)) {
                cancelled = true;
                sent = null;
            } else {
                try {
                    HttpClient http = ready.join();
                    if (http.followRedirects() == HttpClient.Redirect.NEVER) {
                        early = new EarlyHandOff(this, done, jdkRequest.uri());
                    }
                    sent = http.sendAsync(jdkRequest, bodyHandler(request.redirect(), headersArrived, early));
                } catch (RuntimeException e) {
                    // CompletionException: the client could not be built;
                    // IllegalArgumentException: a request the client refuses
                    sent = CompletableFuture.failedFuture(e);
                }
                inFlight = sent;
            }
        } finally {
            lock.unlock();
        }
        if (sent == null) {
            done.run(); // cancelled (or its signal aborted, or its deadline passed) before its turn came
            if (expired) {
                completeExceptionally(timeoutFailure(false));
            }
            return;
        }
        EarlyHandOff handOff = early;
        sent.whenComplete((response, error) -> {
            if (handOff == null || handOff.claim()) {
                onHopEnded(done, lease, response, error);
            } // else the body handler's finisher delivered this hop's small response already
        });
    }

    /**
     * One hop's delivery of a small response from the JDK thread that read its last byte (see
     * the overview). {@code claimed} goes false to true once, by the finisher or by the hop's
     * future, and only the winner delivers. {@code exchange} is dropped by the body handler when
     * the body is not small: the JDK keeps its handler while a body is unread, and the handler
     * must not keep the exchange, whose value is the response, reachable (the body's clean-up
     * needs the response to become unreachable).
     */
    static final class EarlyHandOff {
        private final AtomicBoolean claimed = new AtomicBoolean();
        private volatile Exchange exchange;
        private final Runnable done;
        private final URI uri;

        EarlyHandOff(Exchange exchange, Runnable done, URI uri) {
            this.exchange = exchange;
            this.done = done;
            this.uri = uri;
        }

        /** Whether the caller is the one to deliver this hop. */
        boolean claim() {
            return claimed.compareAndSet(false, true);
        }

        /** The body is not small: the future delivers, and this forgets the exchange. */
        void forget() {
            exchange = null;
        }

        /**
         * On the JDK thread that read the last byte: delivers the response if the future has not.
         * Never throws (a throw would fail the JDK's body, whose failure nobody would deliver).
         */
        void deliver(HttpResponse.ResponseInfo info, ResponseBody.SmallBody body) {
            Exchange x = exchange;
            exchange = null;
            if (x == null || !claim()) {
                return;
            }
            x.deliverGuarded(done, info.statusCode(), info.headers(), uri, info.version(), body);
        }
    }

    /**
     * The JDK body handler: drops the body of a redirect that will be followed (freeing the
     * connection), hands every other body over unread. Static, capturing the policy alone: the
     * JDK keeps its handler while a body is unread, and it must not keep this exchange (and so
     * the response) reachable.
     */
    private static HttpResponse.BodyHandler<Flow.Publisher<List<ByteBuffer>>> bodyHandler(Request.Redirect policy,
            AtomicBoolean headersArrived, EarlyHandOff early) {
        return info -> {
            if (policy != Request.Redirect.MANUAL && isRedirect(info.statusCode(), info.headers())) {
                if (early != null) {
                    early.forget();
                }
                return BodySubscribers.replacing(null);
            }
            headersArrived.set(true);
            long length = info.headers().firstValueAsLong("Content-Length").orElse(-1);
            if (length >= 0 && length <= SMALL_BODY_LIMIT) {
                // Small and of known length: read whole on the JDK thread, so the response and its
                // body reach the loop in one hand-off, and the connection is free at once (the JDK
                // returns it to its pool before the subscriber's onComplete, so before this finisher).
                return BodySubscribers.mapping(BodySubscribers.ofByteArray(), bytes -> {
                    ResponseBody.SmallBody body = new ResponseBody.SmallBody(bytes);
                    if (early != null) {
                        early.deliver(info, body);
                    }
                    return body;
                });
            }
            if (early != null) {
                early.forget();
            }
            return BodySubscribers.ofPublisher();
        };
    }

    /** Runs on a JDK thread when a hop ends; whatever happens, the exchange settles. */
    private void onHopEnded(Runnable done, FetchClient.Lease lease, HttpResponse<Flow.Publisher<List<ByteBuffer>>> response,
            Throwable error) {
        try {
            settleHop(done, lease, response, error);
        } catch (Throwable t) { // a bug guard: a throw here would vanish into the JDK's future
            done.run();
            completeExceptionally(fetchFailure(t));
        }
    }

    private void settleHop(Runnable done, FetchClient.Lease lease, HttpResponse<Flow.Publisher<List<ByteBuffer>>> response,
            Throwable error) {
        if (error != null) {
            if (keepsConnection(error)) {
                client.retire(lease.jdkClient); // before done: a retired client with no user closes at once
            }
            done.run();
            Throwable e = FailureText.unwrap(error);
            if (FailureText.lostConnectCause(e, uri)) {
                URI at = uri;
                String m = method;
                FailureText.diagnoseConnect(at, why -> completeExceptionally(new FetchException(m, at,
                        "cannot connect to " + at.getHost() + ":" + port(at) + " (" + why + ")", e)));
                return;
            }
            completeExceptionally(fetchFailure(error));
            return;
        }
        int status = response.statusCode();
        if (request.redirect() != Request.Redirect.MANUAL && isRedirect(status, response.headers())) {
            done.run();
            redirect(status, response.headers().firstValue("Location").orElseThrow());
            return;
        }
        deliver(done, status, response.headers(), response.uri(), response.version(), response.body());
    }

    /** {@link #deliver} from the body handler's finisher, which must not throw; see {@link EarlyHandOff}. */
    private void deliverGuarded(Runnable done, int status, HttpHeaders headers, URI at, HttpClient.Version version,
            Flow.Publisher<List<ByteBuffer>> publisher) {
        try {
            deliver(done, status, headers, at, version, publisher);
        } catch (Throwable t) { // a bug guard, as in onHopEnded
            done.run();
            completeExceptionally(fetchFailure(t));
        }
    }

    /** Hands a response (not a redirect to follow) to the fetch's promise, on the thread that got it. */
    private void deliver(Runnable done, int status, HttpHeaders headers, URI at, HttpClient.Version version,
            Flow.Publisher<List<ByteBuffer>> publisher) {
        if (publisher instanceof ResponseBody.SmallBody) {
            done.run(); // read whole: the connection is back in the pool already
        }
        Deadline d = deadline;
        ResponseBody body = new ResponseBody(publisher, d == null ? done : () -> {
            done.run();
            d.cancel();
        }, loop, request.signal().orElse(null), method, uri);
        boolean abandoned;
        lock.lock();
        try {
            abandoned = cancelled || loop.isClosed();
            ticket = null; // the slot now belongs to the body: a later cancel() must not give it back
            inFlight = null;
            if (!abandoned) {
                this.body = body; // from now on, the deadline fails the body
            }
        } finally {
            lock.unlock();
        }
        if (abandoned) {
            body.abort(); // closes the connection and gives the slot back
            completeExceptionally(new FetchException(method, uri, "cancelled, or its loop closed", null));
            return;
        }
        Response result = new Response(request, status, headers, at, version, redirects > 0, body);
        if (!complete(result)) {
            body.abort(); // cancelled meanwhile: nobody will read it
        }
    }

    private void redirect(int status, String location) {
        URI target;
        try {
            target = uri.resolve(location);
        } catch (IllegalArgumentException e) {
            completeExceptionally(new FetchException(method, uri, "redirected (" + status + ") to an invalid Location \""
                    + location + "\"", e));
            return;
        }
        if (request.redirect() == Request.Redirect.ERROR) {
            completeExceptionally(new FetchException(method, uri, "redirected (" + status + ") to " + target
                    + ", and the request's redirect policy is ERROR", null));
            return;
        }
        if (redirects >= MAX_REDIRECTS) {
            completeExceptionally(new FetchException(request.method(), request.uri(), "too many redirects ("
                    + MAX_REDIRECTS + "); the last went from " + uri + " to " + target, null));
            return;
        }
        String scheme = target.getScheme() == null ? "" : target.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || target.isOpaque() || target.getHost() == null) {
            completeExceptionally(new FetchException(method, uri, "redirected to " + target + ", not an http(s) URL with a host", null));
            return;
        }
        boolean toGet = status == 303 && !method.equals("HEAD") || (status == 301 || status == 302) && method.equals("POST");
        if (toGet) {
            method = "GET";
            bodyDropped |= withBody;
            withBody = false;
        } else if (withBody && !request.bodyReplayable()) {
            completeExceptionally(new FetchException(method, uri, "redirected (" + status + ") to " + target
                    + ", which needs the body again, and a publisher body can be sent once", null));
            return;
        }
        credentialsDropped |= !hostKey(target).equals(hostKey(uri));
        uri = target;
        redirects++;
        HttpRequest next;
        try {
            next = buildHop();
        } catch (RuntimeException e) {
            completeExceptionally(fetchFailure(e));
            return;
        }
        queueHop(next);
    }

    /**
     * Whether the JDK keeps the connection after {@code error}: a response it could not parse
     * (a {@link java.net.ProtocolException}: a malformed status line, headers over its limit),
     * whose connection JDK 25 leaves open until the client is closed.
     */
    static boolean keepsConnection(Throwable error) {
        for (Throwable c = error; c != null; c = c.getCause()) {
            if (c instanceof java.net.ProtocolException) {
                return true;
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return false;
    }

    private static boolean isRedirect(int status, HttpHeaders headers) {
        return (status == 301 || status == 302 || status == 303 || status == 307 || status == 308)
                && headers.firstValue("Location").isPresent();
    }

    /**
     * The deadline's expiry, on the timer thread: rejects the exchange (or, once its response
     * was delivered, fails the body) with the timeout. Never throws.
     */
    private void onDeadline() {
        try {
            ResponseBody delivered;
            HostLimiter.Ticket t;
            CompletableFuture<?> sent;
            FetchException timeout;
            lock.lock();
            try {
                delivered = body;
                t = ticket;
                sent = inFlight;
                if (delivered == null) {
                    cancelled = true;
                }
                timeout = timeoutFailure(delivered == null && queuedSince != 0);
            } finally {
                lock.unlock();
            }
            if (delivered != null) {
                delivered.fail(timeout);
                return;
            }
            completeExceptionally(timeout); // first: the cancelled hop's own failure must not win
            if (sent != null) {
                sent.cancel(true); // its completion gives the slot back
            } else if (t != null) {
                t.release(); // leaves the line
            }
        } catch (Throwable e) { // a bug guard: a throw here would vanish into the timer
            completeExceptionally(fetchFailure(e));
        }
    }

    /**
     * The timeout's rejection: before the headers, "no response"; after them, "the body did not
     * arrive". {@code stillQueued}: the hop never got a slot, so the whole timeout went on
     * waiting in line, which the message says.
     */
    private FetchException timeoutFailure(boolean stillQueued) {
        String within = FetchClient.formatDuration(deadline.timeout()) + " (the request's timeout)";
        String problem = headersArrived.get() ? "the body did not arrive within " + within : "no response within " + within;
        String line = "a connection slot to " + hostKey(uri) + " (at most " + client.limiter().slotsPerHost()
                + " at a time: FetchClient.Builder.maxRequestsPerHost)";
        if (stillQueued) {
            problem += ", spent waiting for " + line;
        } else if (queuedNanos >= 1_000_000) {
            problem += ", " + queuedNanos / 1_000_000 + " ms of it waiting for " + line;
        }
        return new FetchException(method, uri, problem, new HttpTimeoutException("request timed out"));
    }

    /**
     * Aborts the exchange: a hop waiting for a slot leaves the line; one in flight is cancelled,
     * which makes the JDK abort it and close its connection.
     */
    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        HostLimiter.Ticket t;
        CompletableFuture<?> sent;
        lock.lock();
        try {
            cancelled = true;
            t = ticket;
            sent = inFlight;
        } finally {
            lock.unlock();
        }
        boolean result = super.cancel(mayInterruptIfRunning);
        if (sent != null) {
            sent.cancel(true);
        }
        if (t != null) {
            t.release(); // idempotent: the hop's completion releases it too
        }
        return result;
    }

    /** The exchange's failure for {@code error}, naming the method and URL of the current hop. */
    FetchException fetchFailure(Throwable error) {
        Throwable e = FailureText.unwrap(error);
        return new FetchException(method, uri, FailureText.describe(e, uri, request.timeout()), e);
    }

    static String hostKey(URI uri) {
        return uri.getScheme().toLowerCase(Locale.ROOT) + "://" + uri.getHost().toLowerCase(Locale.ROOT) + ":" + port(uri);
    }

    static int port(URI uri) {
        return uri.getPort() >= 0 ? uri.getPort() : uri.getScheme().equalsIgnoreCase("https") ? 443 : 80;
    }

    @Override
    public String toString() {
        return "fetch " + request;
    }

}
