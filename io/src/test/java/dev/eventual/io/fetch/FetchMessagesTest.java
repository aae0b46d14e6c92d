package dev.eventual.io.fetch;

import static dev.eventual.io.fetch.FetchTesting.loop;
import static dev.eventual.io.fetch.FetchTesting.quiet;
import static dev.eventual.io.fetch.FetchTesting.rejected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventual.Promise;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The failure messages of issue 15 item 8, each in the words a user can act on: which connect
 * failure it was, a URL without a scheme, a body that is not JSON (the parser's sentence once),
 * an invalid chunk size (the character, not its code).
 */
class FetchMessagesTest {
    private FetchClient client;

    @BeforeEach
    void build() {
        client = FetchClient.builder().build();
    }

    @AfterEach
    void close() {
        client.close();
    }

    @Test
    void aRefusedConnection_saysConnectionRefused() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        String url = "http://127.0.0.1:" + port + "/";
        AtomicReference<Promise<Response>> fetched = new AtomicReference<>();
        loop(() -> fetched.set(quiet(client.fetch(url))));

        assertThat(rejected(fetched.get(), FetchException.class))
                .hasMessage("GET " + url + " failed: cannot connect to 127.0.0.1:" + port + " (Connection refused)");
    }

    @Test
    void aUrlWithoutItsColon_saysItHasNoScheme() {
        assertThatThrownBy(() -> Request.get("http//missing-colon"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not an absolute URL: \"http//missing-colon\" has no scheme (it must start with http:// or https://)");
        assertThatThrownBy(() -> Request.get("ftp://host/file"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not an http or https URL: \"ftp://host/file\" (its scheme is ftp)");
    }

    @Test
    void jsonOfABodyThatIsNotJson_givesTheParsersSentenceOnce() throws Exception {
        try (MisbehavingServer server = MisbehavingServer.http(seen -> MisbehavingServer.response(200, "", "abc"))) {
            AtomicReference<Promise<Object>> json = new AtomicReference<>();
            loop(() -> json.set(quiet(client.fetch(server.uri("/").toString()).thenCompose(Response::json))));

            FetchException e = rejected(json.get(), FetchException.class);
            assertThat(e.getMessage()).startsWith("GET " + server.uri("/") + " failed: parsing the body as JSON failed:"
                    + " not valid JSON for Object: Unrecognized token 'abc'");
            assertThat(e.getMessage().split("Unrecognized token", -1)).as("occurrences + 1 in: %s", e.getMessage()).hasSize(2);
            assertThat(e.getMessage()).endsWith("(line 1, column 1)");
        }
    }

    @Test
    void anInvalidChunkSize_namesTheCharacter() throws Exception {
        try (MisbehavingServer server = MisbehavingServer.start(c -> {
            c.readHead();
            c.send("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nZ\r\n");
        })) {
            AtomicReference<Promise<String>> text = new AtomicReference<>();
            loop(() -> text.set(quiet(client.fetch(server.uri("/chunks").toString()).thenCompose(Response::text))));

            FetchException e = rejected(text.get(), FetchException.class);
            assertThat(e).hasMessage("GET " + server.uri("/chunks") + " failed: reading the body failed:"
                    + " Illegal character in chunk size: 'Z' (0x5A)");
        }
    }
}
