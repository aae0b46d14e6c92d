package dev.eventual.io.fetch;

import static dev.eventual.io.fetch.FetchTesting.assertAllClosed;
import static dev.eventual.io.fetch.FetchTesting.fulfilled;
import static dev.eventual.io.fetch.FetchTesting.quiet;
import static dev.eventual.io.fetch.FetchTesting.rejected;
import static org.assertj.core.api.Assertions.assertThat;

import dev.eventual.AbortController;
import dev.eventual.EventLoop;
import dev.eventual.Promise;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Ending an exchange early: {@code cancel()} of the fetch's or the body read's promise, and an
 * abort of the request's signal, before the headers or in the middle of the body; each closes
 * the connection and releases the loop. Closing a client of your own leaves no thread behind.
 */
class FetchCancelTest extends RobustnessFixture {
    /** A server that reads the request, sends 1,000 of a million promised bytes, and waits. */
    private static MisbehavingServer partialBody() {
        return MisbehavingServer.start(c -> {
            c.readHead();
            c.send("HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\n\r\n" + "x".repeat(1000));
            c.awaitClientClose(); // the rest never comes
        });
    }

    @Nested
    class Cancel {
        @Test
        void cancel_ofAFetchWaitingForHeaders_closesTheConnectionAndReleasesTheLoop() throws Exception {
            AtomicReference<EventLoop> loopRef = new AtomicReference<>();
            AtomicReference<Promise<Response>> fetched = new AtomicReference<>();
            try (MisbehavingServer server = MisbehavingServer.start(c -> {
                c.readHead();
                loopRef.get().execute(() -> fetched.get().cancel()); // the request is there: cancel it
                c.awaitClientClose();
            })) {
                URI uri = server.uri("/hold");
                // The healthy fetch completes first; only then is the held one sent and cancelled.
                Promise<String> healthyText = settle(() -> {
                    loopRef.set(EventLoop.current());
                    return client.fetch(healthy.uri("/").toString()).thenCompose(Response::text).then(text -> {
                        fetched.set(quiet(client.fetch(uri.toString())));
                        return text;
                    });
                });

                assertThat(fulfilled(healthyText)).isEqualTo("ok");
                assertThat(rejected(fetched.get(), CancellationException.class)).isNotNull();
                assertAllClosed(server);
            }
        }

        @Test
        void cancel_ofATextReadMidBody_closesTheConnectionAndReleasesTheLoop() throws Exception {
            try (MisbehavingServer server = partialBody()) {
                URI uri = server.uri("/partial");
                AtomicReference<Promise<String>> text = new AtomicReference<>();
                settleBesideSideWork(() -> client.fetch(uri.toString()).thenAccept(r -> {
                    Promise<String> t = quiet(r.text());
                    text.set(t);
                    EventLoop.current().execute(t::cancel); // a later task: the read is under way
                }));

                assertThat(rejected(text.get(), CancellationException.class)).isNotNull();
                assertAllClosed(server);
            }
        }
    }

    @Nested
    class Abort {
        @Test
        void abort_ofAFetchWaitingForHeaders_rejectsWithTheReasonAndClosesTheConnection() throws Exception {
            AtomicReference<EventLoop> loopRef = new AtomicReference<>();
            AtomicReference<AbortController> controller = new AtomicReference<>();
            IllegalStateException reason = new IllegalStateException("user navigated away");
            try (MisbehavingServer server = MisbehavingServer.start(c -> {
                c.readHead();
                loopRef.get().execute(() -> controller.get().abort(reason));
                c.awaitClientClose();
            })) {
                URI uri = server.uri("/hold");
                Promise<Response> fetched = settleBesideSideWork(() -> {
                    loopRef.set(EventLoop.current());
                    controller.set(new AbortController());
                    return client.fetch(Request.builder(uri).signal(controller.get().signal()).build());
                });

                assertThat(rejected(fetched, IllegalStateException.class)).isSameAs(reason);
                assertAllClosed(server);
            }
        }

        @Test
        void abort_ofATextReadMidBody_rejectsWithTheReasonAndClosesTheConnection() throws Exception {
            IllegalStateException reason = new IllegalStateException("enough");
            try (MisbehavingServer server = partialBody()) {
                URI uri = server.uri("/partial");
                AtomicReference<Promise<String>> text = new AtomicReference<>();
                Promise<Response> fetched = settleBesideSideWork(() -> {
                    AbortController controller = new AbortController();
                    Promise<Response> f = client.fetch(Request.builder(uri).signal(controller.signal()).build());
                    text.set(quiet(f.thenCompose(r -> {
                        EventLoop.current().execute(() -> controller.abort(reason)); // the read is under way
                        return r.text();
                    })));
                    return f;
                });

                assertThat(fulfilled(fetched).status()).isEqualTo(200);
                assertThat(rejected(text.get(), IllegalStateException.class)).isSameAs(reason);
                assertAllClosed(server);
            }
        }
    }

    @Nested
    class ClientClose {
        /**
         * Closing a client of your own must leave no thread behind, and start none.
         * {@code FetchClient.close()} must not touch the shared client's holder class: that
         * would build the shared client, with its JDK client and selector thread, as a side
         * effect. Checked in a class loader of its own, where nothing has touched the shared
         * client yet.
         */
        @Test
        void close_ofAClientOfYourOwn_startsNoThread() throws Exception {
            URL[] classes = {
                FetchClient.class.getProtectionDomain().getCodeSource().getLocation(),
                EventLoop.class.getProtectionDomain().getCodeSource().getLocation()
            };
            try (URLClassLoader fresh = new URLClassLoader(classes, ClassLoader.getPlatformClassLoader())) {
                Class<?> type = fresh.loadClass(FetchClient.class.getName());
                assertThat(type).isNotSameAs(FetchClient.class);
                Object builder = type.getMethod("builder").invoke(null);
                Object own = builder.getClass().getMethod("build").invoke(builder);
                java.lang.reflect.Method http = type.getDeclaredMethod("currentJdkClient");
                http.setAccessible(true);
                if (http.invoke(own) instanceof CompletableFuture<?> building) {
                    building.join(); // its JDK client and selector thread exist before the snapshot
                }
                Set<Thread> before = Thread.getAllStackTraces().keySet();
                type.getMethod("close").invoke(own);
                List<String> started = Thread.getAllStackTraces().keySet().stream()
                        .filter(t -> !before.contains(t)).map(Thread::getName)
                        .filter(name -> !name.startsWith("ForkJoinPool")) // carriers of virtual threads come and go
                        .toList();
                assertThat(started).as("threads started by close()").isEmpty();
            }
        }
    }
}
