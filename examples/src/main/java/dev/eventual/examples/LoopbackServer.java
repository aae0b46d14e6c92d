package dev.eventual.examples;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A real HTTP server on a free port of the loopback interface: the JDK's {@code HttpServer}, one
 * virtual thread per exchange. The plumbing under every server the examples and their tests talk
 * to ({@link LocalServer}, {@link LinkSite}, the documents' server of the docs tests), which
 * differ only in how they answer: each passes its handler to {@link #start}.
 */
public final class LoopbackServer implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService threads;

    private LoopbackServer(HttpServer server, ExecutorService threads) {
        this.server = server;
        this.threads = threads;
    }

    /**
     * Starts a server that answers every request with {@code handler}, on a virtual thread of its
     * own, until {@link #close()}.
     *
     * @param name what the server is, for the message when it cannot start ("the link site")
     * @param handler answers each exchange; it must close it (see {@link #reply})
     * @return the running server
     * @throws UncheckedIOException if no port can be bound
     */
    public static LoopbackServer start(String name, HttpHandler handler) {
        try {
            HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 200);
            ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
            http.setExecutor(threads);
            http.createContext("/", handler);
            http.start();
            return new LoopbackServer(http, threads);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    /**
     * Returns the absolute URL of {@code path} on this server.
     *
     * @param path a path starting with {@code /}, or {@code ""} for the server's base URL
     * @return {@code http://127.0.0.1:port} followed by {@code path}
     */
    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /**
     * Sends {@code text} (UTF-8) with {@code status} and closes the exchange.
     *
     * @param exchange the exchange to answer
     * @param status the HTTP status
     * @param contentType the media type, without a charset ({@code "text/plain"})
     * @param text the body
     * @throws IOException if the client has gone (closed its connection, timed out, aborted)
     */
    public static void reply(HttpExchange exchange, int status, String contentType, String text) throws IOException {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType + "; charset=utf-8");
        try {
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
        } finally {
            exchange.close();
        }
    }

    /** Stops the server at once, interrupting the exchanges still being answered. */
    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
