package dev.eventual.io.fetch;

import static dev.eventual.io.fetch.FetchTesting.assertAllClosed;
import static dev.eventual.io.fetch.FetchTesting.fulfilled;
import static dev.eventual.io.fetch.FetchTesting.rejected;
import static org.assertj.core.api.Assertions.assertThat;

import dev.eventual.Promise;
import java.net.URI;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Redirects as the web's {@code fetch} follows them: the limit of 20, the policies
 * {@link Request.Redirect#ERROR} and {@link Request.Redirect#MANUAL}, the method and body after
 * a 303 or a 307, a relative {@code Location}. Every test records what the server saw in
 * {@link #seen} and checks, after closing its client, that each connection ended.
 */
class FetchRedirectTest extends RobustnessFixture {
    /** Every request the server of the test saw, in order. */
    private final Queue<MisbehavingServer.Seen> seen = new ConcurrentLinkedQueue<>();
    /** The server of the test, checked after it by {@link #closeEverything}. */
    private MisbehavingServer server;

    /** Starts this test's server, recording each request before {@code answer} answers it. */
    private void serve(Function<MisbehavingServer.Seen, String> answer) {
        server = MisbehavingServer.http(s -> {
            seen.add(s);
            return answer.apply(s);
        });
    }

    @AfterEach
    void closeEverything() throws InterruptedException {
        closeClient();
        assertAllClosed(server);
        server.close();
    }

    /** Settles the text of the response to {@code request}, keeping the response in {@code response}. */
    private Promise<String> text(Request request, AtomicReference<Response> response) {
        return settle(() -> client.fetch(request).thenCompose(r -> {
            response.set(r);
            return r.text();
        }));
    }

    @Nested
    class Limits {
        @Test
        void fetch_ofARedirectLoop_rejectsWithTooManyRedirects_after20() {
            serve(s -> {
                int n = Integer.parseInt(s.target().substring("/loop/".length()));
                return MisbehavingServer.response(302, "Location: /loop/" + (n + 1) + "\r\n", "moved");
            });
            URI uri = server.uri("/loop/0");
            Promise<Response> fetched = settleBesideSideWork(() -> client.fetch(uri.toString()));

            FetchException e = rejected(fetched, FetchException.class);
            assertThat(e).hasMessage("GET " + uri + " failed: too many redirects (20); the last went from "
                    + server.uri("/loop/20") + " to " + server.uri("/loop/21"));
            assertThat(seen).hasSize(21);
        }
    }

    @Nested
    class Policies {
        @Test
        void fetch_ofARedirect_withPolicyError_rejectsNamingTheTarget() {
            serve(s -> MisbehavingServer.response(301, "Location: /new\r\n", ""));
            URI uri = server.uri("/old");
            Promise<Response> fetched = settle(() -> client.fetch(Request.builder(uri).redirect(Request.Redirect.ERROR).build()));

            FetchException e = rejected(fetched, FetchException.class);
            assertThat(e).hasMessage("GET " + uri + " failed: redirected (301) to " + server.uri("/new")
                    + ", and the request's redirect policy is ERROR");
            assertThat(seen).hasSize(1);
        }

        @Test
        void fetch_ofARedirect_withPolicyManual_resolvesWithThe3xxResponse() {
            serve(s -> MisbehavingServer.response(302, "Location: /new\r\n", "see /new"));
            URI uri = server.uri("/old");
            AtomicReference<Response> response = new AtomicReference<>();
            Promise<String> text = text(Request.builder(uri).redirect(Request.Redirect.MANUAL).build(), response);

            assertThat(fulfilled(text)).isEqualTo("see /new");
            assertThat(response.get().status()).isEqualTo(302);
            assertThat(response.get().header("Location")).hasValue("/new");
            assertThat(response.get().redirected()).isFalse();
            assertThat(response.get().uri()).isEqualTo(uri);
            assertThat(seen).hasSize(1);
        }
    }

    @Nested
    class MethodAndBody {
        @Test
        void fetch_ofA303AfterAPost_followsWithAGetWithoutBody() {
            serve(s -> s.target().equals("/form")
                    ? MisbehavingServer.response(303, "Location: /result\r\n", "")
                    : MisbehavingServer.response(200, "", s.method() + " " + s.target()));
            AtomicReference<Response> response = new AtomicReference<>();
            Promise<String> text = text(Request.builder(server.uri("/form")).method("POST")
                    .header("Content-Type", "application/x-www-form-urlencoded").body("name=x").build(), response);

            assertThat(fulfilled(text)).isEqualTo("GET /result");
            assertThat(response.get().redirected()).isTrue();
            assertThat(response.get().uri()).isEqualTo(server.uri("/result"));
            List<MisbehavingServer.Seen> requests = List.copyOf(seen);
            assertThat(requests).extracting(MisbehavingServer.Seen::method).containsExactly("POST", "GET");
            assertThat(requests.get(0).bodyText()).isEqualTo("name=x");
            assertThat(requests.get(1).body()).isEmpty();
            assertThat(requests.get(1).headers()).doesNotContainKey("Content-Type");
        }

        /**
         * A GET carries no body, so the web's fetch sends no {@code Content-Length}; RFC 9110 8.6:
         * a user agent SHOULD NOT send one then. The JDK adds "Content-Length: 0" to a request
         * built with {@code method(m, BodyPublishers.noBody())}, and none with {@code GET()}.
         */
        @Test
        void get_sendsNoContentLength_plainOrAfterA303() {
            serve(s -> s.target().equals("/form")
                    ? MisbehavingServer.response(303, "Location: /result\r\n", "")
                    : MisbehavingServer.response(200, "", "ok"));
            Promise<String> texts = settle(() -> client.fetch(server.uri("/plain").toString()).thenCompose(Response::text)
                    .thenCompose(t -> client.fetch(Request.builder(server.uri("/form")).method("POST").body("x").build()))
                    .thenCompose(Response::text));

            assertThat(fulfilled(texts)).isEqualTo("ok");
            List<MisbehavingServer.Seen> requests = List.copyOf(seen);
            assertThat(requests).extracting(r -> r.method() + " " + r.target())
                    .containsExactly("GET /plain", "POST /form", "GET /result");
            assertThat(requests.get(0).headers()).doesNotContainKey("Content-Length");
            assertThat(requests.get(2).headers()).doesNotContainKey("Content-Length");
        }

        @Test
        void fetch_ofA307AfterAPost_followsWithTheSameMethodAndBody() {
            serve(s -> s.target().equals("/old")
                    ? MisbehavingServer.response(307, "Location: /new\r\n", "")
                    : MisbehavingServer.response(201, "", s.method() + " " + s.target() + " " + s.bodyText()));
            Promise<String> text = settle(() -> client.fetch(Request.builder(server.uri("/old")).method("POST")
                    .header("Content-Type", "text/plain").body("payload").build())
                    .thenCompose(Response::text));

            assertThat(fulfilled(text)).isEqualTo("POST /new payload");
            List<MisbehavingServer.Seen> requests = List.copyOf(seen);
            assertThat(requests).extracting(MisbehavingServer.Seen::method).containsExactly("POST", "POST");
            assertThat(requests.get(1).headers()).containsEntry("Content-Type", "text/plain");
        }
    }

    @Nested
    class Locations {
        @Test
        void fetch_ofARedirectWithARelativeLocation_resolvesItAgainstTheRequestUrl() {
            serve(s -> s.target().equals("/a/b/c")
                    ? MisbehavingServer.response(302, "Location: ../d?x=1\r\n", "")
                    : MisbehavingServer.response(200, "", "at " + s.target()));
            AtomicReference<Response> response = new AtomicReference<>();
            Promise<String> text = text(Request.get(server.uri("/a/b/c").toString()), response);

            assertThat(fulfilled(text)).isEqualTo("at /a/d?x=1");
            assertThat(response.get().uri()).isEqualTo(server.uri("/a/d?x=1"));
            assertThat(response.get().redirected()).isTrue();
        }
    }
}
