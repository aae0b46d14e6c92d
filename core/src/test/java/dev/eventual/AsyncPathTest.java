package dev.eventual;

import static dev.eventual.Async.async;
import static dev.eventual.Async.await;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Rule 8 on the two paths of async bodies: the default one (a body's virtual thread runs on the
 * JVM's scheduler, taking turns with the loop thread), and the fast one, where the JVM opens
 * java.lang to Eventual (--add-opens java.base/java.lang=ALL-UNNAMED) and the loop thread carries
 * its bodies itself. Core's build runs the async tests once without the flag and once with it
 * (system property {@code eventual.test.asyncPath} names the path that run expects); run alone,
 * this class checks the path the JVM it runs in allows. Either way a body that blocks (sleeps,
 * waits for another thread, reads a socket) holds its loop for that long, as a callback would, and
 * then both go on; the watchdog reports it if it holds the loop past the threshold (WatchdogTest).
 */
class AsyncPathTest {

    /** The path this JVM gives: mounted on the loop thread iff java.lang is open to us and not turned off. */
    private static boolean fastPathExpected() {
        String expected = System.getProperty("eventual.test.asyncPath");
        if (expected != null) {
            return expected.equals("mounted");
        }
        boolean open = Object.class.getModule().isOpen("java.lang", AsyncPathTest.class.getModule());
        return open && !"false".equalsIgnoreCase(System.getProperty("dev.eventual.async.mount"));
    }

    @Test
    void aBodyRunsOnTheLoopThreadItself_exactlyWhenTheJvmAllowsIt() throws Exception {
        EventLoop loop = EventLoop.builder().name("path-check").daemon(true).start();
        try {
            AtomicReference<String> before = new AtomicReference<>();
            AtomicReference<String> after = new AtomicReference<>();
            Promise<Void> body = async(loop, () -> {
                before.set(Thread.currentThread().toString());
                await(loop.resolved(null));
                after.set(Thread.currentThread().toString());
            });
            body.toCompletableFuture().get(10, SECONDS);
            // A virtual thread's toString names its carrier after '@' while it is mounted.
            for (String seen : List.of(before.get(), after.get())) {
                assertThat(seen).as("the body's thread").startsWith("VirtualThread[").contains("path-check/async");
                if (fastPathExpected()) {
                    assertThat(seen).as("fast path: carried by the loop thread").endsWith("@path-check");
                } else {
                    assertThat(seen).as("default path: carried by the JVM's scheduler").contains("@ForkJoinPool");
                }
            }
        } finally {
            loop.close();
        }
    }

    @Test
    void aBodyThatSleeps_holdsItsLoopForThatLong_thenTheLoopAndTheBodyGoOn() {
        List<String> log = new CopyOnWriteArrayList<>();
        EventLoop.run(() -> async(() -> {
            EventLoop.current().setTimeout(() -> log.add("timer"), 1);
            log.add("body sleeps");
            Thread.sleep(30); // blocks the body's thread, and so its loop, as a blocking callback would
            log.add("body woke");
            await(AsyncTest.delay(5, null));
            log.add("body resumed");
        }));
        assertThat(log).containsExactly("body sleeps", "body woke", "timer", "body resumed");
    }

    @Test
    void aBodyBlockedOnOtherThreads_resumesWhenTheyReleaseIt_andHoldsItsLoopMeanwhile() throws Exception {
        List<String> log = new CopyOnWriteArrayList<>();
        CompletableFuture<String> reply = new CompletableFuture<>();
        Object lock = new Object();
        CountDownLatch locked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread holder = Thread.ofPlatform().start(() -> {
            synchronized (lock) {
                locked.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        locked.await();
        EventLoop.run(() -> {
            EventLoop loop = EventLoop.current();
            async(() -> {
                loop.setTimeout(() -> log.add("timer"), 1);
                Thread.ofPlatform().start(() -> {
                    sleepQuietly(20);
                    reply.complete("reply"); // another thread ends the wait, like a blocking read's data
                });
                log.add("got " + reply.get(10, SECONDS)); // blocks the body: no await
                Thread.ofPlatform().start(() -> {
                    sleepQuietly(20);
                    release.countDown();
                });
                synchronized (lock) { // contended: waits for the holder thread to let go
                    log.add("locked");
                }
                await(AsyncTest.delay(5, null));
                log.add("resumed");
            });
        });
        holder.join();
        assertThat(log).containsExactly("got reply", "locked", "timer", "resumed");
    }

    /**
     * A blocking socket read in a body (no await): the body's virtual thread parks in the JDK's
     * poller, so on the fast path the wake-up comes from the poller's thread (a foreign wake-up of
     * LoopCarrier), on the default path through the JVM's scheduler. Either way the body keeps its
     * loop's turn while it waits, as a callback that reads would (the timer due meanwhile waits),
     * then the loop and the body go on.
     */
    @Test
    void aBodyInABlockingSocketRead_holdsItsLoopUntilDataComes_thenTheLoopAndTheBodyGoOn() throws Exception {
        List<String> log = new CopyOnWriteArrayList<>();
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread writer = Thread.ofPlatform().start(() -> {
                try (Socket peer = server.accept()) {
                    sleepQuietly(30); // the body is in read() by now, most likely; either way the order below holds
                    peer.getOutputStream().write('x');
                    peer.getOutputStream().flush();
                    peer.getInputStream().read(); // until the body closes its end
                } catch (IOException e) {
                    log.add("writer failed: " + e);
                }
            });
            EventLoop.run(() -> async(() -> {
                EventLoop.current().setTimeout(() -> log.add("timer"), 1);
                try (Socket socket = new Socket(server.getInetAddress(), server.getLocalPort())) {
                    log.add("body reads");
                    int b = socket.getInputStream().read(); // blocks the body's thread, and so its loop
                    log.add("body read " + (char) b);
                }
                await(AsyncTest.delay(5, null));
                log.add("body resumed");
            }));
            writer.join(SECONDS.toMillis(10));
        }
        assertThat(log).containsExactly("body reads", "body read x", "timer", "body resumed");
    }

    /**
     * Stress for the loop thread's wait on the fast path (LoopCarrier's sleep protocol): a body
     * blocks thousands of times on a future that another thread completes at once, racing the
     * loop thread's decision to park; a lost wake-up would hang here (the liveness bound below).
     */
    @Test
    void aBodyWokenByAnotherThreadThousandsOfTimes_neverLosesAWakeUp() throws Exception {
        int rounds = 5_000;
        java.util.concurrent.ExecutorService other = java.util.concurrent.Executors.newSingleThreadExecutor();
        EventLoop loop = EventLoop.builder().name("wake-race").daemon(true).start();
        try {
            Promise<Long> sum = async(loop, () -> {
                long s = 0;
                for (int i = 0; i < rounds; i++) {
                    CompletableFuture<Integer> f = new CompletableFuture<>();
                    int v = i;
                    other.execute(() -> f.complete(v));
                    s += f.get(); // blocks the body; the other thread wakes it
                    if (i % 100 == 0) {
                        await(loop.resolved(null)); // and the loop takes its turn now and then
                    }
                }
                return s;
            });
            assertThat(sum.toCompletableFuture().get(60, SECONDS)).isEqualTo((long) rounds * (rounds - 1) / 2);
        } finally {
            loop.close(java.time.Duration.ofSeconds(5)); // bounded: a loop stuck by a lost wake-up must not hang the build
            other.shutdownNow();
        }
    }

    /**
     * A virtual thread started in a body inherits its parent's scheduler (the JDK's rule): on the
     * fast path it must still run on the JVM's scheduler, not on the loop thread, and a wake-up
     * from a loop callback must reach it (io's process readers are such threads).
     */
    @Test
    void aThreadABodyStarts_runsOnTheJvmsScheduler_andALoopCallbackCanWakeIt() throws Exception {
        EventLoop loop = EventLoop.builder().name("helper-check").daemon(true).start();
        try {
            java.util.concurrent.LinkedBlockingQueue<String> queue = new java.util.concurrent.LinkedBlockingQueue<>();
            AtomicReference<String> helper = new AtomicReference<>();
            Promise<String> got = async(loop, () -> {
                Deferred<String> d = loop.withResolvers();
                Thread.ofVirtual().start(() -> {
                    try {
                        String s = queue.take(); // parks; the loop thread's callback below wakes it
                        helper.set(Thread.currentThread().toString());
                        loop.execute(() -> d.resolve(s));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                loop.setTimeout(() -> queue.add("from a callback"), 5);
                return await(d.promise());
            });
            assertThat(got.toCompletableFuture().get(20, SECONDS)).isEqualTo("from a callback");
            assertThat(helper.get()).as("the helper thread, while it runs").contains("@ForkJoinPool");
        } finally {
            loop.close(java.time.Duration.ofSeconds(5));
        }
    }

    @Test
    void manyBodies_nestedAndInterleaved_keepJavaScriptsOrder_onEitherPath() {
        assertThat(nestedBodies()).containsExactlyElementsOf(NESTED_ORDER);
    }

    @Test
    void aLoopRunOnAVirtualThread_carriesNoBodies_theyRunOnTheJvmsScheduler_inTheSameOrder() throws Exception {
        AtomicReference<List<String>> log = new AtomicReference<>();
        AtomicReference<String> bodyThread = new AtomicReference<>();
        AtomicReference<Throwable> failed = new AtomicReference<>();
        Thread loopThread = Thread.ofVirtual().name("virtual-loop").start(() -> {
            try {
                EventLoop.run(() -> async(() -> bodyThread.set(Thread.currentThread().toString())));
                log.set(nestedBodies());
            } catch (Throwable t) {
                failed.set(t);
            }
        });
        loopThread.join(SECONDS.toMillis(10));
        assertThat(failed.get()).as("what the virtual loop thread threw").isNull();
        // A virtual thread cannot carry another: this loop's bodies take the default path, flag or not.
        assertThat(bodyThread.get()).contains("main/async").contains("@ForkJoinPool"); // run names its loop "main"
        assertThat(log.get()).containsExactlyElementsOf(NESTED_ORDER);
    }

    // JavaScript: each outer body runs to its inner's first await synchronously; then the inner
    // bodies resume one microtask later, in order, and each outer one turn after its inner.
    private static final List<String> NESTED_ORDER = List.of(
            "outer 0 start", "inner 0 start", "outer 0 after async",
            "outer 1 start", "inner 1 start", "outer 1 after async",
            "outer 2 start", "inner 2 start", "outer 2 after async",
            "main end",
            "inner 0 end", "inner 1 end", "inner 2 end",
            "outer 0 end", "outer 1 end", "outer 2 end");

    private static List<String> nestedBodies() {
        List<String> log = new CopyOnWriteArrayList<>();
        EventLoop.run(() -> {
            for (int i = 0; i < 3; i++) {
                int n = i;
                async(() -> {
                    log.add("outer " + n + " start");
                    Promise<Void> inner = async(() -> {
                        log.add("inner " + n + " start");
                        await(EventLoop.current().resolved(null));
                        log.add("inner " + n + " end");
                    });
                    log.add("outer " + n + " after async");
                    await(inner);
                    log.add("outer " + n + " end");
                });
            }
            log.add("main end");
        });
        return log;
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
