package dev.eventual.io.fetch;

import static dev.eventual.io.fetch.FetchTesting.GUARD;
import static org.assertj.core.api.Assertions.assertThat;

import dev.eventual.EventLoop;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import dev.eventual.Promise;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Which thread hands a response to the loop. A small body (read whole by the JDK) is handed over
 * by the JDK thread that read its last byte, not by the JDK's async pool that completes the
 * future of {@code sendAsync} one thread hand-off later; whatever thread hands it over, the
 * fetch's handlers run on the loop thread. A JDK client that follows redirects itself keeps the
 * future's path, so the response's URL is the final one.
 */
class FetchHandOffTest {
    private static final String EXECUTOR_THREAD = "fetch-handoff-test-jdk-";

    private TestServer server;
    private ExecutorService executor;
    private EventLoop loop;
    private final AtomicInteger threads = new AtomicInteger();

    @BeforeEach
    void start() {
        byte[] big = "y".repeat((int) Exchange.SMALL_BODY_LIMIT + 1).getBytes(StandardCharsets.US_ASCII);
        server = new TestServer()
                .text("/small", 200, "text/plain", "small body")
                .route("/big", ex -> {
                    ex.sendResponseHeaders(200, big.length);
                    ex.getResponseBody().write(big);
                    ex.close();
                })
                .route("/moved", ex -> {
                    ex.getResponseHeaders().set("Location", "/small");
                    ex.sendResponseHeaders(301, -1);
                    ex.close();
                });
        executor = Executors.newCachedThreadPool(r -> Thread.ofPlatform().daemon()
                .name(EXECUTOR_THREAD + threads.incrementAndGet()).unstarted(r));
        loop = EventLoop.builder().name("fetch-handoff-test").daemon(true).start();
    }

    @AfterEach
    void stop() throws InterruptedException {
        loop.close();
        server.close();
        executor.shutdownNow();
        assertThat(executor.awaitTermination(GUARD.toSeconds(), TimeUnit.SECONDS)).as("the JDK client's executor ended").isTrue();
    }

    private HttpClient jdkClient(HttpClient.Redirect redirects) {
        return HttpClient.newBuilder().followRedirects(redirects).executor(executor).build();
    }

    /** Sends {@code path} through an exchange of {@code client}; returns the thread that completed it. */
    private Thread completingThread(FetchClient client, String path) throws Exception {
        Exchange exchange = new Exchange(client, loop, Request.get(server.url(path)));
        CompletableFuture<Thread> completedOn = new CompletableFuture<>();
        exchange.whenComplete((r, e) -> completedOn.complete(Thread.currentThread()));
        exchange.start(exchange.firstRequest());
        // Wait on completedOn, never on the exchange: a thread waiting in the exchange's get() helps
        // run its dependents, and would then be the thread recorded.
        Thread thread = completedOn.get(GUARD.toSeconds(), TimeUnit.SECONDS);
        Response response = exchange.join();
        assertThat(response.status()).as("status of GET %s", path).isEqualTo(200);
        // Read to the end on the loop: an unread body would hold its exchange, and the JDK client's close waits for it.
        CompletableFuture<Void> read = new CompletableFuture<>();
        loop.execute(() -> response.discard().thenAccept(read::complete).caught(e -> {
            read.completeExceptionally(e);
            return null;
        }));
        read.get(GUARD.toSeconds(), TimeUnit.SECONDS);
        return thread;
    }

    @Test
    void aSmallResponse_isHandedOver_byTheJdkThreadThatReadIt_notByTheJdksAsyncPool() throws Exception {
        try (HttpClient http = jdkClient(HttpClient.Redirect.NEVER);
                FetchClient client = FetchClient.builder().httpClient(http).build()) {
            Thread small = completingThread(client, "/small");
            assertThat(small.getName()).as("the thread that handed the small response over (the JDK's async pool"
                    + " completes sendAsync's future)").startsWith(EXECUTOR_THREAD);
            Thread big = completingThread(client, "/big");
            assertThat(big.getName()).as("a large body's response comes through sendAsync's future, on the JDK's async pool")
                    .doesNotStartWith(EXECUTOR_THREAD);
        }
    }

    @Test
    void theBodyAndEveryHandler_arriveOnTheLoopThread_whateverThreadHandedTheResponseOver() throws Exception {
        try (HttpClient http = jdkClient(HttpClient.Redirect.NEVER);
                FetchClient client = FetchClient.builder().httpClient(http).build()) {
            for (int i = 0; i < 20; i++) { // several, so that the JDK's threads race the loop's
                CompletableFuture<Thread> loopThread = new CompletableFuture<>();
                CompletableFuture<Thread> responseOn = new CompletableFuture<>();
                CompletableFuture<Thread> bytesOn = new CompletableFuture<>();
                CompletableFuture<String> text = new CompletableFuture<>();
                loop.execute(() -> {
                    loopThread.complete(Thread.currentThread());
                    client.fetch(Request.get(server.url("/small"))).thenCompose(r -> {
                        responseOn.complete(Thread.currentThread());
                        return r.bytes();
                    }).thenAccept(bytes -> {
                        bytesOn.complete(Thread.currentThread());
                        text.complete(new String(bytes, StandardCharsets.US_ASCII));
                    }).caught(e -> {
                        text.completeExceptionally(e);
                        return null;
                    });
                });
                assertThat(text.get(GUARD.toSeconds(), TimeUnit.SECONDS)).as("body of GET /small, round %d", i).isEqualTo("small body");
                Thread expected = loopThread.get(GUARD.toSeconds(), TimeUnit.SECONDS);
                assertThat(responseOn.get()).as("thread of the response handler, round %d", i).isSameAs(expected);
                assertThat(bytesOn.get()).as("thread of the bytes handler, round %d", i).isSameAs(expected);
            }
        }
    }

    @Test
    void aJdkClientThatFollowsRedirects_givesTheFinalUrl() throws Exception {
        try (HttpClient http = jdkClient(HttpClient.Redirect.ALWAYS);
                FetchClient client = FetchClient.builder().httpClient(http).build()) {
            CompletableFuture<URI> url = new CompletableFuture<>();
            loop.execute(() -> client.fetch(Request.get(server.url("/moved"))).thenAccept(r -> url.complete(r.uri()))
                    .caught(e -> {
                        url.completeExceptionally(e);
                        return null;
                    }));
            assertThat(url.get(GUARD.toSeconds(), TimeUnit.SECONDS)).as("URL of the response to GET /moved")
                    .isEqualTo(URI.create(server.url("/small")));
        }
    }

    /**
     * The race of the two deliveries with a cancel: each of many small fetches is cancelled from
     * the loop at a random moment between its start and twice the time a whole fetch took here
     * (measured first; at most 5 ms), so some cancels come before, some while, and some after the JDK thread
     * that read the body hands it over. Each fetch's handlers settle exactly once, and every host
     * slot comes back.
     */
    @Test
    void smallFetchesCancelledAtAnyMoment_settleOnceEach_andGiveEverySlotBack() throws Exception {
        int fetches = 200;
        try (HttpClient http = jdkClient(HttpClient.Redirect.NEVER);
                FetchClient client = FetchClient.builder().httpClient(http).build()) {
            long[] took = new long[21];
            for (int i = 0; i < took.length; i++) {
                CompletableFuture<byte[]> body = new CompletableFuture<>();
                long start = System.nanoTime();
                loop.execute(() -> client.fetch(Request.get(server.url("/small"))).thenCompose(Response::bytes)
                        .thenAccept(body::complete).caught(e -> {
                            body.completeExceptionally(e);
                            return null;
                        }));
                body.get(GUARD.toSeconds(), TimeUnit.SECONDS);
                took[i] = System.nanoTime() - start;
            }
            java.util.Arrays.sort(took);
            int spread = (int) Math.min(5_000_000, 2 * took[took.length / 2]); // at most 5 ms: a short test on a slow host
            Random random = new Random(18);
            AtomicInteger settlements = new AtomicInteger();
            List<CompletableFuture<String>> outcomes = new ArrayList<>();
            for (int i = 0; i < fetches; i++) {
                CompletableFuture<String> outcome = new CompletableFuture<>();
                CompletableFuture<Promise<Response>> started = new CompletableFuture<>();
                loop.execute(() -> {
                    Promise<Response> fetch = client.fetch(Request.get(server.url("/small")));
                    started.complete(fetch);
                    fetch.thenCompose(Response::bytes).thenAccept(bytes -> {
                        settlements.incrementAndGet();
                        outcome.complete("read " + bytes.length + " bytes");
                    }).caught(e -> {
                        settlements.incrementAndGet();
                        outcome.complete("rejected");
                        return null;
                    });
                });
                Promise<Response> fetch = started.get(GUARD.toSeconds(), TimeUnit.SECONDS);
                long until = System.nanoTime() + random.nextInt(spread);
                while (System.nanoTime() - until < 0) {
                    Thread.onSpinWait();
                }
                loop.execute(fetch::cancel);
                outcomes.add(outcome);
            }
            int read = 0;
            for (int i = 0; i < fetches; i++) {
                String outcome = outcomes.get(i).get(GUARD.toSeconds(), TimeUnit.SECONDS);
                assertThat(outcome).as("outcome of fetch %d", i).isIn("read 10 bytes", "rejected");
                read += outcome.startsWith("read") ? 1 : 0;
            }
            String key = Exchange.hostKey(URI.create(server.url("/small")));
            long guard = System.nanoTime() + GUARD.toNanos(); // a hang guard: a cancelled hop gives its slot back on a JDK thread
            while (client.limiter().inFlightAndWaiting(key)[0] != 0 && System.nanoTime() - guard < 0) {
                Thread.sleep(1);
            }
            assertThat(client.limiter().inFlightAndWaiting(key)).as("slots in use and fetches waiting, %d of %d read",
                    read, fetches).containsExactly(0, 0);
            CompletableFuture<Integer> settled = new CompletableFuture<>();
            loop.execute(() -> settled.complete(settlements.get())); // after every handler that was queued
            assertThat(settled.get(GUARD.toSeconds(), TimeUnit.SECONDS)).as("handlers settled, %d of %d read", read, fetches)
                    .isEqualTo(fetches);
        }
    }
}
