package dev.eventual.bench;

import static dev.eventual.Async.async;
import static dev.eventual.Async.await;

import dev.eventual.Deferred;
import dev.eventual.EventLoop;
import dev.eventual.Promise;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;
import javax.management.ObjectName;

/**
 * Retained heap per suspended waiter (what one {@code await} of rule 8 costs; see the
 * dev.eventual package overview), for Eventual's async bodies and their peers: suspends {@code n}
 * waiters at once, forces collection, and divides the growth of the used heap by {@code n}.
 *
 * <p>Cases (all by default, or the names given):
 * <ul>
 *   <li>{@code eventual}: async bodies on one loop, each in {@code await} of one shared pending
 *       promise;</li>
 *   <li>{@code eventualTimer}: async bodies, each in {@code await} of its own
 *       {@code Promise.delay} of an hour (the timer is part of the figure);</li>
 *   <li>{@code completableFuture}: virtual threads in {@code join()} of one shared future;</li>
 *   <li>{@code virtualThread}: bare virtual threads in {@code LockSupport.park()}: the floor, what
 *       Loom itself costs;</li>
 *   <li>{@code kotlinDeferred}, {@code kotlinDelay}: Kotlin coroutines ({@link KotlinFootprint})
 *       in {@code await} of one shared pending deferred, or in their own {@code delay}.</li>
 * </ul>
 * The Node.js twin is {@code bench/node/await-footprint.js}.
 *
 * <p>Warm-up: each case first suspends and releases {@code n} waiters {@code warm} times (3 by
 * default), and before the Eventual cases one body awaits 100,000 fulfilled and 100,000 rejected
 * promises, so that the code on the path to the park is compiled, with both outcomes seen, when
 * the measured waiters suspend. A suspended virtual thread's frames are copied into its stack
 * chunk as they are at that moment, and an interpreted frame is several times the size of a
 * compiled one: with no warm-up the figure depends on how far the JIT compiler had got (which
 * depends on the machine's load), and a warm-up that resumed its waiters only one way leaves
 * code that the other way deoptimizes. {@code --warm 0} measures the cold case.
 *
 * <p>Output: one line per case, {@code name bytes-per-waiter frames}, where frames is the depth
 * of one suspended waiter's stack ({@code Thread.getStackTrace}: source frames, before inlining)
 * or {@code -} for coroutines. With {@code --histogram}, below each line, the classes whose
 * retained bytes grew by at least 2 bytes per waiter, from the JVM's class histograms (each a
 * full collection) before and after the waiters suspended: bytes per waiter, instances per
 * waiter, class.
 *
 * <p>Run: {@code java -Xmx2g [--add-opens java.base/java.lang=ALL-UNNAMED] -cp
 * bench/target/benchmarks.jar dev.eventual.bench.AwaitFootprint [n] [--warm k] [--histogram]
 * [case...]} after {@code mvn -B -q -pl bench -am package -Dmaven.test.skip=true}.
 */
public final class AwaitFootprint {
    private AwaitFootprint() {}

    /** Waiters suspended at once: {@code release} ends them; {@code sample} is one of their threads, or null. */
    private record Suspended(AutoCloseable release, Thread sample) {}

    /** One way to have {@code n} waiters suspended. */
    private interface Waiters {
        Suspended suspend(int n) throws Exception;
    }

    private static final Map<String, Waiters> CASES = new LinkedHashMap<>();

    static {
        CASES.put("eventual", n -> asyncBodies(n, false));
        CASES.put("eventualTimer", n -> asyncBodies(n, true));
        CASES.put("completableFuture", AwaitFootprint::futureJoiners);
        CASES.put("virtualThread", AwaitFootprint::parkedThreads);
        CASES.put("kotlinDeferred", n -> new Suspended(KotlinFootprint.awaitingDeferred(n), null));
        CASES.put("kotlinDelay", n -> new Suspended(KotlinFootprint.inDelay(n), null));
    }

    /**
     * n async bodies on one loop, each in await of one shared pending promise or of its own timer;
     * closing the loop ends them.
     */
    private static Suspended asyncBodies(int n, boolean timers) throws InterruptedException {
        EventLoop loop = EventLoop.builder().name("footprint").daemon(true).start();
        Deferred<Object> never = loop.withResolvers();
        CountDownLatch suspended = new CountDownLatch(1);
        Thread[] sample = new Thread[1];
        loop.execute(() -> {
            for (int i = 0; i < n; i++) {
                if (i == n - 1) {
                    async(() -> {
                        sample[0] = Thread.currentThread();
                        return timers ? await(Promise.delay(Duration.ofHours(1))) : await(never.promise());
                    });
                } else if (timers) {
                    async(() -> await(Promise.delay(Duration.ofHours(1)))); // returns once the body has suspended
                } else {
                    async(() -> await(never.promise()));
                }
            }
            suspended.countDown();
        });
        suspended.await();
        return new Suspended(() -> {
            never.resolve(null); // the shared-promise bodies end fulfilled, the timer ones when the loop closes
            loop.close();
        }, sample[0]);
    }

    /** n virtual threads, each in join() of one shared incomplete future. */
    private static Suspended futureJoiners(int n) throws InterruptedException {
        CompletableFuture<Object> shared = new CompletableFuture<>();
        List<Thread> threads = startParked(n, shared::join);
        return new Suspended(() -> {
            shared.complete(null);
            joinAll(threads);
        }, threads.get(n - 1));
    }

    /** n bare virtual threads in LockSupport.park(). */
    private static Suspended parkedThreads(int n) throws InterruptedException {
        List<Thread> threads = startParked(n, LockSupport::park);
        return new Suspended(() -> {
            threads.forEach(LockSupport::unpark);
            joinAll(threads);
        }, threads.get(n - 1));
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

    /** The JVM's class histogram (GC.class_histogram: a full collection first): bytes and instances per class. */
    private static Map<String, long[]> histogram() throws Exception {
        String text = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                new Object[] {new String[0]}, new String[] {String[].class.getName()});
        Map<String, long[]> classes = new HashMap<>();
        for (String line : text.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 4 && f[0].endsWith(":") && !f[0].equals("Total")) {
                classes.put(f[3], new long[] {Long.parseLong(f[2]), Long.parseLong(f[1])});
            }
        }
        return classes;
    }

    /** Prints the classes whose bytes grew by at least 2 per waiter between the two histograms, largest first. */
    private static void printGrowth(Map<String, long[]> before, Map<String, long[]> after, int n) {
        record Row(String name, double bytes, double instances) {}
        List<Row> rows = new ArrayList<>();
        for (Map.Entry<String, long[]> e : after.entrySet()) {
            long[] b = before.getOrDefault(e.getKey(), new long[2]);
            double bytes = (e.getValue()[0] - b[0]) / (double) n;
            if (bytes >= 2) {
                rows.add(new Row(e.getKey(), bytes, (e.getValue()[1] - b[1]) / (double) n));
            }
        }
        rows.sort((x, y) -> Double.compare(y.bytes, x.bytes));
        double sum = 0;
        for (Row r : rows) {
            System.out.printf("    %8.1f B  %5.2f per waiter  %s%n", r.bytes, r.instances, r.name);
            sum += r.bytes;
        }
        System.out.printf("    %8.1f B  in all (these rows)%n", sum);
    }

    /** One body awaits fulfilled and rejected promises, so that await's code is compiled for both outcomes. */
    private static void warmAwaitPath() {
        EventLoop.run(() -> async(() -> {
            Promise<Integer> one = EventLoop.current().resolved(1);
            Promise<Integer> failed = EventLoop.current().rejected(new IllegalStateException("warm-up"));
            failed.caught(e -> 0);
            for (int i = 0; i < 100_000; i++) {
                await(one);
                try {
                    await(failed);
                } catch (IllegalStateException expected) {
                    // the rejected outcome's path
                }
            }
        }));
    }

    private static void measure(String name, Waiters waiters, int n, int warm, boolean histogram) throws Exception {
        if (warm > 0 && name.startsWith("eventual")) {
            warmAwaitPath();
        }
        for (int i = 0; i < warm; i++) {
            waiters.suspend(n).release().close(); // released before measuring: see the class javadoc
        }
        Map<String, long[]> classesBefore = histogram ? histogram() : null;
        long before = UsedHeap.afterGc();
        Suspended s = waiters.suspend(n);
        try {
            double perWaiter = (UsedHeap.afterGc() - before) / (double) n;
            String frames = s.sample() == null ? "-" : Integer.toString(s.sample().getStackTrace().length);
            System.out.printf("%s %.1f %s%n", name, perWaiter, frames);
            if (histogram) {
                printGrowth(classesBefore, histogram(), n);
            }
        } finally {
            s.release().close();
        }
    }

    public static void main(String[] args) throws Exception {
        int n = 100_000;
        int warm = 3;
        boolean histogram = false;
        List<String> names = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--histogram" -> histogram = true;
                case "--warm" -> warm = Integer.parseInt(args[++i]);
                default -> {
                    if (Character.isDigit(args[i].charAt(0))) {
                        n = Integer.parseInt(args[i]);
                    } else if (CASES.containsKey(args[i])) {
                        names.add(args[i]);
                    } else {
                        throw new IllegalArgumentException("unknown case " + args[i] + "; cases: " + CASES.keySet());
                    }
                }
            }
        }
        if (names.isEmpty()) {
            names.addAll(CASES.keySet());
        }
        for (String name : names) {
            measure(name, CASES.get(name), n, warm, histogram);
        }
    }
}
