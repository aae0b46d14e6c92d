package dev.eventual.examples;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server far away, on this machine: a real HTTP server on localhost (the JDK's
 * {@code HttpServer}, on its own threads) that the demo asks for data over real sockets.
 *
 * <p>{@code GET /users/N} answers {@code 200} with the text {@code data from /users/N};
 * {@code GET /missing/N} answers {@code 404}. The answer to a path ending in {@code N} leaves
 * {@code N * 300} ms after the first request this server received, as a far-away server would
 * take its time, so the answers leave in a fixed order: counted from the first request rather
 * than from each request's own arrival, the order does not depend on how far apart a busy
 * client sent the requests (the first requests wait together for the JDK client to be built and
 * may reach the server in any order).
 */
public final class LocalServer implements AutoCloseable {
    private static final Pattern PATH = Pattern.compile("/(users|missing)/(\\d{1,2})");

    private final HttpServer server;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    /** System.nanoTime() of the first request; 0 until then. */
    private final AtomicLong firstRequest = new AtomicLong();

    private LocalServer(HttpServer server) {
        this.server = server;
    }

    /**
     * Starts a server on a free port of the loopback interface.
     *
     * @return the running server
     * @throws UncheckedIOException if no port can be bound
     */
    public static LocalServer start() {
        try {
            HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 100);
            LocalServer local = new LocalServer(http);
            http.setExecutor(local.threads);
            http.createContext("/", local::answer);
            http.start();
            return local;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the local server", e);
        }
    }

    /** Returns the absolute URL of {@code path} on this server ({@code http://127.0.0.1:port/path}). */
    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private void answer(HttpExchange exchange) throws IOException {
        Matcher m = PATH.matcher(exchange.getRequestURI().getPath());
        boolean found = m.matches() && m.group(1).equals("users");
        long now = System.nanoTime();
        firstRequest.compareAndSet(0, now);
        long due = firstRequest.get() + (m.matches() ? Integer.parseInt(m.group(2)) * 300_000_000L : 0);
        try {
            // a virtual thread of the server's: the far-away server takes its time
            Thread.sleep(Duration.ofNanos(Math.max(0, due - now)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        byte[] body = (found ? "data from " + exchange.getRequestURI().getPath() : "nothing here")
                .getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(found ? 200 : 404, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    /** Stops the server at once. */
    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
