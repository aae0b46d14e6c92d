package dev.eventual.examples;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server far away, on this machine: a real HTTP server on localhost (a {@link LoopbackServer})
 * that the demo asks for data over real sockets.
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

    /** System.nanoTime() of the first request; 0 until then. */
    private final AtomicLong firstRequest = new AtomicLong();
    private final LoopbackServer server;

    private LocalServer() {
        server = LoopbackServer.start("the local server", this::answer); // last: answer reads the fields above
    }

    /**
     * Starts a server on a free port of the loopback interface.
     *
     * @return the running server
     * @throws UncheckedIOException if no port can be bound
     */
    public static LocalServer start() {
        return new LocalServer();
    }

    /** Returns the absolute URL of {@code path} on this server ({@code http://127.0.0.1:port/path}). */
    public String url(String path) {
        return server.url(path);
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
        LoopbackServer.reply(exchange, found ? 200 : 404, "text/plain",
                found ? "data from " + exchange.getRequestURI().getPath() : "nothing here");
    }

    /** Stops the server at once. */
    @Override
    public void close() {
        server.close();
    }
}
