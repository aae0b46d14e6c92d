package dev.eventual.examples;

import dev.eventual.EventLoop;
import dev.eventual.Promise;

/** The README's quick start, kept compiling and tested by {@code QuickStartTest}. */
public final class QuickStart {
    private QuickStart() {}

    /**
     * Prints, in this order: {@code sync: first of all}, {@code microtask: before any timer},
     * {@code 84}, {@code done}.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        EventLoop.run(() -> {                                  // this thread becomes the loop
            EventLoop loop = EventLoop.current();
            var answer = Promise.<String>withResolvers();
            loop.setTimeout(() -> answer.resolve("42"), 100);  // settles later, on this thread

            answer.promise()
                  .then(Integer::parseInt)                     // value -> value
                  .thenCompose(n -> Promise.resolve(n * 2))    // value -> promise
                  .thenAccept(n -> System.out.println(n))      // prints 84, after 100 ms
                  .caught(error -> { error.printStackTrace(); return null; })
                  .lastly(() -> System.out.println("done"));

            loop.queueMicrotask(() -> System.out.println("microtask: before any timer"));
            System.out.println("sync: first of all");
        });                                                    // returns when no work is left
    }
}
