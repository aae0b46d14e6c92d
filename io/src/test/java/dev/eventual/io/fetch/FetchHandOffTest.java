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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
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
}
