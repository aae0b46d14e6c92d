package dev.eventual.bench;

import static dev.eventual.Async.async;
import static dev.eventual.Async.await;

import dev.eventual.Deferred;
import dev.eventual.EventLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;

/**
 * Retained heap per suspended async body (what one {@code await} of rule 8 costs; see the
 * dev.eventual package overview): starts {@code n} bodies on one loop, each suspended in
 * {@code await} of one shared pending promise, forces collection, and
 * divides the growth of the used heap by {@code n}. What a body retains: its virtual thread
 * (thread object, continuation, the stack chunk of its suspended frames, its thread-locals), its
 * bookkeeping object, its result promise and its reaction node on the awaited promise. For
 * scale, the same figure for {@code n} virtual threads blocked in {@code CompletableFuture.join()}
 * of one shared future, and for {@code n} bare virtual threads parked in
 * {@code LockSupport.park()} (the floor: what Loom itself costs). Each case runs once with
 * {@code n / 10} waiters first, released before measuring, so that class loading and first-use
 * structures are not counted. Prints one line per case, {@code name bytes-per-waiter}.
 *
 * <p>Run: {@code java -Xmx2g -cp bench/target/benchmarks.jar dev.eventual.bench.AwaitFootprint [n]}
 * after {@code mvn -B -q -pl bench -am package -DskipTests}.
 */
public final class AwaitFootprint {
    private AwaitFootprint() {}

    /** One way to have {@code n} waiters suspended: start them, then release them all. */
    private interface Waiters {
        AutoCloseable suspend(int n) throws Exception;
    }

    private static double bytesPerWaiter(Waiters waiters, int n) throws Exception {
        waiters.suspend(Math.max(1, n / 10)).close(); // warm-up round, released before measuring
        long before = UsedHeap.afterGc();
        try (AutoCloseable suspended = waiters.suspend(n)) {
            return (UsedHeap.afterGc() - before) / (double) n;
        }
    }

    /** n async bodies on one loop, each in await of one shared pending promise; closing the loop ends them. */
    private static AutoCloseable asyncBodies(int n) throws InterruptedException {
        EventLoop loop = EventLoop.builder().name("footprint").daemon(true).start();
        Deferred<Object> never = loop.withResolvers();
        CountDownLatch suspended = new CountDownLatch(1);
        loop.execute(() -> {
            for (int i = 0; i < n; i++) {
                async(() -> await(never.promise())); // returns once the body has suspended
            }
            suspended.countDown();
        });
        suspended.await();
        return loop::close;
    }

    /** n virtual threads, each in join() of one shared incomplete future. */
    private static AutoCloseable futureJoiners(int n) throws InterruptedException {
        CompletableFuture<Object> shared = new CompletableFuture<>();
        List<Thread> threads = startParked(n, shared::join);
        return () -> {
            shared.complete(null);
            joinAll(threads);
        };
    }

    /** n bare virtual threads in LockSupport.park(). */
    private static AutoCloseable parkedThreads(int n) throws InterruptedException {
        List<Thread> threads = startParked(n, LockSupport::park);
        return () -> {
            threads.forEach(LockSupport::unpark);
            joinAll(threads);
        };
    }

    /** Starts n virtual threads and waits until each is parked (WAITING: its stack is unmounted). */
    private static List<Thread> startParked(int n, Runnable task) throws InterruptedException {
        List<Thread> threads = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            threads.add(Thread.startVirtualThread(task));
        }
        for (Thread t : threads) {
            while (t.getState() != Thread.State.WAITING) {
                Thread.sleep(1);
            }
        }
        return threads;
    }

    private static void joinAll(List<Thread> threads) throws InterruptedException {
        for (Thread t : threads) {
            t.join();
        }
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        System.out.printf("eventual %.1f%n", bytesPerWaiter(AwaitFootprint::asyncBodies, n));
        System.out.printf("completableFuture %.1f%n", bytesPerWaiter(AwaitFootprint::futureJoiners, n));
        System.out.printf("virtualThread %.1f%n", bytesPerWaiter(AwaitFootprint::parkedThreads, n));
    }
}
