package dev.eventual.examples;

import static dev.eventual.Async.async;
import static dev.eventual.Async.await;

import dev.eventual.EventLoop;
import dev.eventual.Promise;
import java.util.Map;

/** The README's async/await quick example, kept compiling and tested by {@code AsyncQuickStartTest}. */
public final class AsyncQuickStart {
    private static final Map<String, Integer> NUMBERS = Map.of("a", 40, "b", 2);

    private AsyncQuickStart() {}

    /**
     * A number that arrives 10 ms later: rejected with an {@link IllegalArgumentException} for a
     * name it does not know. Call it on a loop thread.
     */
    static Promise<Integer> fetchNumber(String name) {
        var answer = Promise.<Integer>withResolvers();
        EventLoop.current().setTimeout(() -> {
            Integer n = NUMBERS.get(name);
            if (n == null) {
                answer.reject(new IllegalArgumentException("no number named " + name));
            } else {
                answer.resolve(n);
            }
        }, 10);
        return answer.promise();
    }

    Promise<Integer> total() {
        return async(() -> {                     // the body runs now, until its first await
            int a = await(fetchNumber("a"));     // suspends this body only; the loop keeps running
            try {
                return a + await(fetchNumber("b"));
            } catch (RuntimeException e) {       // a rejection is thrown by await, as in JavaScript
                return a;
            }
        });
    }

    /**
     * Prints {@code 42}, about 20 ms after the start.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        EventLoop.run(() -> new AsyncQuickStart().total().thenAccept(n -> System.out.println(n)));
    }
}
