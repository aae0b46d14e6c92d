package dev.eventual.bench;

import com.sun.net.httpserver.HttpServer;
import dev.eventual.EventLoop;
import dev.eventual.io.fetch.FetchClient;
import dev.eventual.io.fetch.Request;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@link HttpGet}'s two columns in one JVM, in alternating rounds (the raw client, then
 * {@code fetch}), so that both see the same load on a busy host: the median over pairs of the
 * round's time ratio {@code fetch} / raw, with the distribution-free 99% interval of the median.
 * The server, clients and callbacks are {@code HttpGet}'s. Figures: BENCHMARKS.md, "HttpGet:
 * where fetch's time goes".
 *
 * <p>Run: {@code java -Xms2g -Xmx2g -XX:+AlwaysPreTouch -Dsun.net.httpserver.nodelay=true -cp
 * bench/target/benchmarks.jar dev.eventual.bench.HttpGetPaired MODE GETS WARMUP_PAIRS PAIRS}, MODE
 * {@code sequential} (one GET at a time) or {@code concurrent} (64 in flight).
 */
public final class HttpGetPaired {
    static final byte[] BODY = "x".repeat(100).getBytes();

    public static void main(String[] args) throws Exception {
        if (args.length != 4 || !Boolean.getBoolean("sun.net.httpserver.nodelay")) {
            throw new IllegalArgumentException("usage: java -Dsun.net.httpserver.nodelay=true ... HttpGetPaired"
                    + " sequential|concurrent GETS WARMUP_PAIRS PAIRS (see the class's javadoc)");
        }
        String mode = args[0];
        int width = mode.equals("sequential") ? 1 : 64;
        int n = Integer.parseInt(args[1]);
        int warmRounds = Integer.parseInt(args[2]);
        int rounds = Integer.parseInt(args[3]);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
        server.createContext("/small", ex -> {
            try (ex) {
                ex.getRequestBody().readAllBytes();
                ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
                ex.sendResponseHeaders(200, BODY.length);
                ex.getResponseBody().write(BODY);
            }
        });
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
        URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/small");
        EventLoop loop = EventLoop.builder().name("paired-loop").daemon(true).start();
        HttpClient fetchHttp = client(), rawHttp = client();
        FetchClient fetch = FetchClient.builder().httpClient(fetchHttp).build();
        Request request = Request.builder(uri).build();
        HttpRequest rawRequest = HttpRequest.newBuilder(uri).build();
        double[] ratios = new double[rounds];
        double[] raws = new double[rounds], fetches = new double[rounds];
        for (int r = -warmRounds; r < rounds; r++) {
            long t0 = System.nanoTime();
            raw(rawHttp, rawRequest, n, width);
            long t1 = System.nanoTime();
            fetch(loop, fetch, request, n, width);
            long t2 = System.nanoTime();
            if (r >= 0) {
                raws[r] = (t1 - t0) / 1e3 / n;
                fetches[r] = (t2 - t1) / 1e3 / n;
                ratios[r] = fetches[r] / raws[r];
            }
        }
        Arrays.sort(ratios); Arrays.sort(raws); Arrays.sort(fetches);
        int[] ci = medianCi(rounds);
        System.out.printf("%s: %d pairs of %d GETs; raw median %.1f us/GET, fetch median %.1f us/GET; "
                + "paired time ratio fetch/raw: median %.3f, 99%% CI of the median [%.3f, %.3f] (ranks %d..%d)%n",
                mode, rounds, n, raws[rounds / 2], fetches[rounds / 2], ratios[rounds / 2], ratios[ci[0]], ratios[ci[1]], ci[0] + 1, ci[1] + 1);
        System.exit(0);
    }

    /** Distribution-free 99% CI of the median: order statistics from Binomial(n, 1/2). */
    static int[] medianCi(int n) {
        double[] cdf = new double[n + 1];
        double p = Math.pow(0.5, n), c = 0;
        for (int k = 0; k <= n; k++) {
            if (k > 0) p = p * (n - k + 1) / k;
            c += p; cdf[k] = c;
        }
        int lo = 0;
        while (lo + 1 < n && cdf[lo] <= 0.005) lo++;
        return new int[] {lo, n - 1 - lo};
    }

    static HttpClient client() {
        return HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(30)).build();
    }

    static void raw(HttpClient http, HttpRequest req, int n, int width) {
        AtomicInteger started = new AtomicInteger(), finished = new AtomicInteger();
        CompletableFuture<Void> done = new CompletableFuture<>();
        Runnable[] next = new Runnable[1];
        next[0] = () -> {
            if (started.getAndIncrement() >= n) return;
            http.sendAsync(req, BodyHandlers.ofByteArray()).whenComplete((resp, e) -> {
                if (e != null || resp.body().length != 100) { done.completeExceptionally(e != null ? e : new IllegalStateException()); return; }
                if (finished.incrementAndGet() == n) done.complete(null); else next[0].run();
            });
        };
        for (int i = 0; i < width; i++) next[0].run();
        done.join();
    }

    static void fetch(EventLoop loop, FetchClient client, Request req, int n, int width) {
        int[] counts = new int[2];
        CompletableFuture<Void> done = new CompletableFuture<>();
        Runnable[] next = new Runnable[1];
        next[0] = () -> {
            if (counts[0] == n) return;
            counts[0]++;
            client.fetch(req).thenCompose(r -> r.bytes()).thenAccept(b -> {
                if (b.length != 100) throw new IllegalStateException();
                if (++counts[1] == n) done.complete(null); else next[0].run();
            }).caught(e -> { done.completeExceptionally(e); return null; });
        };
        loop.execute(() -> { for (int i = 0; i < width; i++) next[0].run(); });
        done.join();
    }
}
