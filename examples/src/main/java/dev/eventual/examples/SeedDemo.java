package dev.eventual.examples;

import static dev.eventual.Async.async;
import static dev.eventual.Async.await;

import dev.eventual.EventLoop;
import dev.eventual.Promise;

/**
 * The scenario of "What is asynchronous code execution?", in Java: a program asks a (simulated)
 * server for data, keeps running while the request travels, and receives the data through a
 * callback passed inline, a callback passed by reference, and a promise chain. Then it shows
 * what happens when the result is used as if the call were synchronous, and last how to write
 * the same requests as sequential code that does work: {@code async}/{@code await}.
 *
 * <p>Run it with {@code mvn -q -pl examples -am compile exec:exec}. Each line starts with the
 * milliseconds since the start, so the order shows which code ran when.
 */
public final class SeedDemo {
    private static final long START = System.nanoTime();
    private static final SimulatedServer SERVER = new SimulatedServer(200);

    private SeedDemo() {}

    /** What we want to do with the data: JavaScript's {@code do_something_cool}. */
    static void doSomethingCool(String result) {
        say("do_something_cool got: " + result);
    }

    /** You can define a function inline. */
    static void inlineCallback() {
        SERVER.get("/users/1", result -> {
            // this is called by the server when the data arrives
            doSomethingCool(result);
        });
        say("inline: request sent, the program keeps running");
    }

    /** You can also pass a function by reference; the same thing happens. */
    static void callbackByReference() {
        SERVER.get("/users/2", SeedDemo::doSomethingCool);
        say("by reference: request sent, the program keeps running");
    }

    /** A promise: the result of the call is a value you can pass around and chain. */
    static void promiseChain() {
        Promise<String> user = SERVER.get("/users/3");
        user.then(String::toUpperCase)
                .thenAccept(SeedDemo::doSomethingCool)
                .thenCompose(ignored -> SERVER.get("/missing/4"))
                .thenAccept(SeedDemo::doSomethingCool)
                .caught(error -> {
                    say("promise chain: the second request failed: " + error.getMessage());
                    return null;
                });
        say("promise chain: two requests in sequence, the program keeps running");
    }

    /** But this would not work. Don't do this. */
    static void usedAsIfSynchronous() {
        Promise<String> result = SERVER.get("/users/5");
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
     *   do_something_cool(await get('/users/6'));
     *   try { do_something_cool(await get('/missing/7')); } catch (e) { ... }
     * })();
     * }</pre>
     * The body runs on a virtual thread ({@code main/async}) that takes turns with the loop: while
     * it waits for an answer, the loop runs everything else; it never runs at the same time as the
     * loop's callbacks.
     */
    static void asyncAwait() {
        async(() -> {
            Promise<String> user = SERVER.get("/users/6");
            say("async/await: request sent, this body waits for the answer; the loop does not");
            doSomethingCool(await(user));
            try {
                doSomethingCool(await(SERVER.get("/missing/7")));
            } catch (IllegalArgumentException notFound) {
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
     * Runs the five parts on one event loop; returns when every answer has arrived.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        EventLoop.run(() -> {
            say("main: start");
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
