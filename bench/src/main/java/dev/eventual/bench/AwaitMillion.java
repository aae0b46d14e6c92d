package dev.eventual.bench;

import static dev.eventual.Async.async;
import static dev.eventual.Async.await;

import dev.eventual.EventLoop;
import dev.eventual.Promise;

/**
 * One async body that awaits an already resolved promise {@code n} times (each await still waits
 * one microtask turn, as JavaScript's {@code await value} does), timed from the body's start to
 * its end; repeated, and the median of the rounds printed, in ms. The Node.js twin is
 * {@code bench/node/await-million.js}. Which path the bodies take depends on the JVM's flags:
 * with {@code --add-opens java.base/java.lang=ALL-UNNAMED} the loop thread carries the body.
 * With {@code kotlin} as third argument it times the Kotlin coroutines peer instead
 * ({@link KotlinAwait#resolved}: Kotlin's await of a completed deferred does not suspend).
 *
 * <p>One body alone: after its first await, each await finds the loop's microtask queue empty,
 * so Eventual's await continues at once (JavaScript's resumption would be the next thing to run:
 * see AsyncBody, "Awaiting a settled promise"), while Node still queues and runs a microtask. With
 * {@code interleaved} as third argument two bodies await {@code n / 2} times each, started
 * together, so each await finds the other body's resumption queued and must suspend, on both
 * sides: that times the suspension and resumption themselves.
 *
 * <p>Run: {@code java [--add-opens java.base/java.lang=ALL-UNNAMED] -cp bench/target/benchmarks.jar
 * dev.eventual.bench.AwaitMillion [n] [rounds] [kotlin|interleaved]} after
 * {@code mvn -B -q -pl bench -am package -Dmaven.test.skip=true}.
 */
public final class AwaitMillion {
    private AwaitMillion() {}

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        long[] millis = new long[rounds];
        if (args.length > 2 && args[2].equals("kotlin")) {
            kotlin(n, rounds, millis);
            return;
        }
        int bodies = args.length > 2 && args[2].equals("interleaved") ? 2 : 1;
        for (int r = -2; r < rounds; r++) { // two warm-up rounds
            long[] took = new long[1];
            EventLoop.run(() -> {
                Promise<Integer> one = EventLoop.current().resolved(1);
                long t0 = System.nanoTime();
                for (int b = 0; b < bodies; b++) {
                    async(() -> {
                        long sum = 0;
                        for (int i = 0; i < n / bodies; i++) {
                            sum += await(one);
                        }
                        took[0] = System.nanoTime() - t0; // the last body to end sets it last
                        if (sum != n / bodies) {
                            throw new IllegalStateException("awaits gave " + sum);
                        }
                    });
                }
            });
            if (r >= 0) {
                millis[r] = took[0] / 1_000_000;
            }
        }
        print(n, millis);
    }

    /** The Kotlin peer: one coroutine awaits a completed deferred n times (it does not suspend). */
    private static void kotlin(int n, int rounds, long[] millis) {
        KotlinAwait peer = new KotlinAwait();
        Done done = new Done();
        for (int r = -2; r < rounds; r++) {
            long t0 = System.nanoTime();
            peer.resolved(n, done::signal);
            done.awaitParked();
            if (r >= 0) {
                millis[r] = (System.nanoTime() - t0) / 1_000_000;
            }
        }
        peer.close();
        print(n, millis);
    }

    private static void print(int n, long[] millis) {
        int rounds = millis.length;
        java.util.Arrays.sort(millis);
        System.out.println("awaits " + n + " median_ms " + millis[rounds / 2] + " min_ms " + millis[0]
                + " max_ms " + millis[rounds - 1]);
    }
}
