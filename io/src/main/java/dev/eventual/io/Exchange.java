package dev.eventual.io;

import dev.eventual.AbortSignal;
import dev.eventual.EventLoop;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodySubscribers;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.UnresolvedAddressException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
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
 * a {@code Content-Length} of at most {@link #BUFFER_LIMIT} is read whole by the JDK before the
 * response is delivered: the slot goes back at once, and the response and its body reach the
 * loop in one hand-off instead of two (which measured about 1.4x the raw client's time per
 * sequential localhost GET when every body was read in a second hand-off).
 *
 * <p>{@code ticket} and {@code inFlight} (the current hop's ticket and JDK future) and
 * {@code cancelled} are guarded by {@code lock}, because {@link #cancel} comes from the loop
 * thread while hops start and finish on JDK threads. Hops never overlap: the next starts from the
 * completion of the previous, which orders the plain fields {@code uri}, {@code method},
 * {@code withBody} and {@code redirects} (written only by the hop chain) through the
 * {@code CompletableFuture} completion.
 */
final class Exchange extends CompletableFuture<Response> {
    /** The web's limit (fetch standard, "HTTP-redirect fetch" step 5). */
    static final int MAX_REDIRECTS = 20;
    /** Bodies with a Content-Length up to this are read whole before the response is delivered. */
    static final long BUFFER_LIMIT = 64 * 1024;

    private final FetchClient client;
    private final EventLoop loop;
    private final Request request;
    private final ReentrantLock lock = new ReentrantLock();
    private HostLimiter.Ticket ticket;
    private CompletableFuture<?> inFlight;
    private boolean cancelled;

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
    }

    /**
     * Builds the first hop's JDK request, in the caller's thread, so that what the JDK refuses (a
     * restricted header such as {@code Host}, a bad header value) fails at the call with an
     * {@code IllegalArgumentException}; a body file that cannot be read throws
     * {@code UncheckedIOException}.
     */
    HttpRequest firstRequest() {
        return build();
    }

    /** Sends {@code first}, made by {@link #firstRequest()}, once a slot is free. */
    void start(HttpRequest first) {
        hop(first);
    }

    private HttpRequest build() {
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
        request.timeout().ifPresent(b::timeout);
        return b.build();
    }

    private void hop(HttpRequest jdkRequest) {
        HostLimiter.Ticket t = client.limiter().ticket(hostKey(jdkRequest.uri()), held -> send(held, jdkRequest));
        lock.lock();
        try {
            if (cancelled) {
                return;
            }
            ticket = t;
        } finally {
            lock.unlock();
        }
        client.limiter().enter(t);
    }

    /**
     * Runs once {@code held} holds a slot, on the thread that freed it, or later, on the thread
     * that finished building the JDK client. Never throws.
     */
    private void send(HostLimiter.Ticket held, HttpRequest jdkRequest) {
        CompletableFuture<HttpClient> ready = client.http();
        if (!ready.isDone()) {
            ready.whenComplete((c, e) -> send(held, jdkRequest));
            return;
        }
        CompletableFuture<HttpResponse<Flow.Publisher<List<ByteBuffer>>>> sent;
        lock.lock();
        try {
            // The signal too, not only this exchange's flag: an abort cancels the exchanges that
            // share its signal one listener at a time, and one whose listener has not run yet
            // may be handed the slot another one just gave back; it must not be sent.
            if (cancelled || request.signal().map(AbortSignal::aborted).orElse(false)) {
                cancelled = true;
                sent = null;
            } else {
                try {
                    sent = ready.join().sendAsync(jdkRequest, bodyHandler(request.redirect()));
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
            held.release(); // cancelled (or its signal aborted) before its turn came
            return;
        }
        sent.whenComplete((response, error) -> completed(held, response, error));
    }

    /**
     * The JDK body handler: drops the body of a redirect that will be followed (freeing the
     * connection), hands every other body over unread. Static, capturing the policy alone: the
     * JDK keeps its handler while a body is unread, and it must not keep this exchange (and so
     * the response) reachable.
     */
    private static HttpResponse.BodyHandler<Flow.Publisher<List<ByteBuffer>>> bodyHandler(Request.Redirect policy) {
        return info -> {
            if (policy != Request.Redirect.MANUAL && isRedirect(info.statusCode(), info.headers())) {
                return BodySubscribers.replacing(null);
            }
            long length = info.headers().firstValueAsLong("Content-Length").orElse(-1);
            if (length >= 0 && length <= BUFFER_LIMIT) {
                // Small and of known length: read whole on the JDK thread, so the response and its
                // body reach the loop in one hand-off, and the connection is free at once.
                return BodySubscribers.mapping(BodySubscribers.ofByteArray(), ResponseBody.Buffered::new);
            }
            return BodySubscribers.ofPublisher();
        };
    }

    /** Runs on a JDK thread when a hop ends; whatever happens, the exchange settles. */
    private void completed(HostLimiter.Ticket held, HttpResponse<Flow.Publisher<List<ByteBuffer>>> response, Throwable error) {
        try {
            settle(held, response, error);
        } catch (Throwable t) { // a bug guard: a throw here would vanish into the JDK's future
            held.release();
            completeExceptionally(failure(t));
        }
    }

    private void settle(HostLimiter.Ticket held, HttpResponse<Flow.Publisher<List<ByteBuffer>>> response, Throwable error) {
        if (error != null) {
            held.release();
            completeExceptionally(failure(error));
            return;
        }
        int status = response.statusCode();
        if (request.redirect() != Request.Redirect.MANUAL && isRedirect(status, response.headers())) {
            held.release();
            redirect(status, response.headers().firstValue("Location").orElseThrow());
            return;
        }
        Flow.Publisher<List<ByteBuffer>> publisher = response.body();
        if (publisher instanceof ResponseBody.Buffered) {
            held.release(); // read whole: the connection is back in the pool already
        }
        ResponseBody body = new ResponseBody(publisher, held::release, loop,
                request.signal().orElse(null), method, uri);
        boolean abandoned;
        lock.lock();
        try {
            abandoned = cancelled || loop.isClosed();
            ticket = null; // the slot now belongs to the body: a later cancel() must not give it back
            inFlight = null;
        } finally {
            lock.unlock();
        }
        if (abandoned) {
            body.abort(); // closes the connection and gives the slot back
            completeExceptionally(new FetchException(method, uri, "cancelled, or its loop closed", null));
            return;
        }
        Response result = new Response(request, status, response.headers(), response.uri(), response.version(),
                redirects > 0, body);
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
            next = build();
        } catch (RuntimeException e) {
            completeExceptionally(failure(e));
            return;
        }
        hop(next);
    }

    private static boolean isRedirect(int status, HttpHeaders headers) {
        return (status == 301 || status == 302 || status == 303 || status == 307 || status == 308)
                && headers.firstValue("Location").isPresent();
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

    FetchException failure(Throwable error) {
        Throwable e = error;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return new FetchException(method, uri, describe(e), e);
    }

    private String describe(Throwable e) {
        if (e instanceof HttpConnectTimeoutException) {
            return "could not connect within the client's connect timeout";
        }
        if (e instanceof HttpTimeoutException) {
            return "no response within " + request.timeout().map(FetchClient::format).orElse("the timeout")
                    + " (the request's timeout)";
        }
        if (e instanceof CancellationException) {
            return "cancelled";
        }
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof UnresolvedAddressException || c instanceof java.net.UnknownHostException) {
                return "cannot resolve host " + uri.getHost();
            }
        }
        if (e instanceof ConnectException) {
            String m = null;
            for (Throwable c = e; c != null && m == null; c = c.getCause()) {
                m = c.getMessage();
            }
            // The JDK retries a failed connect once on the closed channel, and then reports a
            // ConnectException without a message caused by a ClosedChannelException.
            return "cannot connect to " + uri.getHost() + ":" + port(uri) + " ("
                    + (m == null ? "refused or unreachable" : m) + ")";
        }
        if (e instanceof UncheckedIOException u) {
            return u.getMessage();
        }
        String m = e.getMessage();
        return (m == null || m.isBlank() ? "" : m + " ") + "(" + e.getClass().getName() + ")" + FetchException.rootCause(e);
    }

    static String hostKey(URI uri) {
        return uri.getScheme().toLowerCase(Locale.ROOT) + "://" + uri.getHost().toLowerCase(Locale.ROOT) + ":" + port(uri);
    }

    private static int port(URI uri) {
        return uri.getPort() >= 0 ? uri.getPort() : uri.getScheme().equalsIgnoreCase("https") ? 443 : 80;
    }

    @Override
    public String toString() {
        return "fetch " + request;
    }

}
