package dev.eventual.io.fetch;

import static dev.eventual.io.fetch.FetchTesting.assertAllClosed;
import static dev.eventual.io.fetch.FetchTesting.loop;
import static dev.eventual.io.fetch.FetchTesting.quiet;
import static dev.eventual.io.fetch.FetchTesting.rejected;
import static org.assertj.core.api.Assertions.assertThat;

import dev.eventual.AbortController;
import dev.eventual.EventLoop;
import dev.eventual.Promise;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * One {@code AbortController} shared by many fetches through a per-host limit: after
 * {@code abort()} returns, none of the fetches waiting for a slot reaches the server, and the
 * server never sees more exchanges at once than the limit. The hazard: an aborted exchange gives
 * its slot straight to the next one in line, which may be handed it before its own abort listener
 * has run; it must not be sent.
 */
class FetchAbortQueuedTest {
    private static final int CAP = 8;
    private static final int FETCHES = 50;

    @Test
    void abort_ofFetchesSharingASignal_sendsNoneOfThoseWaitingForASlot_andTheCapHolds() throws Exception {
        AtomicInteger received = new AtomicInteger();
        AtomicInteger open = new AtomicInteger();
        AtomicInteger maxOpen = new AtomicInteger();
        AtomicReference<EventLoop> loopRef = new AtomicReference<>();
        AtomicReference<Runnable> onArrival = new AtomicReference<>();
        // Counts a request from its arrival until the client closes its connection (the server
        // never answers): what the server holds at once is what the client has in flight.
        try (MisbehavingServer server = MisbehavingServer.start(c -> {
                    if (c.readRequest() == null) {
                        return;
                    }
                    maxOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
                    received.incrementAndGet();
                    loopRef.get().execute(onArrival.get());
                    try {
                        c.awaitClientClose();
                    } finally {
                        open.decrementAndGet();
                    }
                });
                FetchClient client = FetchClient.builder().maxRequestsPerHost(CAP).build()) {
            List<Promise<Response>> fetches = new ArrayList<>();
            AtomicInteger receivedWhenAbortReturned = new AtomicInteger(-1);
            loop(() -> {
                loopRef.set(EventLoop.current());
                AbortController controller = new AbortController();
                onArrival.set(() -> {
                    if (received.get() == CAP && receivedWhenAbortReturned.get() < 0) {
                        controller.abort();
                        receivedWhenAbortReturned.set(received.get());
                    }
                });
                Request request = Request.builder(server.uri("/held")).signal(controller.signal()).build();
                for (int i = 0; i < FETCHES; i++) {
                    fetches.add(quiet(client.fetch(request)));
                }
            });

            for (Promise<Response> f : fetches) {
                rejected(f, Exception.class);
            }
            assertAllClosed(server);
            assertThat(receivedWhenAbortReturned).hasValue(CAP);
            assertThat(received).as("requests that reached the server, %d of them before the abort", CAP).hasValue(CAP);
            assertThat(maxOpen.get()).as("most exchanges the server held at once").isBetween(1, CAP);
            assertThat(client.limiter().inFlightAndWaiting(Exchange.hostKey(server.uri("/")))).containsExactly(0, 0);
        }
    }
}
