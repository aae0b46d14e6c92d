package dev.eventual.examples;

import static dev.eventual.Async.async;
import static dev.eventual.Async.await;

import dev.eventual.EventLoop;
import dev.eventual.Promise;
import dev.eventual.io.fetch.Fetch;
import dev.eventual.io.fetch.Response;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The scenario of "What is asynchronous code execution?", in Java: a program asks a server for
 * data over HTTP, keeps running while the request travels, and receives the data through a
 * callback passed inline, a callback passed by reference, and a promise chain. Then it shows
 * what happens when the result is used as if the call were synchronous, and last how to write
 * the same requests as sequential code that does work: {@code async}/{@code await}.
 *
 * <p>The server is real: {@link LocalServer}, started on localhost by the demo itself (no
 * internet is needed), answering {@code /users/N} after {@code N * 300} ms. The requests are real
 * too: {@link Fetch} sends them with the JDK {@code HttpClient}, whose threads receive the answers;
 * every callback below still runs on this program's own loop thread ({@code main}) or its async
 * body ({@code main/async}).
 *
 * <p>Run it with {@code mvn -q -pl examples -am compile exec:exec}. Each line starts with the
 * milliseconds since the start, so the order shows which code ran when.
 */
public final class SeedDemo {
    private static final long START = System.nanoTime();
    private static final Pattern ASKED_PATH = Pattern.compile("/(users|missing)/\\d+");
    /** Which part of the demo asked for each path, so that each answer line can say who got it. */
    private static final Map<String, String> ASKED_BY = new ConcurrentHashMap<>();
    private static LocalServer server;

    private SeedDemo() {}

    /** What we want to do with the data: JavaScript's {@code do_something_cool}. */
    static void doSomethingCool(String result) {
        say("do_something_cool got: " + result + receivedBy(result));
    }

    /** The server's URL of {@code path}, noting which part of the demo asked for it. */
    static String url(String path, String askedBy) {
        ASKED_BY.put(path, askedBy);
        return server.url(path);
    }

    /** " (the inline callback)": which part of the demo asked for the data in {@code result}. */
    private static String receivedBy(String result) {
        Matcher path = ASKED_PATH.matcher(result.toLowerCase(Locale.ROOT));
        String askedBy = path.find() ? ASKED_BY.get(path.group()) : null;
        return askedBy == null ? "" : "   <- " + askedBy;
    }

    /** You can define a function inline. */
    static void inlineCallback() {
        Fetch.getText(url("/users/1", "the inline callback"), result -> {
            // this is called on our loop thread when the data has arrived
            doSomethingCool(result);
        });
        say("inline: request sent, the program keeps running");
    }

    /** You can also pass a function by reference; the same thing happens. */
    static void callbackByReference() {
        Fetch.getText(url("/users/2", "the callback passed by reference"), SeedDemo::doSomethingCool);
        say("by reference: request sent, the program keeps running");
    }

    /** A promise: the result of the call is a value you can pass around and chain. */
    static void promiseChain() {
        Promise<Response> response = Fetch.fetch(url("/users/3", "the promise chain, upper-cased by its then(String::toUpperCase)"));
        response.thenCompose(Response::text)
                .then(String::toUpperCase)
                .thenAccept(SeedDemo::doSomethingCool)
                .thenCompose(ignored -> Fetch.getText(server.url("/missing/4")))
                .thenAccept(SeedDemo::doSomethingCool)
                .caught(error -> {
                    say("promise chain: the second request failed: " + error.getMessage());
                    return null;
                });
        say("promise chain: two requests in sequence, the program keeps running");
    }

    /** But this would not work. Don't do this. */
    static void usedAsIfSynchronous() {
        Promise<String> result = Fetch.getText(url("/users/5", "the promise used as if synchronous, through thenAccept"));
        // doSomethingCool(result);  <- does not compile: a Promise<String> is not a String.
        say("as if synchronous: the call returned " + result);
        try {
            String value = result.toCompletableFuture().join(); // blocking on the loop thread
            doSomethingCool(value);
        } catch (IllegalStateException refused) {
            say("as if synchronous: waiting for it here is refused: " + refused.getMessage());
        }
        result.thenAccept(SeedDemo::doSomethingCool); // what to write instead
    }

    /**
     * Sequential code that waits without blocking: JavaScript's
     * <pre>{@code
     * (async () => {
     *   do_something_cool(await (await fetch(url('/users/6'))).text());
     *   try { do_something_cool(await getText(url('/missing/7'))); } catch (e) { ... }
     * })();
     * }</pre>
     * The body runs on a virtual thread ({@code main/async}) that takes turns with the loop: while
     * it waits for an answer, the loop runs everything else; it never runs at the same time as the
     * loop's callbacks.
     */
    static void asyncAwait() {
        async(() -> {
            Promise<Response> user = Fetch.fetch(url("/users/6", "the async body, after await"));
            say("async/await: request sent, this body waits for the answer; the loop does not");
            doSomethingCool(await(await(user).text()));
            try {
                doSomethingCool(await(Fetch.getText(server.url("/missing/7"))));
            } catch (RuntimeException notFound) {
                say("async/await: the second request failed: " + notFound.getMessage());
            }
        });
        say("async/await: the body is waiting; the program keeps running");
    }

    static void say(String line) {
        long millis = (System.nanoTime() - START) / 1_000_000;
        System.out.printf("%5d ms  [%s]  %s%n", millis, Thread.currentThread().getName(), line);
    }

    /**
     * Starts the local server, runs the five parts on one event loop, and returns when every
     * answer has arrived.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        run(EventLoop.builder());
    }

    /**
     * Starts the local server and runs the five parts on a loop made by {@code loop} (the
     * settings of {@link TimelineDemo}'s recording loop, or the defaults), returning when every
     * answer has arrived.
     */
    static void run(EventLoop.Builder loop) {
        try (LocalServer local = LocalServer.start()) {
            server = local;
            loop.run(() -> {
                say("main: start (server at " + server.url("/") + ")");
                say("main: the server answers /users/N after N x 300 ms on purpose, as a far-away server takes its"
                        + " time; so the answers normally come back in the order of N");
                inlineCallback();
                callbackByReference();
                promiseChain();
                usedAsIfSynchronous();
                asyncAwait();
                say("main: done sending; the answers arrive on this same thread once main returns");
            });
            say("main: the loop has no work left, EventLoop.run returned");
        }
    }
}
