package dev.eventual.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.eventual.EventLoop;
import dev.eventual.io.fetch.FetchClient;
import dev.eventual.io.fetch.Request;
import dev.eventual.io.fetch.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Scenario 7 (module io): {@code n} localhost GETs of a {@value #BODY_SIZE}-byte body, one after
 * the other ({@code mode=sequential}) or {@value #IN_FLIGHT} in flight at a time until {@code n}
 * are done ({@code mode=concurrent}); the score is the time per invocation of {@code n} GETs
 * (BENCHMARKS.md divides by {@code n}). Each body is read whole and its size checked.
 *
 * <p>One JDK {@code com.sun.net.httpserver.HttpServer} on 127.0.0.1, started once per trial with
 * {@value #SERVER_THREADS} platform handler threads, serves both columns: {@code GET /small}
 * answers 200 with {@code Content-Length} and a kept-alive connection. The fork runs with
 * {@code -Dsun.net.httpserver.nodelay=true} (without it every response waits for Nagle and the
 * client's delayed ACK, about 40 ms); {@link #setup} checks that it is set. The clients' default
 * version policy (HTTP/2) sends an {@code h2c} upgrade offer with every request on plain http; the
 * server ignores it and answers HTTP/1.1, so both columns run HTTP/1.1 over kept-alive
 * connections (one per GET in flight), the same for both.
 *
 * <p>Columns, each with its own JDK {@link HttpClient} built the same way (the way
 * {@code FetchClient} builds its own: redirects {@code NEVER}, 30 s connect timeout, the JDK's
 * default version policy and executor): {@code eventual} is {@code FetchClient.fetch(request)}
 * then {@code Response.bytes()} on an Eventual loop started once per trial, the next GET started
 * from the callback that received the previous body, on the loop; {@code completableFuture} is the
 * raw {@code HttpClient.sendAsync(request, BodyHandlers.ofByteArray())}, the next GET started from
 * {@code whenComplete} on the client's thread that completed the previous one. Both send a request
 * built once per trial ({@link Request} / {@link HttpRequest}), and both run their {@code width}
 * chains ({@code 1} or {@value #IN_FLIGHT}) until {@code n} GETs were started; the benchmark
 * thread waits for the last parked ({@link Done#awaitParked}: a yielding waiter took a tenth of
 * the CPU time on 2 cores).
 *
 * <p>Run: {@code bench/run HttpGet} (or
 * {@code java -jar bench/target/benchmarks.jar HttpGet -prof gc}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
// A long warm-up: every column's iterations keep falling through the fork until the JDK's HTTP
// stack has compiled, about 40 s, so ten 4-second ones (figures: BENCHMARKS.md, HttpGet).
@Warmup(iterations = 10, time = 4)
@Measurement(iterations = 5, time = 4)
// Prepend, not append: a -jvmArgsAppend on the command line (bench/run passes one) replaces the
// annotation's jvmArgsAppend instead of adding to it.
// As many forks as every scenario (Settings.FORKS): a fork's own compilation shows in the error.
@Fork(value = Settings.FORKS, jvmArgsPrepend = "-Dsun.net.httpserver.nodelay=true")
public class HttpGet {
    static final int IN_FLIGHT = 64;
    static final int BODY_SIZE = 100;
    static final int SERVER_THREADS = 4;
    private static final byte[] BODY = "x".repeat(BODY_SIZE).getBytes(StandardCharsets.US_ASCII);

    @Param("10000")
    public int n;

    @Param({"sequential", "concurrent"})
    public String mode;

    private HttpServer server;
    private ExecutorService serverThreads;
    private EventLoop loop;
    private HttpClient fetchHttp;
    private FetchClient fetchClient;
    private HttpClient rawHttp;
    private Request request;
    private HttpRequest rawRequest;
    private int width;
    private final Done done = new Done();

    @Setup(Level.Trial)
    public void setup() throws IOException {
        if (!Boolean.getBoolean("sun.net.httpserver.nodelay")) {
            throw new IllegalStateException("run the fork with -Dsun.net.httpserver.nodelay=true (see @Fork)");
        }
        width = switch (mode) {
            case "sequential" -> 1;
            case "concurrent" -> IN_FLIGHT;
            default -> throw new IllegalArgumentException("mode must be sequential or concurrent: " + mode);
        };
        AtomicInteger threadNumber = new AtomicInteger();
        serverThreads = Executors.newFixedThreadPool(SERVER_THREADS,
                r -> Thread.ofPlatform().daemon().name("bench-http-server-" + threadNumber.incrementAndGet()).unstarted(r));
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
        server.createContext("/small", HttpGet::small);
        server.setExecutor(serverThreads);
        server.start();
        URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/small");

        loop = EventLoop.builder().name("bench-http-eventual").daemon(true).start();
        fetchHttp = newHttpClient();
        fetchClient = FetchClient.builder().httpClient(fetchHttp).build(); // 64 per host, the default
        rawHttp = newHttpClient();
        request = Request.builder(uri).build();
        rawRequest = HttpRequest.newBuilder(uri).build();
    }

    /** The client FetchClient builds for itself when given none; the same for both columns. */
    private static HttpClient newHttpClient() {
        return HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(30))
                .build();
    }

    private static void small(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            in.transferTo(OutputStream.nullOutputStream());
            exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            exchange.sendResponseHeaders(200, BODY.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(BODY);
            }
        }
    }

    @TearDown(Level.Trial)
    public void teardown() {
        fetchClient.close();
        fetchHttp.close();
        rawHttp.close();
        loop.close();
        server.stop(0);
        serverThreads.shutdownNow();
    }

    @Benchmark
    public void eventual() {
        EventualBatch batch = new EventualBatch();
        loop.execute(done.guard(() -> {
            for (int i = 0; i < width; i++) {
                batch.next();
            }
        }));
        done.awaitParked();
    }

    /** One invocation of {@code eventual}; its counters are touched on the loop thread only. */
    private final class EventualBatch {
        private int started;
        private int finished;

        /** On the loop thread: starts one more GET if fewer than {@code n} were started. */
        void next() {
            if (started == n) {
                return;
            }
            started++;
            fetchClient.fetch(request)
                    .thenCompose(response -> {
                        check(response.status());
                        return response.bytes();
                    })
                    .thenAccept(body -> {
                        check(body);
                        if (++finished == n) {
                            done.signal();
                        } else {
                            next();
                        }
                    })
                    .caught(failure -> {
                        done.fail(failure);
                        return null;
                    });
        }
    }

    @Benchmark
    public void completableFuture() {
        RawBatch batch = new RawBatch();
        for (int i = 0; i < width; i++) {
            batch.next();
        }
        done.awaitParked();
    }

    /**
     * One invocation of {@code completableFuture}; its counters are atomics because completions
     * arrive on any of the client's threads.
     */
    private final class RawBatch {
        private final AtomicInteger started = new AtomicInteger();
        private final AtomicInteger finished = new AtomicInteger();

        /** On the benchmark thread or a client thread: starts one more GET if fewer than {@code n} were started. */
        void next() {
            if (started.getAndIncrement() >= n) {
                return;
            }
            rawHttp.sendAsync(rawRequest, BodyHandlers.ofByteArray()).whenComplete((response, failure) -> {
                try {
                    if (failure != null) {
                        throw failure;
                    }
                    check(response.statusCode());
                    check(response.body());
                } catch (Throwable t) {
                    done.fail(t);
                    return;
                }
                if (finished.incrementAndGet() == n) {
                    done.signal();
                } else {
                    next();
                }
            });
        }
    }

    private static void check(int status) {
        if (status != 200) {
            throw new IllegalStateException("GET /small answered " + status);
        }
    }

    private static void check(byte[] body) {
        if (body.length != BODY_SIZE) {
            throw new IllegalStateException("GET /small: a body of " + body.length + " bytes, expected " + BODY_SIZE);
        }
    }
}
