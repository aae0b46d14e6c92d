package dev.eventual.io.fetch;

import static dev.eventual.io.fetch.FetchTesting.GUARD;
import static dev.eventual.io.fetch.FetchTesting.assertAllClosed;
import static dev.eventual.io.fetch.FetchTesting.openDescriptors;
import static org.assertj.core.api.Assertions.assertThat;

import dev.eventual.EventLoop;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A loop that closes while a fetch of it holds a connection (waiting for the headers, a body
 * being read whole, a body being streamed with a chunk waiting in the loop's queue, a body nobody
 * read) releases that connection: the server sees it closed, without the client being closed,
 * and the process's descriptors come back to where they were. The hazard: a chunk of
 * {@code stream} queued on a loop that closes is dropped with the loop's queue, and nothing else
 * would ask the JDK for the next one, so the connection would stay open for good.
 */
class FetchLoopCloseTest {
    private FetchClient client;
    private EventLoop loop;

    @BeforeEach
    void start() {
        client = FetchClient.builder().build();
        client.currentJdkClient().join();
        loop = EventLoop.builder().name("fetch-loop-close").daemon(true).start();
    }

    @AfterEach
    void stop() {
        loop.close();
        client.close();
    }

    /** Headers, then a body of {@code Content-Length: 100000000} dripped until the client hangs up. */
    private static MisbehavingServer drippingServer(CountDownLatch connected) {
        return MisbehavingServer.start(c -> {
            c.readHead();
            connected.countDown();
            c.send("HTTP/1.1 200 OK\r\nContent-Length: 100000000\r\n\r\n");
            c.drip("drip\n", Integer.MAX_VALUE, Duration.ofMillis(10));
        });
    }

    @Test
    void close_duringAStream_withAChunkQueuedOnTheLoop_closesTheConnection() throws Exception {
        CountDownLatch connected = new CountDownLatch(1);
        CountDownLatch firstChunk = new CountDownLatch(1);
        try (MisbehavingServer server = drippingServer(connected)) {
            int baseline = openDescriptors();
            loop.execute(() -> client.fetch(server.uri("/stream").toString())
                    .thenCompose(r -> r.stream(chunk -> {
                        if (firstChunk.getCount() > 0) {
                            firstChunk.countDown();
                            // Keeps the loop busy while the next chunk arrives and waits in its queue.
                            EventLoop.current().execute(() -> sleep(500));
                        }
                    }))
                    .caught(e -> null));
            assertThat(firstChunk.await(GUARD.toSeconds(), TimeUnit.SECONDS)).isTrue();
            sleep(200); // the loop sleeps; the next chunk is queued behind it
            loop.close();

            assertAllClosed(server);
            assertThat(descriptorsBackTo(baseline)).isLessThanOrEqualTo(baseline);
        }
    }

    @Test
    void close_duringAWholeRead_closesTheConnection() throws Exception {
        CountDownLatch connected = new CountDownLatch(1);
        CountDownLatch headers = new CountDownLatch(1);
        try (MisbehavingServer server = drippingServer(connected)) {
            loop.execute(() -> client.fetch(server.uri("/text").toString())
                    .thenCompose(r -> {
                        headers.countDown();
                        return r.text();
                    })
                    .caught(e -> null));
            assertThat(headers.await(GUARD.toSeconds(), TimeUnit.SECONDS)).isTrue();
            loop.close();

            assertAllClosed(server);
        }
    }

    @Test
    void close_withABodyNobodyRead_closesTheConnection() throws Exception {
        CountDownLatch connected = new CountDownLatch(1);
        CountDownLatch headers = new CountDownLatch(1);
        try (MisbehavingServer server = drippingServer(connected)) {
            Response[] kept = new Response[1]; // reachable: the cleaner does not close it
            loop.execute(() -> client.fetch(server.uri("/unread").toString()).thenAccept(r -> {
                kept[0] = r;
                headers.countDown();
            }));
            assertThat(headers.await(GUARD.toSeconds(), TimeUnit.SECONDS)).isTrue();
            loop.close();

            assertAllClosed(server);
            assertThat(kept[0].status()).isEqualTo(200);
        }
    }

    @Test
    void close_whileWaitingForTheHeaders_closesTheConnection() throws Exception {
        CountDownLatch requested = new CountDownLatch(1);
        try (MisbehavingServer server = MisbehavingServer.start(c -> {
            c.readHead();
            requested.countDown(); // never answers
        })) {
            loop.execute(() -> client.fetch(server.uri("/silent").toString()).caught(e -> null));
            assertThat(requested.await(GUARD.toSeconds(), TimeUnit.SECONDS)).isTrue();
            loop.close();

            assertAllClosed(server);
        }
    }

    private static int descriptorsBackTo(int baseline) {
        long end = System.nanoTime() + GUARD.toNanos();
        int open = openDescriptors();
        while (open > baseline && System.nanoTime() < end) {
            sleep(50);
            open = openDescriptors();
        }
        return open;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
