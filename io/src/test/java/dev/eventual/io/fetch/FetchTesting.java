package dev.eventual.io.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.eventual.EventLoop;
import dev.eventual.Promise;
import dev.eventual.Settled;
import java.io.File;
import java.time.Duration;

/**
 * Helpers shared by the fetch test classes: run a loop under a hang guard, read a settled
 * promise, count this process's open file descriptors. Times here are hang guards, never
 * assertions.
 */
final class FetchTesting {
    /** Hang guard for one test's loop and for waits on servers: generous, never a timing assertion. */
    static final Duration GUARD = Duration.ofSeconds(30);

    private FetchTesting() {}

    /** Runs {@code main} in a new loop and returns when the loop has no work left; hang-guarded. */
    static void loop(Runnable main) {
        loop(GUARD, main);
    }

    /** As {@link #loop(Runnable)} with a guard of its own, for a case that is CPU-bound. */
    static void loop(Duration guard, Runnable main) {
        assertTimeoutPreemptively(guard, () -> EventLoop.run(main), "EventLoop.run did not return");
    }

    /** Marks {@code p}'s rejection as expected (no unhandled-rejection warning) and returns it. */
    static <T> Promise<T> quiet(Promise<T> p) {
        p.caught(e -> null);
        return p;
    }

    static <T> T fulfilled(Promise<T> p) {
        Settled<T> s = p.peek().orElseThrow(() -> new AssertionError("still pending: " + p));
        if (s instanceof Settled.Rejected<T> r) {
            throw new AssertionError("rejected instead of fulfilled: " + r.reason(), r.reason());
        }
        return ((Settled.Fulfilled<T>) s).value();
    }

    static <E extends Throwable> E rejected(Promise<?> p, Class<E> type) {
        Settled<?> s = p.peek().orElseThrow(() -> new AssertionError("still pending: " + p));
        if (s instanceof Settled.Rejected<?> r) {
            assertThat(r.reason()).isInstanceOf(type);
            return type.cast(r.reason());
        }
        throw new AssertionError("fulfilled instead of rejected: " + ((Settled.Fulfilled<?>) s).value());
    }

    static void assertAllClosed(MisbehavingServer server) throws InterruptedException {
        assertThat(server.awaitAllClosed(GUARD)).as("every connection of %s ended", server).isTrue();
    }

    /** This process's open file descriptors (Linux: the entries of /proc/self/fd). */
    static int openDescriptors() {
        String[] fds = new File("/proc/self/fd").list();
        if (fds == null) {
            throw new IllegalStateException("/proc/self/fd cannot be listed: these tests need Linux's /proc");
        }
        return fds.length;
    }
}
