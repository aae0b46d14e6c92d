package dev.eventual.io.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.sun.net.httpserver.HttpServer;
import dev.eventual.AbortController;
import dev.eventual.AbortSignal;
import dev.eventual.AsyncTimeoutException;
import dev.eventual.EventLoop;
import dev.eventual.Promise;
import dev.eventual.Settled;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketException;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code fetch} against servers that misbehave on purpose ({@link MisbehavingServer}): each case
 * settles with a {@link FetchException} (or a value) whose message names the URL and the cause,
 * the loop keeps serving other work meanwhile (a timer and a fetch to a healthy server in the same
 * {@code EventLoop.run} complete), and afterwards no connection stays open (the server saw each
 * one end) and no thread of the test's {@link FetchClient} is left.
 *
 * <p>Every test builds its own client and {@link #closeClient closes} it; times are hang guards
 * ({@link #GUARD}), never assertions. What the JDK client does where the web gives no answer
 * (oversized headers, a pooled connection closed under a request, a server hanging up during the
 * request body) is pinned here, so that a JDK update that changes it shows up.
 */
class FetchRobustnessTest {
    /** Hang guard for one test's loop and for waits on servers: generous, never a timing assertion. */
    private static final Duration GUARD = Duration.ofSeconds(30);
    /** The JDK's {@code HttpClientImpl.toString()} ends with its id N, "(N)". */
    private static final Pattern CLIENT_ID = Pattern.compile("\\((\\d+)\\)$");

    /** Answers every request with 200 "ok": the other work the loop keeps serving. */
    private static MisbehavingServer healthy;

    /** This test's client, built by {@link #newClient}; closed and checked by {@link #closeClient}. */
    private FetchClient client;
    private boolean clientClosed;

    @BeforeAll
    static void startHealthyServer() {
        healthy = MisbehavingServer.http(seen -> MisbehavingServer.response(200, "", "ok"));
    }

    @AfterAll
    static void stopHealthyServer() {
        healthy.close();
    }

    @AfterEach
    void closeClientAfterTest() throws InterruptedException {
        if (client != null) {
            closeClient();
        }
    }

    // ------------------------------------------------------------------ 1. no answer

    @Test
    void fetch_fromAServerThatNeverAnswers_rejectsAfterTheRequestTimeout_namingUrlAndTimeout() throws Exception {
        newClient(FetchClient.builder());
        try (MisbehavingServer server = MisbehavingServer.start(c -> {
            c.readHead();
            c.awaitClientClose();
        })) {
            URI uri = server.uri("/silent");
            AtomicReference<Promise<Response>> fetched = new AtomicReference<>();
            AtomicReference<SideWork> side = new AtomicReference<>();
            loop(() -> {
                side.set(sideWork());
                fetched.set(quiet(client.fetch(Request.builder(uri).timeout(Duration.ofMillis(200)).build())));
            });

            FetchException e = rejected(fetched.get(), FetchException.class);
            assertThat(e).hasMessage("GET " + uri + " failed: no response within 200 ms (the request's timeout)");
            assertThat(e.getCause()).isInstanceOf(HttpTimeoutException.class);
            assertThat(e.uri()).isEqualTo(uri);
            side.get().assertDone();
            assertAllClosed(server); // the JDK closed the timed-out connection itself
        }
    }

    // ------------------------------------------------------------------ 2, 3, 4. resets and truncation

    @Test
    void fetch_whenTheConnectionIsResetInTheMiddleOfTheHeaders_rejectsNamingUrl_causedByTheReset() throws Exception {
        newClient(FetchClient.builder());
        try (MisbehavingServer server = MisbehavingServer.start(c -> {
            c.readHead();
            c.send("HTTP/1.1 200 OK\r\nContent-Type: text/pl");
            c.reset();
        })) {
            URI uri = server.uri("/reset-in-headers");
            AtomicReference<Promise<Response>> fetched = new AtomicReference<>();
            AtomicReference<SideWork> side = new AtomicReference<>();
            loop(() -> {
                side.set(sideWork());
                fetched.set(quiet(client.fetch(uri.toString())));
            });

            // The JDK reports where its parser was ("parsing HTTP/1.1 header, receiving
            // [Content-Type:...], parser state [HEADER]"); the reset is its cause.
            FetchException e = rejected(fetched.get(), FetchException.class);
            assertThat(e.getMessage()).startsWith("GET " + uri + " failed: ");
            assertThat(e.getCause()).isInstanceOf(IOException.class);
            assertThat(rootCause(e)).isInstanceOf(SocketException.class).hasMessage("Connection reset");
            side.get().assertDone();
            assertAllClosed(server);
        }
    }

    @Test
    void text_whenTheConnectionIsResetInTheMiddleOfTheBody_rejectsNamingUrl_afterTheResponseResolved() throws Exception {
        newClient(FetchClient.builder());
        CountDownLatch headersArrived = new CountDownLatch(1);
        try (MisbehavingServer server = MisbehavingServer.start(c -> {
            c.readHead();
            c.send("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n" + "x".repeat(1000));
            headersArrived.await(GUARD.toSeconds(), TimeUnit.SECONDS);
            c.reset();
        })) {
            URI uri = server.uri("/reset-in-body");
            AtomicReference<Promise<Response>> fetched = new AtomicReference<>();
            AtomicReference<Promise<String>> text = new AtomicReference<>();
            AtomicReference<SideWork> side = new AtomicReference<>();
            loop(() -> {
                side.set(sideWork());
                fetched.set(client.fetch(uri.toString()).then(r -> {
                    headersArrived.countDown();
                    text.set(quiet(r.text()));
                    return r;
                }));
            });

            assertThat(fulfilled(fetched.get()).status()).isEqualTo(200);
            FetchException e = rejected(text.get(), FetchException.class);
            assertThat(e.getMessage()).startsWith("GET " + uri + " failed: reading the body failed: "
                    + "fixed content-length: 100000, bytes received: 1000");
            assertThat(rootCause(e)).isInstanceOf(SocketException.class).hasMessage("Connection reset");
            side.get().assertDone();
            assertAllClosed(server);
        }
    }

    @Test
    void text_ofALargeBodyShorterThanItsContentLength_rejectsNamingUrlAndTheShortfall() throws Exception {
        newClient(FetchClient.builder());
        CountDownLatch headersArrived = new CountDownLatch(1);
        try (MisbehavingServer server = MisbehavingServer.start(c -> {
            c.readHead();
            c.send("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n" + "x".repeat(50000));
            headersArrived.await(GUARD.toSeconds(), TimeUnit.SECONDS);
            c.close(); // an orderly close (FIN), 50,000 bytes short
        })) {
            URI uri = server.uri("/truncated");
            AtomicReference<Promise<String>> text = new AtomicReference<>();
            AtomicReference<SideWork> side = new AtomicReference<>();
            loop(() -> {
                side.set(sideWork());
                text.set(quiet(client.fetch(uri.toString()).thenCompose(r -> {
                    headersArrived.countDown();
                    return r.text();
                })));
            });

            FetchException e = rejected(text.get(), FetchException.class);
            assertThat(e.getMessage()).startsWith("GET " + uri + " failed: reading the body failed: "
                    + "fixed content-length: 100000, bytes received: 50000");
            side.get().assertDone();
            assertAllClosed(server);
        }
    }

    @Test
    void fetch_ofASmallBodyShorterThanItsContentLength_rejectsItself_namingUrlAndTheShortfall() throws Exception {
        // Up to 64 KiB with a Content-Length, the body is read before fetch resolves: fetch rejects.
        newClient(FetchClient.builder());
        try (MisbehavingServer server = MisbehavingServer.start(c -> {
            c.readHead();
            c.send("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n" + "x".repeat(500));
            c.close();
        })) {
            URI uri = server.uri("/truncated-small");
            AtomicReference<Promise<Response>> fetch = new AtomicReference<>();
            AtomicReference<SideWork> side = new AtomicReference<>();
            loop(() -> {
                side.set(sideWork());
                fetch.set(quiet(client.fetch(uri.toString())));
            });

            FetchException e = rejected(fetch.get(), FetchException.class);
            assertThat(e.getMessage()).startsWith("GET " + uri + " failed: ")
                    .contains("fixed content-length: 1000, bytes received: 500");
            side.get().assertDone();
            assertAllClosed(server);
        }
    }

    /**
     * The cases above reject naming the URL, but where the JDK wraps the cause in a description
     * of its parser's state, the message leaves the cause out: a reset reads "parsing HTTP/1.1
     * header, receiving [Content-Type:...], parser state [HEADER]" or "reading the body failed:
     * fixed content-length: 100000, bytes received: 1000", and a refused port "(ConnectException)"
     * (the JDK retries a failed connect once on the closed channel and reports a ConnectException
     * without a message, caused by a ClosedChannelException: "Connection refused" is lost).
     */
    @Test
    void failureMessages_nameTheCause_ofAResetOrARefusal() throws Exception {
        newClient(FetchClient.builder());
        int refusedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            refusedPort = s.getLocalPort();
        }
        CountDownLatch headersArrived = new CountDownLatch(1);
        try (MisbehavingServer inHeaders = MisbehavingServer.start(c -> {
            c.readHead();
            c.send("HTTP/1.1 200 OK\r\nContent-Type: text/pl");
            c.reset();
        }); MisbehavingServer inBody = MisbehavingServer.start(c -> {
            c.readHead();
            c.send("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n" + "x".repeat(1000));
            headersArrived.await(GUARD.toSeconds(), TimeUnit.SECONDS);
            c.reset();
        })) {
            List<Promise<?>> outcomes = new ArrayList<>();
            loop(() -> {
                outcomes.add(quiet(client.fetch(inHeaders.uri("/h").toString())));
                outcomes.add(quiet(client.fetch(inBody.uri("/b").toString()).thenCompose(r -> {
                    headersArrived.countDown();
                    return r.text();
                })));
                outcomes.add(quiet(client.fetch("http://127.0.0.1:" + refusedPort + "/")));
            });

            assertThat(rejected(outcomes.get(0), FetchException.class).getMessage()).contains("Connection reset");
            assertThat(rejected(outcomes.get(1), FetchException.class).getMessage()).contains("Connection reset");
            assertThat(rejected(outcomes.get(2), FetchException.class).getMessage()).containsIgnoringCase("refused");
            assertAllClosed(inHeaders);
            assertAllClosed(inBody);
        }
    }

    // ------------------------------------------------------------------ 5, 6. malformed responses

    /**
     * The JDK client refuses these with a {@link java.net.ProtocolException} quoting the line. (It
     * accepts a line whose three-digit code is followed by junk, such as "HTTP/1.1 2000 OK", as a
     * 200.) It does not close the connection then: the socket stays open, even after the server
     * closed its side, until its JDK client is closed, which {@code FetchClient} does by
     * retiring that JDK client (FetchMalformedLeakTest). The same for the oversized
     * headers below.
     */
    @ParameterizedTest
    @ValueSource(strings = {"HTTP/1.1 abc Broken", "SSH-2.0-OpenSSH_9.6", "HTTP/1.1", "HTTP/1.1 20 OK", "HTTP/2.0 200 OK"})
    void fetch_ofAResponseWithAMalformedStatusLine_rejectsNamingUrlAndTheLine(String statusLine) throws Exception {
        newClient(FetchClient.builder());
        try (MisbehavingServer server = MisbehavingServer.start(c -> {
            c.readHead();
            c.send(statusLine + "\r\nContent-Length: 2\r\n\r\nok");
        })) {
            URI uri = server.uri("/malformed");
            AtomicReference<Promise<Response>> fetched = new AtomicReference<>();
            AtomicReference<SideWork> side = new AtomicReference<>();
            loop(() -> {
                side.set(sideWork());
                fetched.set(quiet(client.fetch(uri.toString())));
            });

            FetchException e = rejected(fetched.get(), FetchException.class);
            assertThat(e).hasMessage("GET " + uri + " failed: Invalid status line: \"" + statusLine
                    + "\" (java.net.ProtocolException)");
            side.get().assertDone();
            closeClient();
            assertAllClosed(server);
        }
    }

    /**
     * The JDK client refuses response headers larger than {@code jdk.http.maxHeaderSize} (384 KiB
     * by default) with a {@link java.net.ProtocolException}, and (as above) keeps the connection
     * open until the client is closed.
     */
    @Test
    void fetch_ofAResponseWithAMegabyteOfHeaders_rejectsNamingUrlAndTheHeaderLimit() throws Exception {
        newClient(FetchClient.builder());
        StringBuilder head = new StringBuilder("HTTP/1.1 200 OK\r\n");
        for (int i = 0; head.length() < 1 << 20; i++) {
            head.append("X-Filler-").append(i).append(": ").append("f".repeat(100)).append("\r\n");
        }
        head.append("Content-Length: 2\r\n\r\nok");
        try (MisbehavingServer server = MisbehavingServer.start(c -> {
            c.readHead();
            c.send(head.toString());
        })) {
            URI uri = server.uri("/huge-headers");
            AtomicReference<Promise<Response>> fetched = new AtomicReference<>();
            AtomicReference<SideWork> side = new AtomicReference<>();
            loop(() -> {
                side.set(sideWork());
                fetched.set(quiet(client.fetch(uri.toString())));
            });

            FetchException e = rejected(fetched.get(), FetchException.class);
            assertThat(e.getMessage()).startsWith("GET " + uri + " failed: Header size too big: ")
                    .endsWith(" > 393216 (java.net.ProtocolException)");
            assertThat(e.getCause()).isInstanceOf(java.net.ProtocolException.class);
            side.get().assertDone();
            closeClient();
            assertAllClosed(server);
        }
    }

    // ------------------------------------------------------------------ 7. large bodies

    private static final int BODY_SIZE = 50 << 20;
    /** 251 * 256 bytes: the pattern {@code (offset % 251)} repeats exactly in every such block. */
    private static final byte[] PATTERN = new byte[251 * 256];

    static {
        for (int i = 0; i < PATTERN.length; i++) {
            PATTERN[i] = (byte) (i % 251);
        }
    }

    private static void writePattern(OutputStream out, long size) throws IOException {
        for (long sent = 0; sent < size; ) {
            int n = (int) Math.min(PATTERN.length, size - sent);
            out.write(PATTERN, 0, n);
            sent += n;
        }
        out.flush();
    }

    /** Counts and checks the streamed pattern on the loop thread, keeping nothing. */
    private static final class PatternCounter {
        long count;
        long mismatches;
        int maxChunk;

        void accept(ByteBuffer b) {
            int n = b.remaining();
            maxChunk = Math.max(maxChunk, n);
            for (int i = 0; i < n; i++) {
                if (b.get(b.position() + i) != (byte) ((count + i) % 251)) {
                    mismatches++;
                }
            }
            count += n;
        }
    }

    @Test
    void stream_ofA50MegabyteBodyWithContentLength_deliversEveryByteInSmallChunks() throws Exception {
        newClient(FetchClient.builder());
        try (MisbehavingServer server = MisbehavingServer.start(c -> {
            c.readHead();
            c.send("HTTP/1.1 200 OK\r\nContent-Length: " + BODY_SIZE + "\r\n\r\n");
            writePattern(c.socket.getOutputStream(), BODY_SIZE);
        })) {
            URI uri = server.uri("/big");
            PatternCounter counter = new PatternCounter();
            AtomicReference<Promise<Void>> streamed = new AtomicReference<>();
            loop(() -> streamed.set(quiet(client.fetch(uri.toString()).thenCompose(r -> r.stream(counter::accept)))));

            fulfilled(streamed.get());
            assertThat(counter.count).isEqualTo(BODY_SIZE);
            assertThat(counter.mismatches).isZero();
            assertThat(counter.maxChunk).isLessThanOrEqualTo(1 << 20);
            closeClient();
            assertAllClosed(server);
        }
    }

    @Test
    void stream_ofA50MegabyteChunkedBodyGeneratedOnTheFly_deliversEveryByteInSmallChunks() throws Exception {
        newClient(FetchClient.builder());
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        ExecutorService handlers = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(handlers);
        server.createContext("/generated", exchange -> {
            exchange.sendResponseHeaders(200, 0); // chunked: no length known up front
            try (OutputStream out = exchange.getResponseBody()) {
                writePattern(out, BODY_SIZE);
            }
        });
        server.start();
        try {
            URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/generated");
            PatternCounter counter = new PatternCounter();
            AtomicReference<Promise<Void>> streamed = new AtomicReference<>();
            AtomicReference<Response> response = new AtomicReference<>();
            loop(() -> streamed.set(quiet(client.fetch(uri.toString()).thenCompose(r -> {
                response.set(r);
                return r.stream(counter::accept);
            }))));

            fulfilled(streamed.get());
            assertThat(response.get().header("Transfer-Encoding")).hasValue("chunked");
            assertThat(counter.count).isEqualTo(BODY_SIZE);
            assertThat(counter.mismatches).isZero();
            assertThat(counter.maxChunk).isLessThanOrEqualTo(1 << 20);
        } finally {
            server.stop(0);
            handlers.close();
        }
    }

    // ------------------------------------------------------------------ 8. redirects

    @Test
    void fetch_ofARedirectLoop_rejectsWithTooManyRedirects_after20() throws Exception {
        newClient(FetchClient.builder());
        AtomicInteger requests = new AtomicInteger();
        try (MisbehavingServer server = MisbehavingServer.http(seen -> {
            requests.incrementAndGet();
            int n = Integer.parseInt(seen.target().substring("/loop/".length()));
            return MisbehavingServer.response(302, "Location: /loop/" + (n + 1) + "\r\n", "moved");
        })) {
            URI uri = server.uri("/loop/0");
            AtomicReference<Promise<Response>> fetched = new AtomicReference<>();
            AtomicReference<SideWork> side = new AtomicReference<>();
            loop(() -> {
                side.set(sideWork());
                fetched.set(quiet(client.fetch(uri.toString())));
            });

            FetchException e = rejected(fetched.get(), FetchException.class);
            assertThat(e).hasMessage("GET " + uri + " failed: too many redirects (20); the last went from "
                    + server.uri("/loop/20") + " to " + server.uri("/loop/21"));
            assertThat(requests).hasValue(21);
            side.get().assertDone();
            closeClient();
            assertAllClosed(server);
        }
    }

    @Test
    void fetch_ofARedirect_withPolicyError_rejectsNamingTheTarget() throws Exception {
        newClient(FetchClient.builder());
        AtomicInteger requests = new AtomicInteger();
        try (MisbehavingServer server = MisbehavingServer.http(seen -> {
            requests.incrementAndGet();
            return MisbehavingServer.response(301, "Location: /new\r\n", "");
        })) {
            URI uri = server.uri("/old");
            AtomicReference<Promise<Response>> fetched = new AtomicReference<>();
            loop(() -> fetched.set(quiet(client.fetch(Request.builder(uri).redirect(Request.Redirect.ERROR).build()))));

            FetchException e = rejected(fetched.get(), FetchException.class);
            assertThat(e).hasMessage("GET " + uri + " failed: redirected (301) to " + server.uri("/new")
                    + ", and the request's redirect policy is ERROR");
            assertThat(requests).hasValue(1);
            closeClient();
            assertAllClosed(server);
        }
    }

    @Test
    void fetch_ofARedirect_withPolicyManual_resolvesWithThe3xxResponse() throws Exception {
        newClient(FetchClient.builder());
        AtomicInteger requests = new AtomicInteger();
        try (MisbehavingServer server = MisbehavingServer.http(seen -> {
            requests.incrementAndGet();
            return MisbehavingServer.response(302, "Location: /new\r\n", "see /new");
        })) {
            URI uri = server.uri("/old");
            AtomicReference<Response> response = new AtomicReference<>();
            AtomicReference<Promise<String>> text = new AtomicReference<>();
            loop(() -> text.set(quiet(client.fetch(Request.builder(uri).redirect(Request.Redirect.MANUAL).build())
                    .thenCompose(r -> {
                        response.set(r);
                        return r.text();
                    }))));

            assertThat(fulfilled(text.get())).isEqualTo("see /new");
            assertThat(response.get().status()).isEqualTo(302);
            assertThat(response.get().header("Location")).hasValue("/new");
            assertThat(response.get().redirected()).isFalse();
            assertThat(response.get().uri()).isEqualTo(uri);
            assertThat(requests).hasValue(1);
            closeClient();
            assertAllClosed(server);
        }
    }

    @Test
    void fetch_ofA303AfterAPost_followsWithAGetWithoutBody() throws Exception {
        newClient(FetchClient.builder());
        Queue<MisbehavingServer.Seen> seen = new ConcurrentLinkedQueue<>();
        try (MisbehavingServer server = MisbehavingServer.http(s -> {
            seen.add(s);
            return s.target().equals("/form")
                    ? MisbehavingServer.response(303, "Location: /result\r\n", "")
                    : MisbehavingServer.response(200, "", s.method() + " " + s.target());
        })) {
            URI uri = server.uri("/form");
            AtomicReference<Response> response = new AtomicReference<>();
            AtomicReference<Promise<String>> text = new AtomicReference<>();
            loop(() -> text.set(quiet(client.fetch(Request.builder(uri).method("POST")
                    .header("Content-Type", "application/x-www-form-urlencoded").body("name=x").build())
                    .thenCompose(r -> {
                        response.set(r);
                        return r.text();
                    }))));

            assertThat(fulfilled(text.get())).isEqualTo("GET /result");
            assertThat(response.get().redirected()).isTrue();
            assertThat(response.get().uri()).isEqualTo(server.uri("/result"));
            List<MisbehavingServer.Seen> requests = List.copyOf(seen);
            assertThat(requests).extracting(MisbehavingServer.Seen::method).containsExactly("POST", "GET");
            assertThat(requests.get(0).bodyText()).isEqualTo("name=x");
            assertThat(requests.get(1).body()).isEmpty();
            assertThat(requests.get(1).headers()).doesNotContainKey("Content-Type");
            closeClient();
            assertAllClosed(server);
        }
    }

    /**
     * A GET carries no body, so the web's fetch sends no {@code Content-Length}; RFC 9110 8.6:
     * a user agent SHOULD NOT send one then. Exchange builds every request with
     * {@code method(m, BodyPublishers.noBody())}, which makes the JDK add "Content-Length: 0"
     * (its {@code GET()} does not).
     */
    @Test
    void get_sendsNoContentLength_plainOrAfterA303() throws Exception {
        newClient(FetchClient.builder());
        Queue<MisbehavingServer.Seen> seen = new ConcurrentLinkedQueue<>();
        try (MisbehavingServer server = MisbehavingServer.http(s -> {
            seen.add(s);
            return s.target().equals("/form")
                    ? MisbehavingServer.response(303, "Location: /result\r\n", "")
                    : MisbehavingServer.response(200, "", "ok");
        })) {
            AtomicReference<Promise<String>> texts = new AtomicReference<>();
            loop(() -> texts.set(quiet(client.fetch(server.uri("/plain").toString()).thenCompose(Response::text)
                    .thenCompose(t -> client.fetch(Request.builder(server.uri("/form")).method("POST").body("x").build()))
                    .thenCompose(Response::text))));

            assertThat(fulfilled(texts.get())).isEqualTo("ok");
            List<MisbehavingServer.Seen> requests = List.copyOf(seen);
            assertThat(requests).extracting(r -> r.method() + " " + r.target())
                    .containsExactly("GET /plain", "POST /form", "GET /result");
            assertThat(requests.get(0).headers()).doesNotContainKey("Content-Length");
            assertThat(requests.get(2).headers()).doesNotContainKey("Content-Length");
            closeClient();
            assertAllClosed(server);
        }
    }

    @Test
    void fetch_ofA307AfterAPost_followsWithTheSameMethodAndBody() throws Exception {
        newClient(FetchClient.builder());
        Queue<MisbehavingServer.Seen> seen = new ConcurrentLinkedQueue<>();
        try (MisbehavingServer server = MisbehavingServer.http(s -> {
            seen.add(s);
            return s.target().equals("/old")
                    ? MisbehavingServer.response(307, "Location: /new\r\n", "")
                    : MisbehavingServer.response(201, "", s.method() + " " + s.target() + " " + s.bodyText());
        })) {
            URI uri = server.uri("/old");
            AtomicReference<Promise<String>> text = new AtomicReference<>();
            loop(() -> text.set(quiet(client.fetch(Request.builder(uri).method("POST")
                    .header("Content-Type", "text/plain").body("payload").build())
                    .thenCompose(Response::text))));

            assertThat(fulfilled(text.get())).isEqualTo("POST /new payload");
            List<MisbehavingServer.Seen> requests = List.copyOf(seen);
            assertThat(requests).extracting(MisbehavingServer.Seen::method).containsExactly("POST", "POST");
            assertThat(requests.get(1).headers()).containsEntry("Content-Type", "text/plain");
            closeClient();
            assertAllClosed(server);
        }
    }

    @Test
    void fetch_ofARedirectWithARelativeLocation_resolvesItAgainstTheRequestUrl() throws Exception {
        newClient(FetchClient.builder());
        try (MisbehavingServer server = MisbehavingServer.http(s -> s.target().equals("/a/b/c")
                ? MisbehavingServer.response(302, "Location: ../d?x=1\r\n", "")
                : MisbehavingServer.response(200, "", "at " + s.target()))) {
            URI uri = server.uri("/a/b/c");
            AtomicReference<Response> response = new AtomicReference<>();
            AtomicReference<Promise<String>> text = new AtomicReference<>();
            loop(() -> text.set(quiet(client.fetch(uri.toString()).thenCompose(r -> {
                response.set(r);
                return r.text();
            }))));

            assertThat(fulfilled(text.get())).isEqualTo("at /a/d?x=1");
            assertThat(response.get().uri()).isEqualTo(server.uri("/a/d?x=1"));
            assertThat(response.get().redirected()).isTrue();
            closeClient();
            assertAllClosed(server);
        }
    }

    // ------------------------------------------------------------------ 9. slow bodies

    @Test
    void text_ofABodyDrippedIn20ChunksApart_resolvesWithTheWholeBody() throws Exception {
        newClient(FetchClient.builder());
        try (MisbehavingServer server = MisbehavingServer.start(c -> {
            c.readHead();
            c.send("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n");
            c.drip("drip\n", 20, Duration.ofMillis(50));
        })) {
            URI uri = server.uri("/drip");
            AtomicReference<Promise<String>> text = new AtomicReference<>();
            AtomicReference<SideWork> side = new AtomicReference<>();
            loop(() -> {
                side.set(sideWork());
                text.set(quiet(client.fetch(uri.toString()).thenCompose(Response::text)));
            });

            assertThat(fulfilled(text.get())).isEqualTo("drip\n".repeat(20));
            side.get().assertDone();
            closeClient();
            assertAllClosed(server);
        }
    }

    @Test
    void text_ofADrippingBody_withAnAbortSignalTimeout_rejectsWithTheTimeoutAndClosesTheConnection() throws Exception {
        newClient(FetchClient.builder());
        try (MisbehavingServer server = MisbehavingServer.start(c -> {
            c.readHead();
            c.send("HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\n\r\n");
            c.drip("drip\n", Integer.MAX_VALUE, Duration.ofMillis(50)); // until the client hangs up
        })) {
            URI uri = server.uri("/drip-forever");
            AtomicReference<AbortSignal> signal = new AtomicReference<>();
            AtomicReference<Promise<String>> text = new AtomicReference<>();
            AtomicReference<SideWork> side = new AtomicReference<>();
            loop(() -> {
                side.set(sideWork());
                signal.set(AbortSignal.timeout(Duration.ofMillis(300)));
                text.set(quiet(client.fetch(Request.builder(uri).signal(signal.get()).build())
                        .thenCompose(Response::text)));
            });

            Throwable reason = rejected(text.get(), AsyncTimeoutException.class);
            assertThat(reason).isSameAs(signal.get().reason());
            side.get().assertDone();
            assertAllClosed(server); // before closing the client: the abort closed the connection
        }
    }

    // ------------------------------------------------------------------ 10. many at once

    @Test
    void fetch_200AtOnceToOneServer_allComplete() throws Exception {
        newClient(FetchClient.builder());
        try (MisbehavingServer server = MisbehavingServer.http(s -> MisbehavingServer.response(200, "", s.target()))) {
            List<Promise<String>> texts = new ArrayList<>();
            loop(() -> {
                for (int i = 0; i < 200; i++) {
                    texts.add(quiet(client.fetch(server.uri("/item/" + i).toString()).thenCompose(Response::text)));
                }
            });

            for (int i = 0; i < 200; i++) {
                assertThat(fulfilled(texts.get(i))).isEqualTo("/item/" + i);
            }
            assertThat(server.maxOpen()).isLessThanOrEqualTo(FetchClient.DEFAULT_MAX_REQUESTS_PER_HOST);
            closeClient();
            assertAllClosed(server);
        }
    }

    /**
     * 20,000 fetches at once to one server: all succeed, and the default per-host limit keeps the
     * server at 64 connections and 64 requests at a time. (The JDK client alone would open a
     * connection per request.) Most of the run time is the JDK client's own cost per exchange.
     */
    @Test
    void fetch_20000AtOnceToOneServer_allSucceed_withAtMost64ConnectionsAndRequests() throws Exception {
        newClient(FetchClient.builder());
        AtomicInteger inHandler = new AtomicInteger();
        AtomicInteger maxInHandler = new AtomicInteger();
        try (MisbehavingServer server = MisbehavingServer.start(c -> {
            for (MisbehavingServer.Seen s; (s = c.readRequest()) != null; ) {
                maxInHandler.accumulateAndGet(inHandler.incrementAndGet(), Math::max);
                // Leaves the count before the response goes out: the client cannot send the next
                // request on this slot before then, so the count never exceeds the client's in-flight.
                inHandler.decrementAndGet();
                c.send(MisbehavingServer.response(200, "", "ok"));
            }
        })) {
            String url = server.uri("/n").toString();
            int total = 20_000;
            AtomicInteger succeeded = new AtomicInteger();
            AtomicReference<Throwable> firstFailure = new AtomicReference<>();
            // A few seconds on an idle 2-core machine, but CPU-bound: a generous guard for a busy one.
            loop(Duration.ofMinutes(3), () -> {
                for (int i = 0; i < total; i++) {
                    client.fetch(url).thenCompose(Response::text).asCallback((error, text) -> {
                        if (error == null && text.equals("ok")) {
                            succeeded.incrementAndGet();
                        } else {
                            firstFailure.compareAndSet(null, error != null ? error : new AssertionError(text));
                        }
                    });
                }
            });

            assertThat(firstFailure.get()).isNull();
            assertThat(succeeded).hasValue(total);
            assertThat(maxInHandler.get()).isBetween(1, FetchClient.DEFAULT_MAX_REQUESTS_PER_HOST);
            assertThat(server.maxOpen()).isBetween(1, FetchClient.DEFAULT_MAX_REQUESTS_PER_HOST);
            assertThat(client.limiter().inFlightAndWaiting(Exchange.hostKey(URI.create(url)))).containsExactly(0, 0);
            closeClient();
            assertAllClosed(server);
        }
    }

    // ------------------------------------------------------------------ 11, 12. nobody there

    @Test
    void fetch_ofAnUnresolvableHost_rejectsNamingTheHost() throws Exception {
        newClient(FetchClient.builder());
        AtomicReference<Promise<Response>> fetched = new AtomicReference<>();
        AtomicReference<SideWork> side = new AtomicReference<>();
        loop(() -> {
            side.set(sideWork());
            fetched.set(quiet(client.fetch("http://nosuch.invalid/")));
        });

        FetchException e = rejected(fetched.get(), FetchException.class);
        assertThat(e).hasMessage("GET http://nosuch.invalid/ failed: cannot resolve host nosuch.invalid");
        side.get().assertDone();
    }

    @Test
    void fetch_ofARefusedPort_rejectsNamingHostAndPort() throws Exception {
        newClient(FetchClient.builder());
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        String url = "http://127.0.0.1:" + port + "/";
        AtomicReference<Promise<Response>> fetched = new AtomicReference<>();
        AtomicReference<SideWork> side = new AtomicReference<>();
        loop(() -> {
            side.set(sideWork());
            fetched.set(quiet(client.fetch(url)));
        });

        FetchException e = rejected(fetched.get(), FetchException.class);
        // The JDK retries a failed connect once on the same, closed channel: what it reports is a
        // ConnectException without a message, caused by a ClosedChannelException; "Connection
        // refused" is lost (JDK 25.0.3; with -Djdk.httpclient.disableRetryConnect=true it stays).
        assertThat(e.getMessage()).startsWith("GET " + url + " failed: cannot connect to 127.0.0.1:" + port + " (");
        assertThat(e.getCause()).isInstanceOf(java.net.ConnectException.class);
        side.get().assertDone();
    }

    // ------------------------------------------------------------------ 13. pooled connection closed

    /**
     * Connection 0 answers the first request, then reads the second and hangs up without a
     * byte of answer: the JDK sees its pooled connection closed before any response byte
     * ({@code ConnectionExpiredException}) and sends the GET again once, on a new connection.
     */
    @Test
    void get_onAPooledConnectionTheServerClosesUnderIt_isRetriedOnceOnANewConnection() throws Exception {
        newClient(FetchClient.builder());
        Queue<String> log = new ConcurrentLinkedQueue<>();
        try (MisbehavingServer server = MisbehavingServer.start(closesPooledConnection(log))) {
            AtomicReference<Promise<String>> second = new AtomicReference<>();
            loop(() -> second.set(quiet(client.fetch(server.uri("/one").toString())
                    .thenCompose(Response::text)
                    .thenCompose(first -> client.fetch(server.uri("/two").toString()))
                    .thenCompose(Response::text))));

            assertThat(fulfilled(second.get())).isEqualTo("GET /two");
            assertThat(log).containsExactly("0 GET /one", "0 GET /two (hung up)", "1 GET /two");
            closeClient();
            assertAllClosed(server);
        }
    }

    /** The same with a POST: the JDK retries only GET and HEAD, so the POST rejects. */
    @Test
    void post_onAPooledConnectionTheServerClosesUnderIt_rejectsNamingUrl_withoutRetry() throws Exception {
        newClient(FetchClient.builder());
        Queue<String> log = new ConcurrentLinkedQueue<>();
        try (MisbehavingServer server = MisbehavingServer.start(closesPooledConnection(log))) {
            URI two = server.uri("/two");
            AtomicReference<Promise<String>> second = new AtomicReference<>();
            loop(() -> second.set(quiet(client.fetch(server.uri("/one").toString())
                    .thenCompose(Response::text)
                    .thenCompose(first -> client.fetch(Request.builder(two).method("POST").body("data").build()))
                    .thenCompose(Response::text))));

            FetchException e = rejected(second.get(), FetchException.class);
            assertThat(e.getMessage()).startsWith("POST " + two + " failed: HTTP/1.1 header parser received no bytes");
            assertThat(rootCause(e)).isInstanceOf(java.io.EOFException.class);
            assertThat(log).containsExactly("0 GET /one", "0 POST /two (hung up)");
            closeClient();
            assertAllClosed(server);
        }
    }

    /**
     * The idle pooled connection closed by the server (FIN) before the next request is sent: the
     * GET succeeds on a new connection (the JDK either noticed the close while the connection was
     * idle, or retries as above).
     */
    @Test
    void get_afterTheServerClosedAnIdlePooledConnection_succeedsOnANewConnection() throws Exception {
        newClient(FetchClient.builder());
        CountDownLatch firstRead = new CountDownLatch(1);
        CompletableFuture<Void> closedIdle = new CompletableFuture<>();
        try (MisbehavingServer server = MisbehavingServer.start(c -> {
            for (MisbehavingServer.Seen s; (s = c.readRequest()) != null; ) {
                c.send(MisbehavingServer.response(200, "", c.index + " " + s.target()));
                if (c.index == 0) {
                    firstRead.await(GUARD.toSeconds(), TimeUnit.SECONDS);
                    c.close();
                    closedIdle.complete(null);
                    return;
                }
            }
        })) {
            AtomicReference<Promise<String>> second = new AtomicReference<>();
            loop(() -> second.set(quiet(client.fetch(server.uri("/one").toString())
                    .thenCompose(Response::text)
                    .thenCompose(first -> {
                        firstRead.countDown();
                        return EventLoop.current().from(closedIdle);
                    })
                    .thenCompose(v -> client.fetch(server.uri("/two").toString()))
                    .thenCompose(Response::text))));

            assertThat(fulfilled(second.get())).isEqualTo("1 /two");
            assertThat(server.accepted()).isEqualTo(2);
            closeClient();
            assertAllClosed(server);
        }
    }

    /** Connection 0 answers one request and hangs up on reading the next; later ones behave. */
    private static MisbehavingServer.Script closesPooledConnection(Queue<String> log) {
        return c -> {
            for (MisbehavingServer.Seen s; (s = c.readRequest()) != null; ) {
                if (c.index == 0 && !s.target().equals("/one")) {
                    log.add(c.index + " " + s.method() + " " + s.target() + " (hung up)");
                    c.close();
                    return;
                }
                log.add(c.index + " " + s.method() + " " + s.target());
                c.send(MisbehavingServer.response(200, "", s.method() + " " + s.target()));
            }
        };
    }

    // ------------------------------------------------------------------ 14. hang-up during the request body

    @Test
    void post_whenTheServerHangsUpDuringTheRequestBody_rejectsNamingUrl() throws Exception {
        newClient(FetchClient.builder());
        byte[] body = new byte[32 << 20];
        try (MisbehavingServer server = MisbehavingServer.start(c -> {
            c.readHead();
            c.readBytes(100);
            c.close(); // with unread data, the kernel answers with a reset
        })) {
            URI uri = server.uri("/upload");
            AtomicReference<Promise<Response>> fetched = new AtomicReference<>();
            AtomicReference<SideWork> side = new AtomicReference<>();
            loop(() -> {
                side.set(sideWork());
                fetched.set(quiet(client.fetch(Request.builder(uri).method("POST").body(body).build())));
            });

            // JDK 25.0.3 stops sending and reports the response head that never came: "HTTP/1.1
            // header parser received no bytes", caused by "EOF reached while reading" (25 times in
            // 30) or by the failed write, "Broken pipe" (5 in 30).
            FetchException e = rejected(fetched.get(), FetchException.class);
            assertThat(e.getMessage()).startsWith("POST " + uri + " failed: HTTP/1.1 header parser received no bytes");
            assertThat(e.getCause()).isInstanceOf(IOException.class);
            assertThat(server.accepted()).isEqualTo(1); // no retry of a POST
            side.get().assertDone();
            assertAllClosed(server);
        }
    }

    // ------------------------------------------------------------------ 15. cancel and abort

    @Test
    void cancel_ofAFetchWaitingForHeaders_closesTheConnectionAndReleasesTheLoop() throws Exception {
        newClient(FetchClient.builder());
        AtomicReference<EventLoop> loopRef = new AtomicReference<>();
        AtomicReference<Promise<Response>> fetched = new AtomicReference<>();
        AtomicReference<Promise<String>> healthyText = new AtomicReference<>();
        try (MisbehavingServer server = MisbehavingServer.start(c -> {
            c.readHead();
            loopRef.get().execute(() -> fetched.get().cancel()); // the request is there: cancel it
            c.awaitClientClose();
        })) {
            URI uri = server.uri("/hold");
            loop(() -> {
                loopRef.set(EventLoop.current());
                // The healthy fetch completes first; only then is the held one sent and cancelled.
                healthyText.set(quiet(client.fetch(healthy.uri("/").toString()).thenCompose(Response::text)
                        .then(text -> {
                            fetched.set(quiet(client.fetch(uri.toString())));
                            return text;
                        })));
            });

            assertThat(fulfilled(healthyText.get())).isEqualTo("ok");
            assertThat(rejected(fetched.get(), CancellationException.class)).isNotNull();
            assertAllClosed(server);
        }
    }

    @Test
    void cancel_ofATextReadMidBody_closesTheConnectionAndReleasesTheLoop() throws Exception {
        newClient(FetchClient.builder());
        try (MisbehavingServer server = MisbehavingServer.start(c -> {
            c.readHead();
            c.send("HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\n\r\n" + "x".repeat(1000));
            c.awaitClientClose(); // the rest never comes
        })) {
            URI uri = server.uri("/partial");
            AtomicReference<Promise<String>> text = new AtomicReference<>();
            AtomicReference<SideWork> side = new AtomicReference<>();
            loop(() -> {
                side.set(sideWork());
                client.fetch(uri.toString()).thenAccept(r -> {
                    Promise<String> t = quiet(r.text());
                    text.set(t);
                    EventLoop.current().execute(t::cancel); // a later task: the read is under way
                });
            });

            assertThat(rejected(text.get(), CancellationException.class)).isNotNull();
            side.get().assertDone();
            assertAllClosed(server);
        }
    }

    @Test
    void abort_ofAFetchWaitingForHeaders_rejectsWithTheReasonAndClosesTheConnection() throws Exception {
        newClient(FetchClient.builder());
        AtomicReference<EventLoop> loopRef = new AtomicReference<>();
        AtomicReference<AbortController> controller = new AtomicReference<>();
        IllegalStateException reason = new IllegalStateException("user navigated away");
        try (MisbehavingServer server = MisbehavingServer.start(c -> {
            c.readHead();
            loopRef.get().execute(() -> controller.get().abort(reason));
            c.awaitClientClose();
        })) {
            URI uri = server.uri("/hold");
            AtomicReference<Promise<Response>> fetched = new AtomicReference<>();
            AtomicReference<SideWork> side = new AtomicReference<>();
            loop(() -> {
                loopRef.set(EventLoop.current());
                controller.set(new AbortController());
                side.set(sideWork());
                fetched.set(quiet(client.fetch(Request.builder(uri).signal(controller.get().signal()).build())));
            });

            assertThat(rejected(fetched.get(), IllegalStateException.class)).isSameAs(reason);
            side.get().assertDone();
            assertAllClosed(server);
        }
    }

    @Test
    void abort_ofATextReadMidBody_rejectsWithTheReasonAndClosesTheConnection() throws Exception {
        newClient(FetchClient.builder());
        IllegalStateException reason = new IllegalStateException("enough");
        try (MisbehavingServer server = MisbehavingServer.start(c -> {
            c.readHead();
            c.send("HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\n\r\n" + "x".repeat(1000));
            c.awaitClientClose(); // the rest never comes
        })) {
            URI uri = server.uri("/partial");
            AtomicReference<Promise<Response>> fetched = new AtomicReference<>();
            AtomicReference<Promise<String>> text = new AtomicReference<>();
            AtomicReference<SideWork> side = new AtomicReference<>();
            loop(() -> {
                side.set(sideWork());
                AbortController controller = new AbortController();
                Promise<Response> f = client.fetch(Request.builder(uri).signal(controller.signal()).build());
                fetched.set(quiet(f));
                text.set(quiet(f.thenCompose(r -> {
                    EventLoop.current().execute(() -> controller.abort(reason)); // the read is under way
                    return r.text();
                })));
            });

            assertThat(fulfilled(fetched.get()).status()).isEqualTo(200);
            assertThat(rejected(text.get(), IllegalStateException.class)).isSameAs(reason);
            side.get().assertDone();
            assertAllClosed(server);
        }
    }

    // ------------------------------------------------------------------ 16. per-host limit

    @Test
    void maxRequestsPerHost2_tenFetches_serverSeesAtMostTwo_andACancelledQueuedOneLeavesTheLine() throws Exception {
        newClient(FetchClient.builder().maxRequestsPerHost(2));
        Semaphore answer = new Semaphore(0);
        AtomicInteger held = new AtomicInteger();
        AtomicInteger maxHeld = new AtomicInteger();
        Queue<String> arrived = new ConcurrentLinkedQueue<>();
        AtomicReference<EventLoop> loopRef = new AtomicReference<>();
        AtomicReference<Runnable> onArrival = new AtomicReference<>();
        try (MisbehavingServer server = MisbehavingServer.start(c -> {
            for (MisbehavingServer.Seen s; (s = c.readRequest()) != null; ) {
                maxHeld.accumulateAndGet(held.incrementAndGet(), Math::max);
                arrived.add(s.target());
                loopRef.get().execute(onArrival.get());
                answer.tryAcquire(GUARD.toSeconds(), TimeUnit.SECONDS);
                held.decrementAndGet();
                c.send(MisbehavingServer.response(200, "", s.target()));
            }
        })) {
            String key = Exchange.hostKey(server.uri("/"));
            List<Promise<String>> texts = new ArrayList<>();
            List<int[]> loads = new ArrayList<>();
            loop(() -> {
                loopRef.set(EventLoop.current());
                AtomicBoolean checked = new AtomicBoolean();
                onArrival.set(() -> {
                    if (arrived.size() == 2 && !checked.getAndSet(true)) {
                        loads.add(client.limiter().inFlightAndWaiting(key));
                        texts.get(4).cancel(); // fetch 4 waits in line
                        loads.add(client.limiter().inFlightAndWaiting(key));
                        answer.release(100);
                    }
                });
                for (int i = 0; i < 10; i++) {
                    texts.add(quiet(client.fetch(server.uri("/" + i).toString()).thenCompose(Response::text)));
                }
            });

            assertThat(loads).containsExactly(new int[] {2, 8}, new int[] {2, 7});
            assertThat(rejected(texts.get(4), CancellationException.class)).isNotNull();
            for (int i = 0; i < 10; i++) {
                if (i != 4) {
                    assertThat(fulfilled(texts.get(i))).isEqualTo("/" + i);
                }
            }
            assertThat(arrived).hasSize(9).doesNotContain("/4");
            assertThat(maxHeld).hasValue(2);
            assertThat(client.limiter().inFlightAndWaiting(key)).containsExactly(0, 0);
            closeClient();
            assertAllClosed(server);
        }
    }

    // ------------------------------------------------------------------ threads

    /**
     * Closing a client of your own must leave no thread behind, and start none. FetchClient.close()
     * tests {@code this == Shared.INSTANCE}, which initializes the holder class and so builds the
     * shared client, with its JDK client and selector thread, as a side effect. Checked in a
     * class loader of its own, where nothing has touched the shared client yet.
     */
    @Test
    void close_ofAClientOfYourOwn_startsNoThread() throws Exception {
        URL[] classes = {
            FetchClient.class.getProtectionDomain().getCodeSource().getLocation(),
            EventLoop.class.getProtectionDomain().getCodeSource().getLocation()
        };
        try (URLClassLoader fresh = new URLClassLoader(classes, ClassLoader.getPlatformClassLoader())) {
            Class<?> type = fresh.loadClass(FetchClient.class.getName());
            assertThat(type).isNotSameAs(FetchClient.class);
            Object builder = type.getMethod("builder").invoke(null);
            Object own = builder.getClass().getMethod("build").invoke(builder);
            java.lang.reflect.Method http = type.getDeclaredMethod("currentJdkClient");
            http.setAccessible(true);
            if (http.invoke(own) instanceof CompletableFuture<?> building) {
                building.join(); // its JDK client and selector thread exist before the snapshot
            }
            Set<Thread> before = Thread.getAllStackTraces().keySet();
            type.getMethod("close").invoke(own);
            List<String> started = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> !before.contains(t)).map(Thread::getName)
                    .filter(name -> !name.startsWith("ForkJoinPool")) // carriers of virtual threads come and go
                    .toList();
            assertThat(started).as("threads started by close()").isEmpty();
        }
    }

    // ------------------------------------------------------------------ support

    /** A timer and a fetch to the healthy server, started on the current loop beside a broken case. */
    private record SideWork(AtomicBoolean timerFired, Promise<String> healthyText) {
        void assertDone() {
            assertThat(timerFired).as("a timer set beside the broken fetch fired").isTrue();
            assertThat(fulfilled(healthyText)).as("a fetch to a healthy server beside the broken one").isEqualTo("ok");
        }
    }

    private SideWork sideWork() {
        AtomicBoolean fired = new AtomicBoolean();
        EventLoop.current().setTimeout(() -> fired.set(true), 1);
        return new SideWork(fired, quiet(client.fetch(healthy.uri("/").toString()).thenCompose(Response::text)));
    }

    private void newClient(FetchClient.Builder builder) {
        client = builder.build();
    }

    /**
     * Closes this test's client and waits until the threads of its JDK client have ended
     * ("HttpClient-N-SelectorManager", "HttpClient-N-Worker-M", N the JDK client's id, which its
     * {@code toString()} ends with); fails if one is still alive after the guard. Threads of other
     * JDK clients, such as the shared one's, are not counted. Idempotent.
     */
    private void closeClient() throws InterruptedException {
        if (clientClosed) {
            return;
        }
        clientClosed = true;
        Object http = client.currentJdkClient(); // the JDK client, or a future of it
        Object jdk = http instanceof CompletableFuture<?> f ? f.join() : http;
        Matcher m = CLIENT_ID.matcher(jdk.toString());
        assertThat(m.find()).as("the JDK client's id in %s", jdk).isTrue();
        String prefix = "HttpClient-" + m.group(1) + "-";
        assertThat(threadsNamed(prefix)).as("threads of %s before close", jdk).isNotEmpty();
        client.close();
        List<Thread> left = new ArrayList<>();
        for (Thread t : threadsNamed(prefix)) {
            t.join(GUARD.toMillis());
            if (t.isAlive()) {
                left.add(t);
            }
        }
        assertThat(left).as("threads of the closed client %s", jdk).isEmpty();
    }

    private static List<Thread> threadsNamed(String prefix) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith(prefix)).toList();
    }

    private static void assertAllClosed(MisbehavingServer server) throws InterruptedException {
        assertThat(server.awaitAllClosed(GUARD)).as("every connection of %s ended", server).isTrue();
    }

    /** Runs {@code main} in a new loop and returns when the loop has no work left; hang-guarded. */
    private static void loop(Runnable main) {
        loop(GUARD, main);
    }

    private static void loop(Duration guard, Runnable main) {
        assertTimeoutPreemptively(guard, () -> EventLoop.run(main), "EventLoop.run did not return");
    }

    /** Marks {@code p}'s rejection as expected (no unhandled-rejection warning) and returns it. */
    private static <T> Promise<T> quiet(Promise<T> p) {
        p.caught(e -> null);
        return p;
    }

    private static Throwable rootCause(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root;
    }

    private static <T> T fulfilled(Promise<T> p) {
        Settled<T> s = p.peek().orElseThrow(() -> new AssertionError("still pending: " + p));
        if (s instanceof Settled.Rejected<T> r) {
            throw new AssertionError("rejected instead of fulfilled: " + r.reason(), r.reason());
        }
        return ((Settled.Fulfilled<T>) s).value();
    }

    private static <E extends Throwable> E rejected(Promise<?> p, Class<E> type) {
        Settled<?> s = p.peek().orElseThrow(() -> new AssertionError("still pending: " + p));
        if (s instanceof Settled.Rejected<?> r) {
            assertThat(r.reason()).isInstanceOf(type);
            return type.cast(r.reason());
        }
        throw new AssertionError("fulfilled instead of rejected: " + ((Settled.Fulfilled<?>) s).value());
    }
}
