package dev.eventual.io.fetch;

import static dev.eventual.Async.async;
import static dev.eventual.Async.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.eventual.AbortController;
import dev.eventual.EventLoop;
import dev.eventual.Promise;
import dev.eventual.Settled;
import dev.eventual.UnhandledRejectionException;
import dev.eventual.UnhandledRejectionPolicy;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * fetch against a well-behaved local server: what each form (promise, callback inline or by
 * reference, Node style, await) receives, on which thread, and how bad input fails. The
 * misbehaving servers are in the tests built on {@link RobustnessFixture}.
 */
class FetchTest {
    private TestServer server;
    private final List<String> log = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void startServer() {
        server = new TestServer()
                .text("/hello", 200, "text/plain; charset=utf-8", "hello, wörld")
                .text("/missing", 404, "text/plain", "no such thing")
                .text("/json", 200, "application/json", "{\"name\":\"Ada\",\"langs\":[\"en\",\"fr\"],\"age\":36}")
                .text("/notjson", 200, "application/json", "{oops")
                .text("/latin1", 200, "text/plain; charset=ISO-8859-1", "")
                .route("/latin1bytes", ex -> {
                    byte[] body = "café".getBytes(StandardCharsets.ISO_8859_1);
                    ex.getResponseHeaders().set("Content-Type", "text/plain; charset=ISO-8859-1");
                    ex.sendResponseHeaders(200, body.length);
                    ex.getResponseBody().write(body);
                    ex.close();
                })
                .route("/echo", ex -> {
                    byte[] body = ex.getRequestBody().readAllBytes();
                    String answer = ex.getRequestMethod() + " " + ex.getRequestHeaders().getFirst("X-Test") + " "
                            + new String(body, StandardCharsets.UTF_8);
                    TestServer.send(ex, 200, "text/plain", answer);
                });
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    private static void run(Runnable main) {
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> EventLoop.builder()
                .unhandledRejections(UnhandledRejectionPolicy.THROW).run(main), "EventLoop.run did not return");
    }

    @Test
    void fetch_resolvesWithStatusAndHeaders_thenTheBodyAsText_allOnTheCallingLoopThread() {
        AtomicReference<Thread> loopThread = new AtomicReference<>();
        run(() -> {
            loopThread.set(Thread.currentThread());
            Fetch.fetch(server.url("/hello"))
                    .thenCompose(r -> {
                        log.add("status " + r.status() + " ok " + r.ok() + " type " + r.header("content-type").orElseThrow()
                                + " thread " + (Thread.currentThread() == loopThread.get()));
                        return r.text();
                    })
                    .thenAccept(text -> log.add("text " + text + " thread " + (Thread.currentThread() == loopThread.get())));
            log.add("sync: the request is on its way, the program keeps running");
        });
        assertThat(log).containsExactly(
                "sync: the request is on its way, the program keeps running",
                "status 200 ok true type text/plain; charset=utf-8 thread true",
                "text hello, wörld thread true");
    }

    @Test
    void fetch_ofA404_resolves_asOnTheWeb_whileGetTextRejectsNamingTheStatusAndUrl() {
        AtomicReference<Throwable> error = new AtomicReference<>();
        run(() -> {
            Fetch.fetch(server.url("/missing")).thenCompose(r -> {
                log.add(r.status() + " " + r.ok() + " " + r.statusText());
                return r.text();
            }).thenAccept(log::add);
            Fetch.getText(server.url("/missing")).then(t -> t, e -> {
                error.set(e);
                return null;
            });
        });
        assertThat(log).containsExactly("404 false Not Found", "no such thing");
        assertThat(error.get()).isInstanceOf(FetchException.class)
                .hasMessage("GET " + server.url("/missing") + ": HTTP 404 Not Found");
        assertThat(((FetchException) error.get()).status()).isEqualTo(404);
    }

    void show(String text) {
        log.add("by reference: " + text);
    }

    @Test
    void getText_takesACallbackInline_byReference_orNodeStyle_eachCalledOnceOnTheLoop() {
        run(() -> {
            Fetch.getText(server.url("/hello"), text -> log.add("inline: " + text));
            Fetch.getText(server.url("/hello"), this::show);
            Fetch.getText(server.url("/hello"), (error, text) -> log.add("node: " + error + " " + text));
            Fetch.getText(server.url("/missing"), (error, text) -> log.add("node: " + error.getClass().getSimpleName() + " " + text));
        });
        assertThat(log).containsExactlyInAnyOrder(
                "inline: hello, wörld", "by reference: hello, wörld", "node: null hello, wörld",
                "node: FetchException null");
    }

    /**
     * {@code List.add} has a one- and a two-parameter overload, so {@code texts::add} fits a
     * Node-style callback as well as a value callback: with {@code Consumer} and
     * {@code NodeCallback} overloads this call would not compile ("reference to getText is
     * ambiguous"). That it compiles is half the test.
     */
    @Test
    void getText_takesAReferenceToAMethodOverloadedWithOneAndTwoParameters_asTheValueCallback() {
        List<String> texts = new ArrayList<>();
        List<Object> values = new ArrayList<>();
        run(() -> {
            Fetch.getText(server.url("/hello"), texts::add);
            Fetch.getText(server.url("/hello"), values::add);
            FetchClient.shared().getText(server.url("/hello"), texts::add);
        });
        assertThat(texts).containsExactly("hello, wörld", "hello, wörld");
        assertThat(values).containsExactly("hello, wörld");
    }

    @Test
    void theOtherOperations_takeTheCallbackThroughTheirPromise_inlineByReferenceOrNodeStyle() {
        List<String> texts = new ArrayList<>();
        run(() -> {
            Fetch.fetch(server.url("/hello")).thenCompose(Response::text).thenAccept(texts::add);
            Fetch.fetch(server.url("/hello")).asCallback((error, response) -> {
                log.add("fetch node: " + error + " " + response.status());
                response.discard();
            });
            Fetch.fetch(server.url("/hello")).thenCompose(Response::bytes)
                    .asCallback((error, bytes) -> log.add("bytes node: " + error + " " + bytes.length));
            Fetch.fetch(server.url("/missing")).thenCompose(Response::requireOk)
                    .asCallback((error, response) -> log.add("requireOk node: " + error.getMessage() + " " + response));
        });
        assertThat(texts).containsExactly("hello, wörld");
        assertThat(log).containsExactlyInAnyOrder("fetch node: null 200",
                "bytes node: null " + "hello, wörld".getBytes(StandardCharsets.UTF_8).length,
                "requireOk node: GET " + server.url("/missing") + ": HTTP 404 Not Found null");
    }

    @Test
    void aFailureInTheCallbackForm_thatNobodyHandles_isReportedAsAnUnhandledRejection_notLost() {
        assertThatThrownBy(() -> EventLoop.builder().unhandledRejections(UnhandledRejectionPolicy.THROW)
                .run(() -> Fetch.getText(server.url("/missing"), text -> log.add(text))))
                .isInstanceOf(UnhandledRejectionException.class)
                .hasRootCauseInstanceOf(FetchException.class)
                .rootCause().hasMessageContaining("/missing").hasMessageContaining("404");
        assertThat(log).isEmpty();
    }

    @Test
    void asyncAwait_readsLikeSequentialCode() {
        run(() -> async(() -> {
            Response r = await(Fetch.fetch(server.url("/hello")));
            log.add(r.status() + " " + await(r.text()));
            try {
                await(Fetch.getText(server.url("/missing")));
            } catch (FetchException e) {
                log.add("caught " + e.status());
            }
            return null;
        }));
        assertThat(log).containsExactly("200 hello, wörld", "caught 404");
    }

    @Test
    void aRequest_sendsItsMethodHeadersAndBody_fromAStringBytesOrAFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("body.txt");
        Files.writeString(file, "from a file");
        run(() -> {
            Request.Builder post = Request.builder(server.url("/echo")).method("post").header("X-Test", "t1");
            Fetch.fetch(post.body("from a string").build()).thenCompose(Response::text).thenAccept(log::add);
            Fetch.fetch(post.body("bytes".getBytes(StandardCharsets.UTF_8)).method("PUT").build())
                    .thenCompose(Response::text).thenAccept(log::add);
            Fetch.fetch(post.body(file).method("PATCH").build()).thenCompose(Response::text).thenAccept(log::add);
        });
        assertThat(log).containsExactlyInAnyOrder("POST t1 from a string", "PUT t1 bytes", "PATCH t1 from a file");
    }

    @Test
    void aMissingBodyFile_rejectsNamingTheFileAndTheUrl(@TempDir Path dir) {
        AtomicReference<Throwable> error = new AtomicReference<>();
        Path missing = dir.resolve("missing.bin");
        run(() -> Fetch.fetch(Request.builder(server.url("/echo")).method("POST").body(missing).build())
                .caught(e -> {
                    error.set(e);
                    return null;
                }));
        assertThat(error.get()).isInstanceOf(FetchException.class)
                .hasMessageContaining("POST " + server.url("/echo") + " failed")
                .hasMessageContaining(missing.toString());
    }

    @Test
    void json_parsesAsJavaScriptWould_orIntoARecord_andRejectsNonJsonNamingTheUrl() {
        AtomicReference<Object> value = new AtomicReference<>();
        AtomicReference<Person> person = new AtomicReference<>();
        AtomicReference<Throwable> error = new AtomicReference<>();
        run(() -> {
            Fetch.getJson(server.url("/json")).thenAccept(value::set);
            Fetch.fetch(server.url("/json")).thenCompose(r -> r.json(Person.class)).thenAccept(person::set);
            Fetch.fetch(server.url("/notjson")).thenCompose(Response::json).caught(e -> {
                error.set(e);
                return null;
            });
        });
        assertThat(value.get()).isEqualTo(Map.of("name", "Ada", "langs", List.of("en", "fr"), "age", 36));
        assertThat(person.get()).isEqualTo(new Person("Ada", List.of("en", "fr"), 36));
        assertThat(error.get()).isInstanceOf(FetchException.class)
                .hasMessageStartingWith("GET " + server.url("/notjson") + " failed: parsing the body as JSON failed")
                .hasMessageContaining("not valid JSON");
    }

    record Person(String name, List<String> langs, int age) {}

    /**
     * A body of at most 64 KiB with a Content-Length arrives with the response, read ahead; its
     * JSON parse must not run on the loop thread all the same (a first parse loads Jackson's
     * classes, which takes a loop-blocking second on a busy machine).
     */
    @Test
    void json_ofASmallBody_isParsedOffTheLoopThread_andDeliveredOnIt() {
        AtomicReference<Thread> loopThread = new AtomicReference<>();
        AtomicReference<Thread> deliveredOn = new AtomicReference<>();
        AtomicReference<ParsedOn> parsed = new AtomicReference<>();
        run(() -> {
            loopThread.set(Thread.currentThread());
            Fetch.fetch(server.url("/json")).thenCompose(r -> r.json(ParsedOn.class)).thenAccept(p -> {
                deliveredOn.set(Thread.currentThread());
                parsed.set(p);
            });
        });
        assertThat(parsed.get().name()).isEqualTo("Ada");
        assertThat(parsed.get().thread()).as("the thread that parsed").isNotSameAs(loopThread.get());
        assertThat(deliveredOn.get()).as("the thread the value was delivered on").isSameAs(loopThread.get());
    }

    /** The thread Jackson built it on, recorded by its constructor. */
    @com.fasterxml.jackson.annotation.JsonIgnoreProperties(ignoreUnknown = true)
    record ParsedOn(String name, Thread thread) {
        @com.fasterxml.jackson.annotation.JsonCreator
        ParsedOn(@com.fasterxml.jackson.annotation.JsonProperty("name") String name) {
            this(name, Thread.currentThread());
        }
    }

    @Test
    void text_decodesWithTheCharsetTheResponseNames() {
        run(() -> Fetch.getText(server.url("/latin1bytes"), text -> log.add(text)));
        assertThat(log).containsExactly("café");
    }

    @Test
    void bytes_andStream_deliverTheSameBytes_streamChunksOnTheLoopThread() {
        AtomicReference<byte[]> whole = new AtomicReference<>();
        ByteArrayOutputStream streamed = new ByteArrayOutputStream();
        AtomicReference<Thread> loopThread = new AtomicReference<>();
        run(() -> {
            loopThread.set(Thread.currentThread());
            Fetch.fetch(server.url("/hello")).thenCompose(Response::bytes).thenAccept(whole::set);
            Fetch.fetch(server.url("/hello")).thenCompose(r -> r.stream(chunk -> {
                assertThat(Thread.currentThread()).isSameAs(loopThread.get());
                byte[] b = new byte[chunk.remaining()];
                chunk.get(b);
                streamed.writeBytes(b);
            })).thenAccept(v -> log.add("end of stream"));
        });
        assertThat(new String(whole.get(), StandardCharsets.UTF_8)).isEqualTo("hello, wörld");
        assertThat(streamed.toString(StandardCharsets.UTF_8)).isEqualTo("hello, wörld");
        assertThat(log).containsExactly("end of stream");
    }

    @Test
    void aBody_canBeReadOnce_aSecondReadRejectsSayingSo() {
        AtomicReference<Throwable> error = new AtomicReference<>();
        run(() -> Fetch.fetch(server.url("/hello")).thenCompose(r -> r.text().thenCompose(t -> {
            assertThat(r.bodyUsed()).isTrue();
            return r.bytes();
        })).caught(e -> {
            error.set(e);
            return null;
        }));
        assertThat(error.get()).isInstanceOf(IllegalStateException.class).hasMessageContaining("already read")
                .hasMessageContaining(server.url("/hello"));
    }

    @Test
    void anExchangeInFlight_keepsRunAlive_untilTheResponseArrives() {
        CountDownLatch release = new CountDownLatch(1);
        server.route("/slow", ex -> {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            TestServer.send(ex, 200, "text/plain", "late");
        });
        run(() -> {
            Fetch.getText(server.url("/slow"), text -> log.add(text));
            EventLoop.current().setTimeout(release::countDown, 50);
        });
        assertThat(log).containsExactly("late");
    }

    @Test
    void fetchOffALoop_failsWithAMessage_whileFetchWithAnExplicitLoopDeliversThere() throws Exception {
        assertThatThrownBy(() -> Fetch.fetch(server.url("/hello")))
                .isInstanceOf(IllegalStateException.class);
        try (EventLoop loop = EventLoop.start("fetch-test")) {
            Promise<Response> p = FetchClient.shared().fetch(loop, Request.get(server.url("/hello")));
            assertThat(p.loop()).isSameAs(loop);
            String text = p.thenCompose(Response::text).toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertThat(text).isEqualTo("hello, wörld");
        }
    }

    @Test
    void badArguments_failAtTheCall_namingWhatIsWrong() {
        run(() -> {
            assertThatThrownBy(() -> Fetch.fetch((String) null)).isInstanceOf(NullPointerException.class).hasMessage("url");
            assertThatThrownBy(() -> Fetch.fetch((Request) null)).isInstanceOf(NullPointerException.class).hasMessage("request");
            assertThatThrownBy(() -> Fetch.getText(server.url("/hello"), (ValueCallback<String>) null))
                    .isInstanceOf(NullPointerException.class).hasMessage("callback");
            assertThatThrownBy(() -> Fetch.fetch("not a url")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("\"not a url\"");
            assertThatThrownBy(() -> Fetch.fetch("ftp://example.com/x")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("not an http or https URL");
            assertThatThrownBy(() -> Request.builder(server.url("/")).method("GE T"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("GE T");
            assertThatThrownBy(() -> Fetch.fetch(Request.builder(server.url("/hello")).header("Host", "evil").build()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("GET " + server.url("/hello"))
                    .hasMessageContaining("Host");
        });
    }

    @Test
    void cancel_beforeTheResponse_rejectsWithCancellation_andRunReturnsAtOnce() {
        CountDownLatch never = new CountDownLatch(1);
        server.route("/never", ex -> {
            try {
                never.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        AtomicReference<Promise<Response>> fetch = new AtomicReference<>();
        try {
            run(() -> {
                Promise<Response> p = Fetch.fetch(server.url("/never"));
                fetch.set(p);
                EventLoop.current().setTimeout(() -> log.add("cancelled " + p.cancel()), 20);
            });
        } finally {
            never.countDown();
        }
        assertThat(log).containsExactly("cancelled true");
        assertThat(((Settled.Rejected<?>) fetch.get().peek().orElseThrow()).reason()).isInstanceOf(CancellationException.class);
    }

    @Test
    void anAbortedSignal_rejectsWithItsReason_beforeAndDuringTheExchange() {
        CountDownLatch never = new CountDownLatch(1);
        server.route("/never", ex -> {
            try {
                never.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            run(() -> {
                AbortController before = new AbortController();
                before.abort(new IllegalStateException("stop before"));
                Fetch.fetch(Request.builder(server.url("/hello")).signal(before.signal()).build())
                        .caught(e -> {
                            log.add("before: " + e.getMessage());
                            return null;
                        });
                AbortController during = new AbortController();
                Fetch.fetch(Request.builder(server.url("/never")).signal(during.signal()).build())
                        .caught(e -> {
                            log.add("during: " + e.getMessage());
                            return null;
                        });
                EventLoop.current().setTimeout(() -> during.abort(new IllegalStateException("stop during")), 20);
            });
        } finally {
            never.countDown();
        }
        assertThat(log).containsExactly("before: stop before", "during: stop during");
    }

    @Test
    void aResponseDroppedUnread_givesItsSlotBack_onceTheCollectorFindsIt() {
        try (FetchClient client = FetchClient.builder().maxRequestsPerHost(1).build()) {
            run(() -> {
                client.fetch(server.url("/hello")).thenAccept(r -> log.add("first " + r.status())); // body never read
                client.fetch(server.url("/hello")).thenCompose(Response::text).thenAccept(t -> log.add("second " + t));
                dev.eventual.Timeout gc = EventLoop.current().setInterval(System::gc, 20); // until the second arrives
                gc.unref();
            });
        }
        assertThat(log).containsExactly("first 200", "second hello, wörld");
    }

    @Test
    void aRedirectToAUrlWithoutAHost_rejectsNamingIt_insteadOfHanging() {
        server.route("/nohost", ex -> {
            ex.getResponseHeaders().set("Location", "http://bad_host_name/x");
            ex.sendResponseHeaders(302, -1);
            ex.close();
        });
        AtomicReference<Throwable> error = new AtomicReference<>();
        run(() -> Fetch.fetch(server.url("/nohost")).caught(e -> {
            error.set(e);
            return null;
        }));
        assertThat(error.get()).isInstanceOf(FetchException.class)
                .hasMessageContaining("redirected to http://bad_host_name/x, not an http(s) URL with a host");
    }

    @Test
    void fetchOnAClosedLoop_rejectsWithoutSending() throws Exception {
        EventLoop loop = EventLoop.start("closed-fetch");
        loop.close();
        Promise<Response> p = FetchClient.shared().fetch(loop, Request.get(server.url("/hello")));
        assertThat(p.isRejected()).isTrue();
    }
}
