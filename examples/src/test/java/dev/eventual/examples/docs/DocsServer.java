package dev.eventual.examples.docs;

import static dev.eventual.examples.LoopbackServer.reply;

import com.sun.net.httpserver.HttpExchange;
import dev.eventual.examples.LoopbackServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The server that the documents' snippets talk to as {@code http://localhost:8080}: a
 * {@link LoopbackServer} on a free port. Its own routes, not the examples' servers': the snippets
 * need answers those do not give (a failing then succeeding path, a job that finishes, a POST),
 * and a {@code /users/N} that answers at once. Answers:
 * <ul>
 *   <li>{@code GET /users/N[?delay=ms]}: 200, {@code data from /users/N}, after {@code delay} ms (0 by default);
 *   <li>{@code GET /missing/...}: 404, {@code nothing here};
 *   <li>{@code GET /slow}: 200 after 10 s (or never, when the server stops first);
 *   <li>{@code GET /flaky/KEY}: 503 to the first two requests for each {@code KEY}, then 200
 *       {@code ok on attempt N};
 *   <li>{@code GET /jobs/KEY}: {@code running} to the first two requests for each {@code KEY}, then {@code done};
 *   <li>{@code POST /items} with a JSON object: 201, the object with {@code "id":1} first.
 * </ul>
 */
final class DocsServer implements AutoCloseable {
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    private final LoopbackServer server;

    private DocsServer() {
        server = LoopbackServer.start("the docs server", this::answer); // last: answer reads the field above
    }

    static DocsServer start() {
        return new DocsServer();
    }

    /** {@code http://127.0.0.1:port}, without a trailing slash. */
    String baseUrl() {
        return server.url("");
    }

    private void answer(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String query = exchange.getRequestURI().getQuery();
        try {
            if (exchange.getRequestMethod().equals("POST") && path.equals("/items")) {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8).strip();
                reply(exchange, 201, "application/json", "{\"id\":1," + body.substring(1));
            } else if (path.matches("/users/\\d+")) {
                if (query != null && query.startsWith("delay=")) {
                    Thread.sleep(Long.parseLong(query.substring(6)));
                }
                reply(exchange, 200, "text/plain", "data from " + path);
            } else if (path.equals("/slow")) {
                Thread.sleep(10_000);
                reply(exchange, 200, "text/plain", "finally");
            } else if (path.startsWith("/flaky/")) {
                int n = counts.computeIfAbsent(path, k -> new AtomicInteger()).incrementAndGet();
                reply(exchange, n <= 2 ? 503 : 200, "text/plain", n <= 2 ? "busy" : "ok on attempt " + n);
            } else if (path.startsWith("/jobs/")) {
                int n = counts.computeIfAbsent(path, k -> new AtomicInteger()).incrementAndGet();
                reply(exchange, 200, "text/plain", n <= 2 ? "running" : "done");
            } else {
                reply(exchange, 404, "text/plain", "nothing here");
            }
        } catch (InterruptedException e) {
            exchange.close(); // the server is stopping
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
