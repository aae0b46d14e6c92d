package dev.eventual.faults;

import dev.eventual.EventLoop;
import dev.eventual.Promise;
import dev.eventual.io.fetch.Fetch;
import dev.eventual.io.fetch.FetchClient;
import dev.eventual.io.fetch.Request;
import dev.eventual.io.fetch.Response;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fault measurements of {@code fetch} that take too long for {@code mvn verify} (issue figures
 * in STRESS.md, "Faults, measured"). Each case starts a localhost server that misbehaves one way,
 * runs the fetches as a user would, and prints one line of figures. Run from the repository
 * root:
 *
 * <pre>
 * mvn -B -q -pl stress -am package -DskipTests
 * java -cp stress/target/jcstress.jar dev.eventual.faults.FetchFaults CASE [N]
 * </pre>
 *
 * <ul>
 *   <li>{@code queued N}: N fetches at once (default 2,000) of a server that never answers,
 *       {@code timeout(3 s)}, through the shared client (64 per host): when each rejected,
 *       counted from its own call (the slowest is the figure; the goal is under 3.5 s);</li>
 *   <li>{@code stall}: a body of {@code Content-Length: 100} that stops after one byte,
 *       {@code timeout(2 s)}: when the fetch settled (gives up after 20 s);</li>
 *   <li>{@code drip}: a 4,000-byte body sent one byte per 2 ms (about 8 s), {@code timeout(5 s)}:
 *       when the body's read settled;</li>
 *   <li>{@code malformed N}: N sequential {@code Fetch.fetch} (shared client, default 1,000) of a
 *       server answering {@code HTTP/1.1 ABC Nope}, then of one sending 393,217 bytes of
 *       headers: open file descriptors of this process (/proc/self/fd) before and after each
 *       series;</li>
 *   <li>{@code abort N}: N runs (default 20) of 50 fetches through
 *       {@code maxRequestsPerHost(8)} sharing one {@code AbortController}, aborted after 50 ms,
 *       of a server that holds every request: requests the server received after
 *       {@code abort()} returned, and the most it held at once (the cap is 8).</li>
 * </ul>
 */
public final class FetchFaults {
    private FetchFaults() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: FetchFaults queued|stall|drip|malformed|abort [N]");
            System.exit(2);
        }
        int n = args.length > 1 ? Integer.parseInt(args[1]) : -1;
        switch (args[0]) {
            case "queued" -> queued(n < 0 ? 2_000 : n);
            case "stall" -> stall();
            case "drip" -> drip();
            case "malformed" -> malformed(n < 0 ? 1_000 : n);
            case "abort" -> abort(n < 0 ? 20 : n);
            default -> {
                System.err.println("unknown case " + args[0]);
                System.exit(2);
            }
        }
    }

    private static void queued(int n) throws Exception {
        try (Server server = new Server(c -> {
            readHead(c);
            drain(c); // never answers
        })) {
            warmUp(); // the shared client built and used once, as a running program's would be
            String url = server.url("/hang");
            List<Long> settledMillis = new ArrayList<>();
            AtomicInteger timeouts = new AtomicInteger();
            AtomicLong callsTook = new AtomicLong();
            EventLoop.run(() -> {
                long first = System.nanoTime();
                Request request = Request.builder(url).timeout(Duration.ofSeconds(3)).build();
                for (int i = 0; i < n; i++) {
                    long called = System.nanoTime();
                    Fetch.fetch(request).asCallback((error, response) -> {
                        settledMillis.add((System.nanoTime() - called) / 1_000_000); // on the loop: no race
                        if (error != null && String.valueOf(error.getMessage()).contains("within 3000 ms")) {
                            timeouts.incrementAndGet();
                        }
                    });
                }
                callsTook.set((System.nanoTime() - first) / 1_000_000);
            });
            settledMillis.sort(null);
            System.out.printf("queued: %d fetches (the calls took %d ms), timeout 3 s: %d rejected with the timeout;"
                    + " each settled after its call: fastest %d ms, median %d ms, slowest %d ms;"
                    + " server accepted %d connections%n",
                    n, callsTook.get(), timeouts.get(), settledMillis.get(0), settledMillis.get(n / 2),
                    settledMillis.get(n - 1), server.accepted.get());
        }
    }

    private static void abort(int runs) throws Exception {
        int worstAfter = 0;
        int worstOpen = 0;
        int totalAfter = 0;
        for (int run = 0; run < runs; run++) {
            AtomicInteger received = new AtomicInteger();
            AtomicInteger open = new AtomicInteger();
            AtomicInteger maxOpen = new AtomicInteger();
            AtomicInteger atAbort = new AtomicInteger(-1);
            try (Server server = new Server(c -> {
                        readHead(c);
                        received.incrementAndGet();
                        maxOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
                        try {
                            drain(c);
                        } finally {
                            open.decrementAndGet();
                        }
                    });
                    FetchClient client = FetchClient.builder().maxRequestsPerHost(8).build()) {
                Request.Builder builder = Request.builder(server.url("/held"));
                EventLoop.run(() -> {
                    dev.eventual.AbortController controller = new dev.eventual.AbortController();
                    Request request = builder.signal(controller.signal()).build();
                    for (int i = 0; i < 50; i++) {
                        client.fetch(request).caught(e -> null);
                    }
                    EventLoop.current().setTimeout(() -> {
                        controller.abort();
                        atAbort.set(received.get());
                    }, 50);
                });
                Thread.sleep(300); // requests sent after the abort would arrive by now
                int after = received.get() - atAbort.get();
                worstAfter = Math.max(worstAfter, after);
                totalAfter += after;
                worstOpen = Math.max(worstOpen, maxOpen.get());
            }
        }
        System.out.printf("abort: %d runs of 50 fetches, cap 8, aborted after 50 ms: requests received after abort()"
                + " returned: %d in all, at most %d in one run; most held at once: %d%n", runs, totalAfter, worstAfter, worstOpen);
    }

    private static void stall() throws Exception {
        try (Server server = new Server(c -> {
            readHead(c);
            c.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nx".getBytes(StandardCharsets.ISO_8859_1));
            c.getOutputStream().flush();
            drain(c);
        })) {
            warmUp();
            time("stall (Content-Length: 100, 1 byte sent), timeout 2 s", () -> Fetch.fetch(
                    Request.builder(server.url("/stall")).timeout(Duration.ofSeconds(2)).build()).thenCompose(Response::text));
        }
    }

    private static void drip() throws Exception {
        try (Server server = new Server(c -> {
            readHead(c);
            OutputStream out = c.getOutputStream();
            out.write("HTTP/1.1 200 OK\r\nContent-Length: 4000\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            for (int i = 0; i < 4000; i++) {
                out.write('x');
                out.flush();
                Thread.sleep(2);
            }
            drain(c);
        })) {
            warmUp();
            time("drip (4,000 bytes, one per 2 ms), timeout 5 s", () -> Fetch.fetch(
                    Request.builder(server.url("/drip")).timeout(Duration.ofSeconds(5)).build()).thenCompose(Response::text));
        }
    }

    /** Runs {@code work} on a loop in a daemon thread and prints when it settled, giving up at 20 s. */
    private static void time(String what, java.util.function.Supplier<Promise<String>> work) throws Exception {
        AtomicReferenceLine line = new AtomicReferenceLine();
        long start = System.nanoTime();
        Thread t = Thread.ofPlatform().daemon().start(() -> EventLoop.run(() -> work.get().asCallback((e, text) ->
                line.set(String.format("%s: %s after %d ms (%s)", what, e == null ? "fulfilled" : "rejected",
                        (System.nanoTime() - start) / 1_000_000, e == null ? text.length() + " chars" : e.getMessage())))));
        t.join(20_000);
        System.out.println(line.get() != null ? line.get() : what + ": still pending after 20000 ms");
    }

    private static final class AtomicReferenceLine extends java.util.concurrent.atomic.AtomicReference<String> {
        private static final long serialVersionUID = 1L;
    }

    private static void malformed(int n) throws Exception {
        try (Server badStatus = new Server(c -> {
                    readHead(c);
                    c.getOutputStream().write("HTTP/1.1 ABC Nope\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.ISO_8859_1));
                    c.getOutputStream().flush();
                    drain(c);
                });
                Server bigHeaders = new Server(c -> {
                    readHead(c);
                    StringBuilder head = new StringBuilder("HTTP/1.1 200 OK\r\n");
                    while (head.length() < 393_217) {
                        head.append("X-Filler: ").append("f".repeat(1000)).append("\r\n");
                    }
                    head.append("Content-Length: 2\r\n\r\nok");
                    c.getOutputStream().write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
                    c.getOutputStream().flush();
                    drain(c);
                })) {
            warmUp();
            series("malformed status line \"HTTP/1.1 ABC Nope\"", badStatus.url("/bad"), n);
            series("393,217 bytes of headers", bigHeaders.url("/big"), Math.min(n, 300));
        }
    }

    /** One successful fetch of the shared client, so its own descriptors count in the baseline. */
    private static void warmUp() throws Exception {
        try (Server ok = new Server(c -> {
            readHead(c);
            c.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"
                    .getBytes(StandardCharsets.ISO_8859_1));
            c.getOutputStream().flush();
            c.close();
        })) {
            EventLoop.run(() -> Fetch.getText(ok.url("/warm")).caught(e -> null));
        }
        Thread.sleep(200);
    }

    private static void series(String what, String url, int n) throws InterruptedException {
        System.gc();
        int before = openDescriptors();
        AtomicInteger rejected = new AtomicInteger();
        for (int i = 0; i < n; i++) {
            EventLoop.run(() -> Fetch.fetch(url).asCallback((e, r) -> {
                if (e != null) {
                    rejected.incrementAndGet();
                }
            }));
        }
        int after = openDescriptors();
        Thread.sleep(2_000); // retired clients close once their exchanges ended
        System.gc();
        int settled = openDescriptors();
        System.out.printf("malformed: %s, %d sequential fetches (%d rejected): open descriptors %d before,"
                + " %d right after, %d 2 s later%n", what, n, rejected.get(), before, after, settled);
    }

    private static int openDescriptors() {
        String[] fds = new File("/proc/self/fd").list();
        return fds == null ? -1 : fds.length;
    }

    private static void readHead(Socket c) throws IOException {
        InputStream in = c.getInputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed in the request head");
            }
            matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : b == '\r' ? 1 : 0;
        }
    }

    private static void drain(Socket c) throws IOException {
        c.getInputStream().transferTo(OutputStream.nullOutputStream());
    }

    /** A loopback server running {@code script} on a virtual thread per connection. */
    private static final class Server implements AutoCloseable {
        interface Script {
            void serve(Socket c) throws Exception;
        }

        final ServerSocket listener;
        final AtomicInteger accepted = new AtomicInteger();

        Server(Script script) throws IOException {
            listener = new ServerSocket(0, 4096, InetAddress.getLoopbackAddress());
            Thread.ofVirtual().start(() -> {
                while (!listener.isClosed()) {
                    Socket c;
                    try {
                        c = listener.accept();
                    } catch (IOException e) {
                        return;
                    }
                    accepted.incrementAndGet();
                    Thread.ofVirtual().start(() -> {
                        try (c) {
                            script.serve(c);
                        } catch (Exception e) {
                            // the client hung up: what these servers expect
                        }
                    });
                }
            });
        }

        String url(String path) {
            return "http://127.0.0.1:" + listener.getLocalPort() + path;
        }

        @Override
        public void close() throws IOException {
            listener.close();
        }
    }
}
