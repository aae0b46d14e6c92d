package dev.eventual.io.fetch;

import static dev.eventual.io.fetch.FetchTesting.GUARD;
import static dev.eventual.io.fetch.FetchTesting.assertAllClosed;
import static dev.eventual.io.fetch.FetchTesting.fulfilled;
import static dev.eventual.io.fetch.FetchTesting.loop;
import static dev.eventual.io.fetch.FetchTesting.openDescriptors;
import static dev.eventual.io.fetch.FetchTesting.quiet;
import static dev.eventual.io.fetch.FetchTesting.rejected;
import static org.assertj.core.api.Assertions.assertThat;

import dev.eventual.Promise;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The JDK client keeps the connection of a response it cannot parse (a malformed status line,
 * headers over its limit) open until the client is closed; a client that lives as long as the
 * program, as {@link FetchClient#shared()} does, leaked one socket per such response. A client
 * Eventual built retires its JDK client after such a failure: new exchanges go to a fresh one,
 * and the old one is closed once its exchanges have ended, exchanges in flight on it unharmed.
 * Counted with this process's open descriptors (/proc/self/fd).
 */
class FetchMalformedLeakTest {
    private static final int RESPONSES = 200;
    /** Descriptors that may come and go besides the fetches (the JVM's own, a client being built). */
    private static final int SLACK = 16;

    private FetchClient client;

    @AfterEach
    void closeClient() {
        if (client != null) {
            client.close();
        }
    }

    @Test
    void malformedStatusLines_leaveNoDescriptorsOpen_andTheServerSeesEveryConnectionClosed() throws Exception {
        client = FetchClient.builder().build();
        try (MisbehavingServer server = MisbehavingServer.start(c -> {
                    c.readHead();
                    c.send("HTTP/1.1 ABC Nope\r\nContent-Length: 2\r\n\r\nok");
                });
                MisbehavingServer healthy = MisbehavingServer.http(seen -> MisbehavingServer.response(200, "", "ok"))) {
            loop(() -> client.getText(healthy.uri("/warm").toString(), text -> {}));
            int baseline = openDescriptors();
            for (int i = 0; i < RESPONSES; i++) {
                AtomicReference<Promise<Response>> fetched = new AtomicReference<>();
                String url = server.uri("/bad/" + i).toString();
                loop(() -> fetched.set(quiet(client.fetch(url))));
                assertThat(rejected(fetched.get(), FetchException.class)).hasMessageContaining("Invalid status line");
            }

            assertAllClosed(server); // without closing the client
            assertThat(descriptorsSettleWithin(baseline + SLACK)).as("open descriptors, baseline %d", baseline)
                    .isLessThanOrEqualTo(baseline + SLACK);
            AtomicReference<Promise<String>> after = new AtomicReference<>();
            loop(() -> after.set(client.getText(healthy.uri("/after").toString())));
            assertThat(fulfilled(after.get())).isEqualTo("ok");
        }
    }

    @Test
    void oversizedHeaders_leaveNoDescriptorsOpen() throws Exception {
        client = FetchClient.builder().build();
        StringBuilder head = new StringBuilder("HTTP/1.1 200 OK\r\n");
        while (head.length() < 393_217) {
            head.append("X-Filler: ").append("f".repeat(1000)).append("\r\n");
        }
        String response = head.append("Content-Length: 2\r\n\r\nok").toString();
        try (MisbehavingServer server = MisbehavingServer.start(c -> {
            c.readHead();
            c.send(response);
        })) {
            loop(() -> quiet(client.fetch(server.uri("/warm").toString())));
            int baseline = openDescriptors();
            for (int i = 0; i < 50; i++) {
                AtomicReference<Promise<Response>> fetched = new AtomicReference<>();
                loop(() -> fetched.set(quiet(client.fetch(server.uri("/big").toString()))));
                rejected(fetched.get(), FetchException.class);
            }
            assertAllClosed(server);
            assertThat(descriptorsSettleWithin(baseline + SLACK)).as("open descriptors, baseline %d", baseline)
                    .isLessThanOrEqualTo(baseline + SLACK);
        }
    }

    /**
     * A malformed response while another exchange is in flight on the same JDK client: the
     * other one completes (its client is closed only after it ended).
     */
    @Test
    void anExchangeInFlight_whenItsClientIsRetired_completes() throws Exception {
        client = FetchClient.builder().build();
        CountDownLatch answerSlow = new CountDownLatch(1);
        try (MisbehavingServer server = MisbehavingServer.start(c -> {
            MisbehavingServer.Seen seen = c.readRequest();
            if (seen.target().equals("/slow")) {
                answerSlow.await(GUARD.toSeconds(), TimeUnit.SECONDS);
                c.send(MisbehavingServer.response(200, "", "slow ok"));
            } else {
                c.send("HTTP/1.1 ABC Nope\r\nContent-Length: 2\r\n\r\nok");
            }
        })) {
            AtomicReference<Promise<String>> slow = new AtomicReference<>();
            AtomicReference<Promise<Response>> bad = new AtomicReference<>();
            Object before = client.currentJdkClient().join();
            loop(() -> {
                // Both are sent at once, on the same JDK client (built before the loop).
                slow.set(client.getText(server.uri("/slow").toString()));
                bad.set(quiet(client.fetch(server.uri("/bad").toString())
                        .caught(e -> {
                            answerSlow.countDown(); // the malformed one failed (and retired the client) first
                            throw e instanceof RuntimeException r ? r : new RuntimeException(e);
                        })));
            });
            assertThat(fulfilled(slow.get())).isEqualTo("slow ok");
            rejected(bad.get(), FetchException.class);
            assertThat(client.currentJdkClient().join()).as("the JDK client after the malformed response").isNotSameAs(before);
            assertAllClosed(server);
        }
    }

    /** Waits (hang-guarded) until the open descriptors are at most {@code bound}; returns the last count. */
    private static int descriptorsSettleWithin(int bound) throws InterruptedException {
        long end = System.nanoTime() + GUARD.toNanos();
        int open = openDescriptors();
        while (open > bound && System.nanoTime() < end) {
            System.gc(); // closed channels of an unreachable client are released by their cleaners
            Thread.sleep(50);
            open = openDescriptors();
        }
        return open;
    }
}
