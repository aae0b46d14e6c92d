package dev.eventual.testkit.readme;

import static dev.eventual.testkit.EventualAssertions.assertThat;

import dev.eventual.AsyncTimeoutException;
import dev.eventual.EventLoop;
import dev.eventual.Promise;
import dev.eventual.RetryPolicy;
import dev.eventual.testkit.EventualTest;
import dev.eventual.testkit.VirtualClock;
import java.io.IOException;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

@EventualTest                                      // a fresh loop per test, on virtual time
class QuoteServiceTest {

    /** The code under test: asks a backend, retries with backoff, gives up after 10 s. */
    static Promise<String> quote(Supplier<Promise<String>> backend) {
        RetryPolicy policy = RetryPolicy.exponential(5, Duration.ofSeconds(1))
                .withRandom(new SplittableRandom(1)); // seeded jitter: the same waits on every run
        return Promise.retry(policy, backend).timeout(Duration.ofSeconds(10));
    }

    @Test
    void retriesUntilTheBackendAnswers(EventLoop loop, VirtualClock clock) {
        int[] calls = {0};
        Promise<String> result = quote(() -> ++calls[0] < 3
                ? loop.rejected(new IOException("busy"))
                : Promise.delay(Duration.ofMillis(200)).then(v -> "42.10"));

        assertThat(result).isPending();
        assertThat(result).settlesWithin(Duration.ofSeconds(10)).hasValue("42.10"); // no real waiting
        assertThat(calls[0]).isEqualTo(3);
        assertThat(clock.now()).isLessThan(Duration.ofSeconds(4)); // two backoff waits and 200 ms
    }

    @Test
    void givesUpAfterTenSeconds(EventLoop loop, VirtualClock clock) {
        Promise<String> result = quote(() -> loop.<String>withResolvers().promise()); // never answers
        clock.advanceBy(Duration.ofMillis(9_999));
        assertThat(result).isPending();
        clock.advanceBy(Duration.ofMillis(1));
        assertThat(result).isRejectedWith(AsyncTimeoutException.class).withMessage("timed out after 10000 ms");
    }
}
