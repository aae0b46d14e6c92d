package dev.eventual.io.fetch;

import static dev.eventual.io.fetch.FetchTesting.assertAllClosed;
import static dev.eventual.io.fetch.FetchTesting.fulfilled;
import static dev.eventual.io.fetch.FetchTesting.rejected;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.eventual.AbortSignal;
import dev.eventual.AsyncTimeoutException;
import dev.eventual.Promise;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Response bodies that are large (streamed in small chunks, every byte checked, none kept) or
 * slow (dripped over many packets; a signal's timeout that aborts the read and closes the
 * connection).
 */
class FetchBodyTest extends RobustnessFixture {

    @Nested
    class LargeBodies {
        private static final int BODY_SIZE = 50 << 20;
        /** 251 * 256 bytes: the pattern {@code (offset % 251)} repeats exactly in every such block. */
        private static final byte[] PATTERN = new byte[251 * 256];

        static {
            for (int i = 0; i < PATTERN.length; i++) {
                PATTERN[i] = (byte) (i % 251);
            }
        }

        @Test
        void stream_ofA50MegabyteBodyWithContentLength_deliversEveryByteInSmallChunks() throws Exception {
            try (MisbehavingServer server = MisbehavingServer.start(c -> {
                c.readHead();
                c.send("HTTP/1.1 200 OK\r\nContent-Length: " + BODY_SIZE + "\r\n\r\n");
                writePattern(c.socket.getOutputStream(), BODY_SIZE);
            })) {
                URI uri = server.uri("/big");
                PatternCounter counter = new PatternCounter();
                Promise<Void> streamed = settle(() -> client.fetch(uri.toString()).thenCompose(r -> r.stream(counter::accept)));

                fulfilled(streamed);
                counter.assertWholePatternInSmallChunks();
                closeClient();
                assertAllClosed(server);
            }
        }

        @Test
        void stream_ofA50MegabyteChunkedBodyGeneratedOnTheFly_deliversEveryByteInSmallChunks() throws Exception {
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
                AtomicReference<Response> response = new AtomicReference<>();
                Promise<Void> streamed = settle(() -> client.fetch(uri.toString()).thenCompose(r -> {
                    response.set(r);
                    return r.stream(counter::accept);
                }));

                fulfilled(streamed);
                assertThat(response.get().header("Transfer-Encoding")).hasValue("chunked");
                counter.assertWholePatternInSmallChunks();
            } finally {
                server.stop(0);
                handlers.close();
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

            void assertWholePatternInSmallChunks() {
                assertThat(count).as("bytes streamed").isEqualTo(BODY_SIZE);
                assertThat(mismatches).as("bytes off the pattern").isZero();
                assertThat(maxChunk).as("largest chunk").isLessThanOrEqualTo(1 << 20);
            }
        }
    }

    @Nested
    class SlowBodies {
        @Test
        void text_ofABodyDrippedIn20ChunksApart_resolvesWithTheWholeBody() throws Exception {
            try (MisbehavingServer server = MisbehavingServer.start(c -> {
                c.readHead();
                c.send("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n");
                c.drip("drip\n", 20, Duration.ofMillis(50));
            })) {
                URI uri = server.uri("/drip");
                Promise<String> text = settleBesideSideWork(() -> client.fetch(uri.toString()).thenCompose(Response::text));

                assertThat(fulfilled(text)).isEqualTo("drip\n".repeat(20));
                closeClient();
                assertAllClosed(server);
            }
        }

        @Test
        void text_ofADrippingBody_withAnAbortSignalTimeout_rejectsWithTheTimeoutAndClosesTheConnection() throws Exception {
            try (MisbehavingServer server = MisbehavingServer.start(c -> {
                c.readHead();
                c.send("HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\n\r\n");
                c.drip("drip\n", Integer.MAX_VALUE, Duration.ofMillis(50)); // until the client hangs up
            })) {
                URI uri = server.uri("/drip-forever");
                AtomicReference<AbortSignal> signal = new AtomicReference<>();
                Promise<String> text = settleBesideSideWork(() -> {
                    signal.set(AbortSignal.timeout(Duration.ofMillis(300)));
                    return client.fetch(Request.builder(uri).signal(signal.get()).build()).thenCompose(Response::text);
                });

                Throwable reason = rejected(text, AsyncTimeoutException.class);
                assertThat(reason).isSameAs(signal.get().reason());
                assertAllClosed(server); // before closing the client: the abort closed the connection
            }
        }
    }
}
