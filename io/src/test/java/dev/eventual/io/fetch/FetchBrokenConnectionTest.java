package dev.eventual.io.fetch;

import static dev.eventual.io.fetch.FetchTesting.GUARD;
import static dev.eventual.io.fetch.FetchTesting.assertAllClosed;
import static dev.eventual.io.fetch.FetchTesting.fulfilled;
import static dev.eventual.io.fetch.FetchTesting.loop;
import static dev.eventual.io.fetch.FetchTesting.quiet;
import static dev.eventual.io.fetch.FetchTesting.rejected;
import static org.assertj.core.api.Assertions.assertThat;

import dev.eventual.EventLoop;
import dev.eventual.Promise;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * {@code fetch} over connections that break: no answer, a reset or a short body, nobody listening,
 * a pooled connection the server closed, a hang-up during the request body. Each rejects with a
 * {@link FetchException} naming the URL and the cause (or, where the JDK retries, succeeds), and
 * no connection is left open.
 */
class FetchBrokenConnectionTest extends RobustnessFixture {

    @Nested
    class NoAnswer {
        @Test
        void fetch_fromAServerThatNeverAnswers_rejectsAfterTheRequestTimeout_namingUrlAndTimeout() throws Exception {
            try (MisbehavingServer server = MisbehavingServer.start(c -> {
                c.readHead();
                c.awaitClientClose();
            })) {
                URI uri = server.uri("/silent");
                Promise<Response> fetched = settleBesideSideWork(() ->
                        client.fetch(Request.builder(uri).timeout(Duration.ofMillis(200)).build()));

                FetchException e = rejected(fetched, FetchException.class);
                assertThat(e).hasMessage("GET " + uri + " failed: no response within 200 ms (the request's timeout)");
                assertThat(e.getCause()).isInstanceOf(HttpTimeoutException.class);
                assertThat(e.uri()).isEqualTo(uri);
                assertAllClosed(server); // the JDK closed the timed-out connection itself
            }
        }
    }

    @Nested
    class ResetsAndTruncation {
        @Test
        void fetch_whenTheConnectionIsResetInTheMiddleOfTheHeaders_rejectsNamingUrl_causedByTheReset() throws Exception {
            try (MisbehavingServer server = MisbehavingServer.start(c -> {
                c.readHead();
                c.send("HTTP/1.1 200 OK\r\nContent-Type: text/pl");
                c.reset();
            })) {
                URI uri = server.uri("/reset-in-headers");
                Promise<Response> fetched = settleBesideSideWork(() -> client.fetch(uri.toString()));

                // The JDK reports where its parser was ("parsing HTTP/1.1 header, receiving
                // [Content-Type:...], parser state [HEADER]"); the reset is its cause.
                FetchException e = rejected(fetched, FetchException.class);
                assertThat(e.getMessage()).startsWith("GET " + uri + " failed: ");
                assertThat(e.getCause()).isInstanceOf(IOException.class);
                assertThat(rootCause(e)).isInstanceOf(SocketException.class).hasMessage("Connection reset");
                assertAllClosed(server);
            }
        }

        @Test
        void text_whenTheConnectionIsResetInTheMiddleOfTheBody_rejectsNamingUrl_afterTheResponseResolved() throws Exception {
            CountDownLatch headersArrived = new CountDownLatch(1);
            try (MisbehavingServer server = MisbehavingServer.start(c -> {
                c.readHead();
                c.send("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n" + "x".repeat(1000));
                headersArrived.await(GUARD.toSeconds(), TimeUnit.SECONDS);
                c.reset();
            })) {
                URI uri = server.uri("/reset-in-body");
                AtomicReference<Promise<String>> text = new AtomicReference<>();
                Promise<Response> fetched = settleBesideSideWork(() -> client.fetch(uri.toString()).then(r -> {
                    headersArrived.countDown();
                    text.set(quiet(r.text()));
                    return r;
                }));

                assertThat(fulfilled(fetched).status()).isEqualTo(200);
                FetchException e = rejected(text.get(), FetchException.class);
                assertThat(e.getMessage()).startsWith("GET " + uri + " failed: reading the body failed: "
                        + "fixed content-length: 100000, bytes received: 1000");
                assertThat(rootCause(e)).isInstanceOf(SocketException.class).hasMessage("Connection reset");
                assertAllClosed(server);
            }
        }

        @Test
        void text_ofALargeBodyShorterThanItsContentLength_rejectsNamingUrlAndTheShortfall() throws Exception {
            CountDownLatch headersArrived = new CountDownLatch(1);
            try (MisbehavingServer server = MisbehavingServer.start(c -> {
                c.readHead();
                c.send("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n" + "x".repeat(50000));
                headersArrived.await(GUARD.toSeconds(), TimeUnit.SECONDS);
                c.close(); // an orderly close (FIN), 50,000 bytes short
            })) {
                URI uri = server.uri("/truncated");
                Promise<String> text = settleBesideSideWork(() -> client.fetch(uri.toString()).thenCompose(r -> {
                    headersArrived.countDown();
                    return r.text();
                }));

                FetchException e = rejected(text, FetchException.class);
                assertThat(e.getMessage()).startsWith("GET " + uri + " failed: reading the body failed: "
                        + "fixed content-length: 100000, bytes received: 50000");
                assertAllClosed(server);
            }
        }

        /** Up to 64 KiB with a Content-Length, the body is read before fetch resolves: fetch rejects. */
        @Test
        void fetch_ofASmallBodyShorterThanItsContentLength_rejectsItself_namingUrlAndTheShortfall() throws Exception {
            try (MisbehavingServer server = MisbehavingServer.start(c -> {
                c.readHead();
                c.send("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n" + "x".repeat(500));
                c.close();
            })) {
                URI uri = server.uri("/truncated-small");
                Promise<Response> fetched = settleBesideSideWork(() -> client.fetch(uri.toString()));

                FetchException e = rejected(fetched, FetchException.class);
                assertThat(e.getMessage()).startsWith("GET " + uri + " failed: ")
                        .contains("fixed content-length: 1000, bytes received: 500");
                assertAllClosed(server);
            }
        }

        /**
         * Where the JDK wraps the cause in a description of its parser's state, its own message
         * leaves the cause out: a reset reads "parsing HTTP/1.1 header, receiving
         * [Content-Type:...], parser state [HEADER]" or "reading the body failed: fixed
         * content-length: 100000, bytes received: 1000", and a refused port "(ConnectException)"
         * (the JDK retries a failed connect once on the closed channel and reports a
         * ConnectException without a message, caused by a ClosedChannelException: "Connection
         * refused" is lost). The fetch's message names it all the same.
         */
        @Test
        void failureMessages_nameTheCause_ofAResetOrARefusal() throws Exception {
            int refusedPort = refusedPort();
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
    }

    @Nested
    class NobodyThere {
        @Test
        void fetch_ofAnUnresolvableHost_rejectsNamingTheHost() {
            Promise<Response> fetched = settleBesideSideWork(() -> client.fetch("http://nosuch.invalid/"));

            FetchException e = rejected(fetched, FetchException.class);
            assertThat(e).hasMessage("GET http://nosuch.invalid/ failed: cannot resolve host nosuch.invalid");
        }

        /**
         * The JDK retries a failed connect once on the same, closed channel: what it reports is a
         * ConnectException without a message, caused by a ClosedChannelException; "Connection
         * refused" is lost (with -Djdk.httpclient.disableRetryConnect=true it stays).
         */
        @Test
        void fetch_ofARefusedPort_rejectsNamingHostAndPort() throws Exception {
            int port = refusedPort();
            String url = "http://127.0.0.1:" + port + "/";
            Promise<Response> fetched = settleBesideSideWork(() -> client.fetch(url));

            FetchException e = rejected(fetched, FetchException.class);
            assertThat(e.getMessage()).startsWith("GET " + url + " failed: cannot connect to 127.0.0.1:" + port + " (");
            assertThat(e.getCause()).isInstanceOf(java.net.ConnectException.class);
        }
    }

    @Nested
    class PooledConnectionClosed {
        /**
         * Connection 0 answers the first request, then reads the second and hangs up without a
         * byte of answer: the JDK sees its pooled connection closed before any response byte
         * ({@code ConnectionExpiredException}) and sends the GET again once, on a new connection.
         */
        @Test
        void get_onAPooledConnectionTheServerClosesUnderIt_isRetriedOnceOnANewConnection() throws Exception {
            Queue<String> log = new ConcurrentLinkedQueue<>();
            try (MisbehavingServer server = MisbehavingServer.start(closesPooledConnection(log))) {
                Promise<String> second = settle(() -> client.fetch(server.uri("/one").toString())
                        .thenCompose(Response::text)
                        .thenCompose(first -> client.fetch(server.uri("/two").toString()))
                        .thenCompose(Response::text));

                assertThat(fulfilled(second)).isEqualTo("GET /two");
                assertThat(log).containsExactly("0 GET /one", "0 GET /two (hung up)", "1 GET /two");
                closeClient();
                assertAllClosed(server);
            }
        }

        /** The same with a POST: the JDK retries only GET and HEAD, so the POST rejects. */
        @Test
        void post_onAPooledConnectionTheServerClosesUnderIt_rejectsNamingUrl_withoutRetry() throws Exception {
            Queue<String> log = new ConcurrentLinkedQueue<>();
            try (MisbehavingServer server = MisbehavingServer.start(closesPooledConnection(log))) {
                URI two = server.uri("/two");
                Promise<String> second = settle(() -> client.fetch(server.uri("/one").toString())
                        .thenCompose(Response::text)
                        .thenCompose(first -> client.fetch(Request.builder(two).method("POST").body("data").build()))
                        .thenCompose(Response::text));

                FetchException e = rejected(second, FetchException.class);
                assertThat(e.getMessage()).startsWith("POST " + two + " failed: HTTP/1.1 header parser received no bytes");
                assertThat(rootCause(e)).isInstanceOf(java.io.EOFException.class);
                assertThat(log).containsExactly("0 GET /one", "0 POST /two (hung up)");
                closeClient();
                assertAllClosed(server);
            }
        }

        /**
         * The idle pooled connection closed by the server (FIN) before the next request is sent:
         * the GET succeeds on a new connection (the JDK either noticed the close while the
         * connection was idle, or retries as above).
         */
        @Test
        void get_afterTheServerClosedAnIdlePooledConnection_succeedsOnANewConnection() throws Exception {
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
                Promise<String> second = settle(() -> client.fetch(server.uri("/one").toString())
                        .thenCompose(Response::text)
                        .thenCompose(first -> {
                            firstRead.countDown();
                            return EventLoop.current().from(closedIdle);
                        })
                        .thenCompose(v -> client.fetch(server.uri("/two").toString()))
                        .thenCompose(Response::text));

                assertThat(fulfilled(second)).isEqualTo("1 /two");
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
    }

    @Nested
    class HangUpDuringTheRequestBody {
        /**
         * The JDK stops sending and reports the response head that never came: "HTTP/1.1 header
         * parser received no bytes", caused either by "EOF reached while reading" or by the failed
         * write, "Broken pipe".
         */
        @Test
        void post_whenTheServerHangsUpDuringTheRequestBody_rejectsNamingUrl() throws Exception {
            byte[] body = new byte[32 << 20];
            try (MisbehavingServer server = MisbehavingServer.start(c -> {
                c.readHead();
                c.readBytes(100);
                c.close(); // with unread data, the kernel answers with a reset
            })) {
                URI uri = server.uri("/upload");
                Promise<Response> fetched = settleBesideSideWork(() ->
                        client.fetch(Request.builder(uri).method("POST").body(body).build()));

                FetchException e = rejected(fetched, FetchException.class);
                assertThat(e.getMessage()).startsWith("POST " + uri + " failed: HTTP/1.1 header parser received no bytes");
                assertThat(e.getCause()).isInstanceOf(IOException.class);
                assertThat(server.accepted()).isEqualTo(1); // no retry of a POST
                assertAllClosed(server);
            }
        }
    }

    /** A loopback port nobody listens on (it was bound, then closed). */
    private static int refusedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
