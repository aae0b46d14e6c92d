package dev.eventual.io.fetch;

import static dev.eventual.io.fetch.FetchTesting.GUARD;
import static dev.eventual.io.fetch.FetchTesting.assertAllClosed;
import static dev.eventual.io.fetch.FetchTesting.fulfilled;
import static dev.eventual.io.fetch.FetchTesting.loop;
import static dev.eventual.io.fetch.FetchTesting.quiet;
import static dev.eventual.io.fetch.FetchTesting.rejected;
import static org.assertj.core.api.Assertions.assertThat;

import dev.eventual.EventLoop;
import dev.eventual.Promise;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Many fetches at once to one server: all complete, and the per-host limit bounds the connections
 * and requests the server sees ({@link FetchClient.Builder#maxRequestsPerHost}); a fetch
 * cancelled while it waits for a slot leaves the line.
 */
class FetchLoadTest extends RobustnessFixture {

    @Nested
    class ManyAtOnce {
        @Test
        void fetch_200AtOnceToOneServer_allComplete() throws Exception {
            try (MisbehavingServer server = MisbehavingServer.http(s -> MisbehavingServer.response(200, "", s.target()))) {
                List<Promise<String>> texts = new ArrayList<>();
                loop(() -> {
                    for (int i = 0; i < 200; i++) {
                        texts.add(quiet(client.fetch(server.uri("/item/" + i).toString()).thenCompose(Response::text)));
                    }
                });

                for (int i = 0; i < 200; i++) {
                    assertThat(fulfilled(texts.get(i))).isEqualTo("/item/" + i);
                }
                assertThat(server.maxOpen()).isLessThanOrEqualTo(FetchClient.DEFAULT_MAX_REQUESTS_PER_HOST);
                closeClient();
                assertAllClosed(server);
            }
        }

        /**
         * 20,000 fetches at once to one server: all succeed, and the default per-host limit keeps
         * the server at 64 connections and 64 requests at a time (the JDK client alone would open
         * a connection per request). Most of the run time is the JDK client's own cost per
         * exchange, CPU-bound: the loop's guard is generous for a busy machine.
         */
        @Test
        void fetch_20000AtOnceToOneServer_allSucceed_withAtMost64ConnectionsAndRequests() throws Exception {
            AtomicInteger inHandler = new AtomicInteger();
            AtomicInteger maxInHandler = new AtomicInteger();
            try (MisbehavingServer server = MisbehavingServer.start(c -> {
                for (MisbehavingServer.Seen s; (s = c.readRequest()) != null; ) {
                    maxInHandler.accumulateAndGet(inHandler.incrementAndGet(), Math::max);
                    // Leaves the count before the response goes out: the client cannot send the next
                    // request on this slot before then, so the count never exceeds the client's in-flight.
                    inHandler.decrementAndGet();
                    c.send(MisbehavingServer.response(200, "", "ok"));
                }
            })) {
                String url = server.uri("/n").toString();
                int total = 20_000;
                AtomicInteger succeeded = new AtomicInteger();
                AtomicReference<Throwable> firstFailure = new AtomicReference<>();
                loop(Duration.ofMinutes(3), () -> {
                    for (int i = 0; i < total; i++) {
                        client.fetch(url).thenCompose(Response::text).asCallback((error, text) -> {
                            if (error == null && text.equals("ok")) {
                                succeeded.incrementAndGet();
                            } else {
                                firstFailure.compareAndSet(null, error != null ? error : new AssertionError(text));
                            }
                        });
                    }
                });

                assertThat(firstFailure.get()).isNull();
                assertThat(succeeded).hasValue(total);
                assertThat(maxInHandler.get()).isBetween(1, FetchClient.DEFAULT_MAX_REQUESTS_PER_HOST);
                assertThat(server.maxOpen()).isBetween(1, FetchClient.DEFAULT_MAX_REQUESTS_PER_HOST);
                assertThat(client.limiter().inFlightAndWaiting(Exchange.hostKey(URI.create(url)))).containsExactly(0, 0);
                closeClient();
                assertAllClosed(server);
            }
        }
    }

    @Nested
    class PerHostLimit {
        @Test
        void maxRequestsPerHost2_tenFetches_serverSeesAtMostTwo_andACancelledQueuedOneLeavesTheLine() throws Exception {
            useClient(FetchClient.builder().maxRequestsPerHost(2));
            Semaphore answer = new Semaphore(0);
            AtomicInteger held = new AtomicInteger();
            AtomicInteger maxHeld = new AtomicInteger();
            Queue<String> arrived = new ConcurrentLinkedQueue<>();
            AtomicReference<EventLoop> loopRef = new AtomicReference<>();
            AtomicReference<Runnable> onArrival = new AtomicReference<>();
            try (MisbehavingServer server = MisbehavingServer.start(c -> {
                for (MisbehavingServer.Seen s; (s = c.readRequest()) != null; ) {
                    maxHeld.accumulateAndGet(held.incrementAndGet(), Math::max);
                    arrived.add(s.target());
                    loopRef.get().execute(onArrival.get());
                    answer.tryAcquire(GUARD.toSeconds(), TimeUnit.SECONDS);
                    held.decrementAndGet();
                    c.send(MisbehavingServer.response(200, "", s.target()));
                }
            })) {
                String key = Exchange.hostKey(server.uri("/"));
                List<Promise<String>> texts = new ArrayList<>();
                List<int[]> loads = new ArrayList<>();
                loop(() -> {
                    loopRef.set(EventLoop.current());
                    AtomicBoolean checked = new AtomicBoolean();
                    onArrival.set(() -> {
                        if (arrived.size() == 2 && !checked.getAndSet(true)) {
                            loads.add(client.limiter().inFlightAndWaiting(key));
                            texts.get(4).cancel(); // fetch 4 waits in line
                            loads.add(client.limiter().inFlightAndWaiting(key));
                            answer.release(100);
                        }
                    });
                    for (int i = 0; i < 10; i++) {
                        texts.add(quiet(client.fetch(server.uri("/" + i).toString()).thenCompose(Response::text)));
                    }
                });

                assertThat(loads).containsExactly(new int[] {2, 8}, new int[] {2, 7});
                assertThat(rejected(texts.get(4), CancellationException.class)).isNotNull();
                for (int i = 0; i < 10; i++) {
                    if (i != 4) {
                        assertThat(fulfilled(texts.get(i))).isEqualTo("/" + i);
                    }
                }
                assertThat(arrived).hasSize(9).doesNotContain("/4");
                assertThat(maxHeld).hasValue(2);
                assertThat(client.limiter().inFlightAndWaiting(key)).containsExactly(0, 0);
                closeClient();
                assertAllClosed(server);
            }
        }
    }
}
