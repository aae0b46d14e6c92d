package dev.eventual.io.fetch;

import static dev.eventual.io.fetch.FetchTesting.GUARD;
import static dev.eventual.io.fetch.FetchTesting.assertAllClosed;
import static dev.eventual.io.fetch.FetchTesting.fulfilled;
import static dev.eventual.io.fetch.FetchTesting.loop;
import static dev.eventual.io.fetch.FetchTesting.quiet;
import static dev.eventual.io.fetch.FetchTesting.rejected;
import static org.assertj.core.api.Assertions.assertThat;

import dev.eventual.Promise;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Request.Builder#timeout}: one deadline for the whole exchange, as the web's
 * {@code AbortSignal.timeout} gives, counted from the call to {@code fetch} (time waiting for a
 * per-host slot included) to the last byte of the body. A body that stalls or drips past it
 * rejects, whether it is read before {@code fetch} resolves (a small one with a
 * {@code Content-Length}) or after; its connection is closed. Times are hang guards (the loop
 * would never end without the fix), and the order of settlement, never a duration, is asserted.
 */
class FetchTimeoutTest {
    private FetchClient client;

    /**
     * Builds a client and waits until its JDK client exists: building one takes up to seconds
     * the first time in a JVM, and a deadline counts that time too.
     */
    private static FetchClient warm(FetchClient.Builder builder) {
        FetchClient c = builder.build();
        c.currentJdkClient().join();
        return c;
    }

    @AfterEach
    void closeClient() {
        if (client != null) {
            client.close();
        }
    }

    @Test
    void fetch_ofASmallBodyThatStallsAfterOneByte_rejectsAtTheRequestTimeout_andClosesTheConnection() throws Exception {
        client = warm(FetchClient.builder());
        try (MisbehavingServer server = MisbehavingServer.start(c -> {
            c.readHead();
            c.send("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nx"); // 1 of 100 bytes, then nothing
            c.awaitClientClose();
        })) {
            URI uri = server.uri("/stall");
            AtomicReference<Promise<Response>> fetched = new AtomicReference<>();
            loop(() -> fetched.set(quiet(client.fetch(Request.builder(uri).timeout(Duration.ofMillis(300)).build()))));

            FetchException e = rejected(fetched.get(), FetchException.class);
            assertThat(e).hasMessage("GET " + uri + " failed: the body did not arrive within 300 ms (the request's timeout)");
            assertThat(e.getCause()).isInstanceOf(HttpTimeoutException.class);
            assertAllClosed(server); // before the client is closed: the timeout closed the connection
        }
    }

    @Test
    void fetch_ofASmallBodyThatDrips_rejectsAtTheRequestTimeout() throws Exception {
        client = warm(FetchClient.builder());
        try (MisbehavingServer server = MisbehavingServer.start(c -> {
            c.readHead();
            c.send("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n");
            c.drip("x", 1000, Duration.ofMillis(20)); // 20 s in all, each byte well within the timeout
        })) {
            URI uri = server.uri("/drip");
            AtomicReference<Promise<Response>> fetched = new AtomicReference<>();
            loop(() -> fetched.set(quiet(client.fetch(Request.builder(uri).timeout(Duration.ofMillis(300)).build()))));

            FetchException e = rejected(fetched.get(), FetchException.class);
            assertThat(e).hasMessage("GET " + uri + " failed: the body did not arrive within 300 ms (the request's timeout)");
            assertAllClosed(server);
        }
    }

    @Test
    void text_ofALargeBodyThatDrips_rejectsAtTheRequestTimeout_afterFetchResolved() throws Exception {
        client = warm(FetchClient.builder());
        try (MisbehavingServer server = MisbehavingServer.start(c -> {
            c.readHead();
            c.send("HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\n\r\n");
            c.drip("drip\n", Integer.MAX_VALUE, Duration.ofMillis(20)); // until the client hangs up
        })) {
            URI uri = server.uri("/drip-large");
            AtomicReference<Promise<Response>> fetched = new AtomicReference<>();
            AtomicReference<Promise<String>> text = new AtomicReference<>();
            loop(() -> {
                fetched.set(client.fetch(Request.builder(uri).timeout(Duration.ofMillis(300)).build()));
                text.set(quiet(fetched.get().thenCompose(Response::text)));
            });

            assertThat(fulfilled(fetched.get()).status()).isEqualTo(200);
            FetchException e = rejected(text.get(), FetchException.class);
            assertThat(e).hasMessage("GET " + uri + " failed: the body did not arrive within 300 ms (the request's timeout)");
            assertThat(e.getCause()).isInstanceOf(HttpTimeoutException.class);
            assertAllClosed(server);
        }
    }

    @Test
    void aBodyNobodyReads_isAbortedAtTheRequestTimeout_andAReadAfterwardsRejectsWithIt() throws Exception {
        client = warm(FetchClient.builder().maxRequestsPerHost(1));
        CountDownLatch closed = new CountDownLatch(1);
        try (MisbehavingServer server = MisbehavingServer.start(c -> {
            c.readHead();
            c.send("HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\n\r\nfirst bytes");
            try {
                c.awaitClientClose();
            } finally {
                closed.countDown();
            }
        })) {
            URI uri = server.uri("/unread");
            AtomicReference<Promise<Response>> fetched = new AtomicReference<>();
            AtomicReference<Promise<String>> lateText = new AtomicReference<>();
            loop(() -> {
                // Long enough for the headers to arrive on a loaded machine: the body is what times out.
                fetched.set(client.fetch(Request.builder(uri).timeout(Duration.ofMillis(2000)).build()));
                // Reads once the server saw the connection closed (the deadline aborted the
                // body), in this loop: a loop that closes aborts its unread bodies too.
                dev.eventual.EventLoop loop = dev.eventual.EventLoop.current();
                AtomicReference<dev.eventual.Timeout> poll = new AtomicReference<>();
                poll.set(loop.setInterval(() -> {
                    if (closed.getCount() == 0) {
                        poll.get().cancel();
                        lateText.set(quiet(fulfilled(fetched.get()).text()));
                    }
                }, 10));
            });
            assertThat(closed.await(GUARD.toSeconds(), TimeUnit.SECONDS)).as("the server saw the connection closed").isTrue();

            FetchException e = rejected(lateText.get(), FetchException.class);
            assertThat(e).hasMessage("GET " + uri + " failed: the body did not arrive within 2000 ms (the request's timeout)");
            assertThat(client.limiter().inFlightAndWaiting(Exchange.hostKey(uri))).containsExactly(0, 0);
        }
    }

    /**
     * One slot; the first fetch holds it (the server never answers) with a long timeout; two
     * fetches with a short timeout wait in line behind it. Their deadlines count from the call,
     * so they reject while the first still holds the slot: before it, and without ever reaching
     * the server. (Before, each deadline started when the fetch got its slot: they were sent
     * after the first timed out, and rejected after it.)
     */
    @Test
    void timeout_countsFromTheCall_includingTheWaitForASlot() throws Exception {
        client = warm(FetchClient.builder().maxRequestsPerHost(1));
        AtomicInteger received = new AtomicInteger();
        try (MisbehavingServer server = MisbehavingServer.start(c -> {
            while (c.readRequest() != null) {
                received.incrementAndGet(); // never answers
            }
        })) {
            URI uri = server.uri("/hang");
            Queue<String> order = new ConcurrentLinkedQueue<>();
            AtomicReference<List<Promise<Response>>> fetches = new AtomicReference<>();
            loop(() -> {
                Promise<Response> holder = client.fetch(Request.builder(uri).timeout(Duration.ofMillis(1500)).build());
                Promise<Response> second = client.fetch(Request.builder(uri).timeout(Duration.ofMillis(200)).build());
                Promise<Response> third = client.fetch(Request.builder(uri).timeout(Duration.ofMillis(200)).build());
                holder.caught(e -> { order.add("holder"); return null; });
                second.caught(e -> { order.add("second"); return null; });
                third.caught(e -> { order.add("third"); return null; });
                fetches.set(List.of(holder, second, third));
            });

            assertThat(order).containsExactly("second", "third", "holder");
            assertThat(rejected(fetches.get().get(0), FetchException.class))
                    .hasMessage("GET " + uri + " failed: no response within 1500 ms (the request's timeout)");
            FetchException queued = rejected(fetches.get().get(1), FetchException.class);
            assertThat(queued).hasMessage("GET " + uri + " failed: no response within 200 ms (the request's timeout),"
                    + " spent waiting for a connection slot to " + Exchange.hostKey(uri)
                    + " (at most 1 at a time: FetchClient.Builder.maxRequestsPerHost)");
            assertThat(queued.getCause()).isInstanceOf(HttpTimeoutException.class);
            assertThat(received).as("requests that reached the server").hasValue(1);
            assertAllClosed(server);
        }
    }
}
