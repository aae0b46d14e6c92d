package dev.eventual.io.fetch;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * A localhost TCP server that speaks just enough HTTP/1.1 to misbehave on purpose, for the
 * robustness tests of {@code fetch}: each test scripts what every connection does (which bytes
 * to send, how slowly, when to close or reset) and afterwards asks whether every connection has
 * ended.
 *
 * <p>Overview: a {@link ServerSocket} on the loopback address, an acceptor virtual thread, and
 * one virtual thread per connection that runs the test's {@link Script} with a
 * {@link Connection}. When the script returns without closing the socket, the thread waits for
 * the client to close its side (end of stream, or a reset), so a connection counts as open until
 * both the script is done and the socket is closed: {@link #awaitAllClosed} is then the
 * server-side proof that the client let go of every connection. {@code open}, {@code accepted}
 * and {@code maxOpen} are atomics written by those threads; {@code allClosed} (with
 * {@code lock}) wakes a waiter when {@code open} drops to 0. {@code failure} keeps the first
 * exception a script threw that was not a socket error (a bug in the test's script, reported by
 * {@link #close()}); socket errors are what these scripts expect from a client that gave up.
 */
final class MisbehavingServer implements AutoCloseable {

    /** What the server does with one connection; an {@link IOException} ends it quietly. */
    @FunctionalInterface
    interface Script {
        void serve(Connection connection) throws Exception;
    }

    /** One request as the server read it: the head's lines, and the body by Content-Length. */
    record Seen(String method, String target, Map<String, String> headers, byte[] body) {
        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final ServerSocket listener;
    private final Script script;
    private final Thread acceptor;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger maxOpen = new AtomicInteger();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled, under {@code lock}, when {@code open} drops to 0. */
    private final Condition allClosed = lock.newCondition();

    private MisbehavingServer(Script script) throws IOException {
        this.script = script;
        this.listener = new ServerSocket(0, 1000, InetAddress.getLoopbackAddress());
        this.acceptor = Thread.ofVirtual().name("misbehaving-acceptor-" + listener.getLocalPort()).start(this::accept);
    }

    /** Starts a server whose every connection runs {@code script}. */
    static MisbehavingServer start(Script script) {
        try {
            return new MisbehavingServer(script);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Starts a well-behaved keep-alive server: it reads requests one after another on each
     * connection and writes what {@code responder} returns for each (the whole response, head and
     * body; see {@link #response}).
     */
    static MisbehavingServer http(Function<Seen, String> responder) {
        return start(c -> {
            for (Seen seen; (seen = c.readRequest()) != null; ) {
                c.send(responder.apply(seen));
            }
        });
    }

    /** A response with {@code Content-Length} and the given extra header lines (each ending in CRLF). */
    static String response(int status, String extraHeaders, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return "HTTP/1.1 " + status + " " + Response.reasonPhrase(status) + "\r\n" + extraHeaders
                + "Content-Length: " + bytes.length + "\r\n\r\n" + body;
    }

    int port() {
        return listener.getLocalPort();
    }

    /** Returns {@code http://127.0.0.1:port} followed by {@code path}. */
    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port() + path);
    }

    /** Connections accepted so far. */
    int accepted() {
        return accepted.get();
    }

    /** Connections accepted and not yet ended. */
    int open() {
        return open.get();
    }

    /** The most connections that were open at once. */
    int maxOpen() {
        return maxOpen.get();
    }

    /**
     * Waits until every accepted connection has ended (script done, socket closed), at most
     * {@code limit}; a hang guard, not a timing assertion.
     *
     * @return whether they all ended
     */
    boolean awaitAllClosed(Duration limit) throws InterruptedException {
        long left = limit.toNanos();
        lock.lock();
        try {
            while (open.get() > 0) {
                if (left <= 0) {
                    return false;
                }
                left = allClosed.awaitNanos(left);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops accepting and resets every connection still open. Throws the first unexpected
     * exception a script threw, so a broken script fails its test instead of hiding.
     */
    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing a listener we own: nothing to do about it
        }
        for (Socket s : sockets) {
            abort(s);
        }
        try {
            acceptor.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Throwable t = failure.get();
        if (t != null) {
            throw new AssertionError("a script of " + this + " failed", t);
        }
    }

    @Override
    public String toString() {
        return "MisbehavingServer[127.0.0.1:" + port() + ", accepted " + accepted + ", open " + open + "]";
    }

    private void accept() {
        while (!listener.isClosed()) {
            Socket socket;
            try {
                socket = listener.accept();
            } catch (IOException e) {
                return; // closed
            }
            int index = accepted.getAndIncrement();
            int now = open.incrementAndGet();
            maxOpen.accumulateAndGet(now, Math::max);
            sockets.add(socket);
            Thread.ofVirtual().name("misbehaving-" + port() + "-" + index).start(() -> run(new Connection(socket, index)));
        }
    }

    private void run(Connection c) {
        try {
            script.serve(c);
            c.awaitClientClose();
        } catch (IOException e) {
            // the client closed or reset: the end these scripts expect
        } catch (Throwable t) {
            failure.compareAndSet(null, t);
        } finally {
            try {
                c.socket.close();
            } catch (IOException ignored) {
                // already broken
            }
            sockets.remove(c.socket);
            if (open.decrementAndGet() == 0) {
                lock.lock();
                try {
                    allClosed.signalAll();
                } finally {
                    lock.unlock();
                }
            }
        }
    }

    private static void abort(Socket s) {
        try {
            s.setSoLinger(true, 0);
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    /** One accepted connection, used by one script thread. */
    static final class Connection {
        final Socket socket;
        /** The order in which it was accepted, from 0. */
        final int index;
        private final InputStream in;
        private final OutputStream out;

        Connection(Socket socket, int index) {
            this.socket = socket;
            this.index = index;
            try {
                socket.setTcpNoDelay(true);
                this.in = new BufferedInputStream(socket.getInputStream());
                this.out = socket.getOutputStream();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /**
         * Reads a request head up to and including its empty line, or returns {@code null} when
         * the client closed the connection before sending a byte of it.
         */
        String readHead() throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int matched = 0;
            while (matched < 4) {
                int b = in.read();
                if (b < 0) {
                    if (head.size() == 0) {
                        return null;
                    }
                    throw new IOException("end of stream inside a request head: " + head);
                }
                head.write(b);
                matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : b == '\r' ? 1 : 0;
            }
            return head.toString(StandardCharsets.ISO_8859_1);
        }

        /** Reads a request: its head and a body of its Content-Length (none without one), or null at the end. */
        Seen readRequest() throws IOException {
            String head = readHead();
            if (head == null) {
                return null;
            }
            String[] lines = head.split("\r\n");
            String[] start = lines[0].split(" ");
            Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.put(lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim());
            }
            if (headers.getOrDefault("Transfer-Encoding", "").toLowerCase(Locale.ROOT).contains("chunked")) {
                throw new IllegalStateException("chunked request bodies are not supported by this test server");
            }
            int length = Integer.parseInt(headers.getOrDefault("Content-Length", "0"));
            return new Seen(start[0], start[1], headers, in.readNBytes(length));
        }

        /** Reads up to {@code n} bytes (fewer at the end of the stream). */
        byte[] readBytes(int n) throws IOException {
            return in.readNBytes(n);
        }

        /** Sends {@code text} (ISO-8859-1) at once. */
        void send(String text) throws IOException {
            send(text.getBytes(StandardCharsets.ISO_8859_1));
        }

        /** Sends {@code bytes} at once. */
        void send(byte[] bytes) throws IOException {
            out.write(bytes);
            out.flush();
        }

        /** Sends {@code count} copies of {@code piece}, pausing {@code pause} before each but the first. */
        void drip(String piece, int count, Duration pause) throws IOException, InterruptedException {
            for (int i = 0; i < count; i++) {
                if (i > 0) {
                    Thread.sleep(pause);
                }
                send(piece);
            }
        }

        /** Closes the connection with a reset (RST) instead of an orderly close (FIN). */
        void reset() throws IOException {
            socket.setSoLinger(true, 0);
            socket.close();
        }

        /** Closes the connection in order (FIN). */
        void close() throws IOException {
            socket.close();
        }

        /**
         * Reads and drops whatever the client sends until it closes or resets the connection;
         * returns at once if this side is closed already.
         */
        void awaitClientClose() throws IOException {
            if (socket.isClosed()) {
                return;
            }
            try {
                in.transferTo(OutputStream.nullOutputStream());
            } catch (SocketException e) {
                // a reset: closed as well
            }
        }
    }
}
