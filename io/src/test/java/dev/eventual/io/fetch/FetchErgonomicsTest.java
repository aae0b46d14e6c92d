package dev.eventual.io.fetch;

import static dev.eventual.io.fetch.FetchTesting.fulfilled;
import static dev.eventual.io.fetch.FetchTesting.loop;
import static dev.eventual.io.fetch.FetchTesting.quiet;
import static dev.eventual.io.fetch.FetchTesting.rejected;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.eventual.AbortController;
import dev.eventual.Promise;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a program needs beyond {@code fetch} itself (issue 24 item 5): {@code getText} and
 * {@code getJson} with a {@link Request} (its timeout, signal and headers apply, the status is
 * still checked), {@link Response#requireOk()}, JSON into generic types, and
 * {@link FetchException#isTransient()} for retry predicates.
 */
class FetchErgonomicsTest {
    private static MisbehavingServer server;
    private static final Queue<MisbehavingServer.Seen> SEEN = new ConcurrentLinkedQueue<>();

    /** The field whose generic type json(Type) is given. */
    @SuppressWarnings("unused")
    private List<Integer> numbers;

    private FetchClient client;

    @BeforeAll
    static void startServer() {
        server = MisbehavingServer.http(seen -> {
            SEEN.add(seen);
            return switch (seen.target()) {
                case "/text" -> MisbehavingServer.response(200, "", "hello");
                case "/numbers" -> MisbehavingServer.response(200, "Content-Type: application/json\r\n", "[1, 2, 3]");
                case "/busy" -> MisbehavingServer.response(503, "", "try later");
                default -> MisbehavingServer.response(404, "", "no such page");
            };
        });
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @BeforeEach
    void build() {
        client = FetchClient.builder().build();
        SEEN.clear();
    }

    @AfterEach
    void close() {
        client.close();
    }

    @Test
    void getText_ofARequest_appliesItsSettings_andChecksTheStatus() {
        AtomicReference<Promise<String>> ok = new AtomicReference<>();
        AtomicReference<Promise<String>> missing = new AtomicReference<>();
        loop(() -> {
            AbortController controller = new AbortController();
            ok.set(client.getText(Request.builder(server.uri("/text")).header("X-Trace", "t1")
                    .timeout(Duration.ofSeconds(20)).signal(controller.signal()).build()));
            missing.set(quiet(client.getText(Request.builder(server.uri("/missing")).build())));
        });

        assertThat(fulfilled(ok.get())).isEqualTo("hello");
        assertThat(SEEN).filteredOn(s -> s.target().equals("/text")).singleElement()
                .satisfies(s -> assertThat(s.headers()).containsEntry("X-Trace", "t1"));
        FetchException e = rejected(missing.get(), FetchException.class);
        assertThat(e).hasMessage("GET " + server.uri("/missing") + ": HTTP 404 Not Found");
        assertThat(e.status()).isEqualTo(404);
        assertThat(e.isTransient()).isFalse();
    }

    @Test
    void getJson_ofARequest_sendsAcceptUnlessGiven_andParses() {
        AtomicReference<Promise<Object>> json = new AtomicReference<>();
        AtomicReference<Promise<Object>> own = new AtomicReference<>();
        loop(() -> {
            json.set(client.getJson(Request.builder(server.uri("/numbers")).build()));
            own.set(client.getJson(Request.builder(server.uri("/numbers")).header("accept", "application/vnd.x+json").build()));
        });

        assertThat(fulfilled(json.get())).isEqualTo(List.of(1, 2, 3));
        assertThat(fulfilled(own.get())).isEqualTo(List.of(1, 2, 3));
        assertThat(SEEN).extracting(s -> s.headers().get("Accept"))
                .containsExactlyInAnyOrder("application/json", "application/vnd.x+json");
    }

    @Test
    void requireOk_passesA2xx_andRejectsAnyOtherStatus_namingStatusAndUrl() {
        AtomicReference<Promise<String>> ok = new AtomicReference<>();
        AtomicReference<Promise<Response>> busy = new AtomicReference<>();
        loop(() -> {
            ok.set(client.fetch(server.uri("/text").toString()).thenCompose(Response::requireOk).thenCompose(Response::text));
            busy.set(quiet(client.fetch(server.uri("/busy").toString()).thenCompose(Response::requireOk)));
        });

        assertThat(fulfilled(ok.get())).isEqualTo("hello");
        FetchException e = rejected(busy.get(), FetchException.class);
        assertThat(e).hasMessage("GET " + server.uri("/busy") + ": HTTP 503 Service Unavailable");
        assertThat(e.status()).isEqualTo(503);
        assertThat(e.uri()).isEqualTo(server.uri("/busy"));
        assertThat(e.isTransient()).isTrue();
    }

    @Test
    void json_intoAGenericType_byTypeReferenceOrReflectType() throws Exception {
        java.lang.reflect.Type listOfInteger = getClass().getDeclaredField("numbers").getGenericType();
        AtomicReference<Promise<List<Integer>>> byReference = new AtomicReference<>();
        AtomicReference<Promise<List<Integer>>> byType = new AtomicReference<>();
        AtomicReference<Promise<Map<String, Integer>>> wrong = new AtomicReference<>();
        String url = server.uri("/numbers").toString();
        loop(() -> {
            byReference.set(client.fetch(url).thenCompose(r -> r.json(new TypeReference<List<Integer>>() {})));
            byType.set(client.fetch(url).thenCompose(r -> r.<List<Integer>>json(listOfInteger)));
            wrong.set(quiet(client.fetch(url).thenCompose(r -> r.json(new TypeReference<Map<String, Integer>>() {}))));
        });

        assertThat(fulfilled(byReference.get())).containsExactly(1, 2, 3).allSatisfy(n -> assertThat(n).isInstanceOf(Integer.class));
        assertThat(fulfilled(byType.get())).containsExactly(1, 2, 3);
        FetchException e = rejected(wrong.get(), FetchException.class);
        assertThat(e.getMessage()).contains("not valid JSON for java.util.Map<java.lang.String, java.lang.Integer>");
        assertThat(e.isTransient()).isFalse();
    }

    @Test
    void isTransient_ofNetworkFailures_trueForRefusedAndTimeout_falseForAProtocolError() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        try (MisbehavingServer silent = MisbehavingServer.start(c -> {
                    c.readHead();
                    c.awaitClientClose();
                });
                MisbehavingServer malformed = MisbehavingServer.start(c -> {
                    c.readHead();
                    c.send("HTTP/1.1 ABC Nope\r\n\r\n");
                })) {
            AtomicReference<Promise<Response>> refused = new AtomicReference<>();
            AtomicReference<Promise<Response>> timedOut = new AtomicReference<>();
            AtomicReference<Promise<Response>> protocol = new AtomicReference<>();
            loop(() -> {
                refused.set(quiet(client.fetch("http://127.0.0.1:" + port + "/")));
                timedOut.set(quiet(client.fetch(Request.builder(silent.uri("/")).timeout(Duration.ofMillis(200)).build())));
                protocol.set(quiet(client.fetch(malformed.uri("/").toString())));
            });

            assertThat(rejected(refused.get(), FetchException.class).isTransient()).as("refused").isTrue();
            assertThat(rejected(timedOut.get(), FetchException.class).isTransient()).as("timeout").isTrue();
            assertThat(rejected(protocol.get(), FetchException.class).isTransient()).as("malformed status line").isFalse();
        }
        assertThat(new FetchException("GET", URI.create("http://x/"), "too many redirects", null).isTransient()).isFalse();
    }
}
