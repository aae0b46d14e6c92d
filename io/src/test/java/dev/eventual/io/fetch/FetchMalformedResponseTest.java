package dev.eventual.io.fetch;

import static dev.eventual.io.fetch.FetchTesting.assertAllClosed;
import static dev.eventual.io.fetch.FetchTesting.rejected;
import static org.assertj.core.api.Assertions.assertThat;

import dev.eventual.Promise;
import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code fetch} of responses the JDK client cannot parse: it refuses them with a
 * {@link java.net.ProtocolException} quoting what it met, and keeps the connection open, even
 * after the server closed its side, until its JDK client is closed. {@code FetchClient} retires
 * that JDK client ({@link FetchMalformedLeakTest}); here the test's client is closed before the
 * server is asked whether every connection ended.
 */
class FetchMalformedResponseTest extends RobustnessFixture {

    /**
     * The JDK accepts a line whose three-digit code is followed by junk, such as "HTTP/1.1 2000
     * OK", as a 200; these it refuses.
     */
    @ParameterizedTest
    @ValueSource(strings = {"HTTP/1.1 abc Broken", "SSH-2.0-OpenSSH_9.6", "HTTP/1.1", "HTTP/1.1 20 OK", "HTTP/2.0 200 OK"})
    void fetch_ofAResponseWithAMalformedStatusLine_rejectsNamingUrlAndTheLine(String statusLine) throws Exception {
        try (MisbehavingServer server = MisbehavingServer.start(c -> {
            c.readHead();
            c.send(statusLine + "\r\nContent-Length: 2\r\n\r\nok");
        })) {
            URI uri = server.uri("/malformed");
            Promise<Response> fetched = settleBesideSideWork(() -> client.fetch(uri.toString()));

            FetchException e = rejected(fetched, FetchException.class);
            assertThat(e).hasMessage("GET " + uri + " failed: Invalid status line: \"" + statusLine
                    + "\" (java.net.ProtocolException)");
            closeClient();
            assertAllClosed(server);
        }
    }

    /**
     * The JDK client refuses response headers larger than {@code jdk.http.maxHeaderSize} (384 KiB
     * by default).
     */
    @Test
    void fetch_ofAResponseWithAMegabyteOfHeaders_rejectsNamingUrlAndTheHeaderLimit() throws Exception {
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
            Promise<Response> fetched = settleBesideSideWork(() -> client.fetch(uri.toString()));

            FetchException e = rejected(fetched, FetchException.class);
            assertThat(e.getMessage()).startsWith("GET " + uri + " failed: Header size too big: ")
                    .endsWith(" > 393216 (java.net.ProtocolException)");
            assertThat(e.getCause()).isInstanceOf(java.net.ProtocolException.class);
            closeClient();
            assertAllClosed(server);
        }
    }
}
