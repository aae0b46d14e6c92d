package dev.eventual.testkit;

import dev.eventual.Deferred;
import dev.eventual.EventLoop;
import dev.eventual.Promise;
import dev.eventual.RetryPolicy;
import dev.eventual.Timeout;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A day of timers on virtual time: one-second intervals, a retry with exponential backoff over
 * the whole day and random timeouts racing random answers. Returns the log: every callback with
 * the virtual time it ran at. Everything random is seeded, so the log depends on the arguments only.
 */
final class VirtualDay {
    private VirtualDay() {}

    static List<String> run(int seconds, int timeouts, long seed) {
        List<String> log = new ArrayList<>(seconds + 2 * timeouts + 100);
        try (TestLoop t = TestLoop.virtualTime()) {
            EventLoop loop = t.eventLoop();
            VirtualClock clock = t.clock();
            long day = seconds * 1_000L;

            int[] ticks = {0};
            Timeout[] interval = new Timeout[1];
            interval[0] = loop.setInterval(() -> {
                ticks[0]++;
                log.add(clock.nowMillis() + " tick " + ticks[0]);
                if (ticks[0] == seconds) {
                    interval[0].cancel();
                }
            }, 1_000);

            RetryPolicy policy = RetryPolicy.exponential(10_000, Duration.ofSeconds(1))
                    .withMaxDelay(Duration.ofHours(1))
                    .withMaxTotal(Duration.ofMillis(day))
                    .withRandom(new SplittableRandom(seed));
            int[] attempts = {0};
            Promise.<String>retry(policy, () -> {
                attempts[0]++;
                log.add(clock.nowMillis() + " attempt " + attempts[0]);
                return loop.rejected(new IOException("unavailable"));
            }).caught(e -> {
                log.add(clock.nowMillis() + " retry gave up after " + attempts[0] + " attempts: " + e.getMessage());
                return null;
            });

            SplittableRandom random = new SplittableRandom(seed + 1);
            for (int i = 0; i < timeouts; i++) {
                int id = i;
                Deferred<String> answer = loop.withResolvers();
                loop.setTimeout(() -> answer.resolve("answer " + id), random.nextLong(1, day));
                answer.promise().timeout(Duration.ofMillis(random.nextLong(1, day)))
                        .then(v -> log.add(clock.nowMillis() + " " + v))
                        .caught(e -> log.add(clock.nowMillis() + " timeout " + id));
            }
            t.runUntilIdle();
            log.add(clock.nowMillis() + " idle: " + t.pendingWork());
        }
        return log;
    }
}
