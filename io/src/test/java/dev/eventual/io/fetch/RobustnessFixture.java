package dev.eventual.io.fetch;

import static dev.eventual.io.fetch.FetchTesting.GUARD;
import static dev.eventual.io.fetch.FetchTesting.fulfilled;
import static dev.eventual.io.fetch.FetchTesting.loop;
import static dev.eventual.io.fetch.FetchTesting.quiet;
import static org.assertj.core.api.Assertions.assertThat;

import dev.eventual.EventLoop;
import dev.eventual.Promise;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * The fixture of the robustness tests, which run {@code fetch} against servers that misbehave on
 * purpose ({@link MisbehavingServer}): each case settles with a {@link FetchException} (or a
 * value) whose message names the URL and the cause, the loop keeps serving other work meanwhile,
 * and afterwards no connection stays open (the server saw each one end) and no thread of the
 * test's {@link FetchClient} is left.
 *
 * <ul>
 *   <li>{@link #client}: built, and its JDK client ready, before each test ({@link #useClient}
 *       replaces it), closed after it by {@link #closeClient}, which checks that its JDK
 *       client's threads ended.</li>
 *   <li>{@link #settle}: runs a case in a new loop and returns its promise, settled;
 *       {@link #settleBesideSideWork} also starts side work on that loop first (a timer and a
 *       fetch to the {@link #healthy} server) and checks afterwards that both completed.</li>
 * </ul>
 * Times are hang guards ({@link FetchTesting#GUARD}), never assertions. What the JDK client does
 * where the web gives no answer (oversized headers, a pooled connection closed under a request, a
 * server hanging up during the request body) is pinned by these tests, so that a JDK update that
 * changes it shows up.
 */
abstract class RobustnessFixture {
    /** The JDK's {@code HttpClientImpl.toString()} ends with its id N, "(N)". */
    private static final Pattern CLIENT_ID = Pattern.compile("\\((\\d+)\\)$");

    /** Answers every request with 200 "ok": the server of the side work. */
    static MisbehavingServer healthy;

    /** This test's client. */
    FetchClient client;
    private boolean clientClosed;

    @BeforeAll
    static void startHealthyServer() {
        healthy = MisbehavingServer.http(seen -> MisbehavingServer.response(200, "", "ok"));
    }

    @AfterAll
    static void stopHealthyServer() {
        healthy.close();
    }

    /**
     * Builds the test's client and waits for its JDK client, which is built on a thread of its
     * own: a test that takes a snapshot of the threads (ClientClose) must not see that one's
     * selector thread start under it.
     */
    @BeforeEach
    void buildClient() {
        client = FetchClient.builder().build();
        client.currentJdkClient().join();
        clientClosed = false;
    }

    @AfterEach
    void closeClientAfterTest() throws InterruptedException {
        closeClient();
    }

    /** Closes (and checks) the default client and makes this test use one built by {@code builder}. */
    void useClient(FetchClient.Builder builder) throws InterruptedException {
        closeClient();
        client = builder.build();
        client.currentJdkClient().join();
        clientClosed = false;
    }

    /**
     * Runs {@code start} in a new loop, on its thread, and returns the promise it returned once the
     * loop has no work left (its rejection marked handled); hang-guarded.
     */
    static <T> Promise<T> settle(Supplier<Promise<T>> start) {
        AtomicReference<Promise<T>> started = new AtomicReference<>();
        loop(() -> started.set(quiet(start.get())));
        return started.get();
    }

    /**
     * As {@link #settle}, with side work started on the loop before {@code start}: a 1 ms timer and
     * a fetch to the healthy server. Checks after the loop that both completed, proof that the
     * loop kept serving other work while the case misbehaved.
     */
    <T> Promise<T> settleBesideSideWork(Supplier<Promise<T>> start) {
        AtomicBoolean timerFired = new AtomicBoolean();
        AtomicReference<Promise<String>> healthyText = new AtomicReference<>();
        Promise<T> settled = settle(() -> {
            EventLoop.current().setTimeout(() -> timerFired.set(true), 1);
            healthyText.set(quiet(client.fetch(healthy.uri("/").toString()).thenCompose(Response::text)));
            return start.get();
        });
        assertThat(timerFired).as("a timer set beside the broken fetch fired").isTrue();
        assertThat(fulfilled(healthyText.get())).as("a fetch to a healthy server beside the broken one").isEqualTo("ok");
        return settled;
    }

    /**
     * Closes this test's client and waits until the threads of its JDK client have ended
     * ("HttpClient-N-SelectorManager", "HttpClient-N-Worker-M", N the JDK client's id, which its
     * {@code toString()} ends with); fails if one is still alive after the guard. Threads of other
     * JDK clients, such as the shared one's, are not counted. Idempotent.
     */
    void closeClient() throws InterruptedException {
        if (clientClosed) {
            return;
        }
        clientClosed = true;
        Object jdk = client.currentJdkClient().join();
        Matcher m = CLIENT_ID.matcher(jdk.toString());
        assertThat(m.find()).as("the JDK client's id in %s", jdk).isTrue();
        String prefix = "HttpClient-" + m.group(1) + "-";
        assertThat(threadsNamed(prefix)).as("threads of %s before close", jdk).isNotEmpty();
        client.close();
        List<Thread> left = new ArrayList<>();
        for (Thread t : threadsNamed(prefix)) {
            t.join(GUARD.toMillis());
            if (t.isAlive()) {
                left.add(t);
            }
        }
        assertThat(left).as("threads of the closed client %s", jdk).isEmpty();
    }

    private static List<Thread> threadsNamed(String prefix) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith(prefix)).toList();
    }

    static Throwable rootCause(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root;
    }
}
