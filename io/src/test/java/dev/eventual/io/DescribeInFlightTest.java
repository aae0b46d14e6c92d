package dev.eventual.io;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventual.EventLoop;
import dev.eventual.io.fetch.Fetch;
import dev.eventual.io.fetch.TestServer;
import dev.eventual.io.process.Processes;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** loop.describe() names the I/O in flight: a fetch waiting for its response, a running process. */
class DescribeInFlightTest {
    @Test
    void describe_namesTheFetchAndTheProcessInFlight() throws Exception {
        CountDownLatch answer = new CountDownLatch(1);
        CountDownLatch asked = new CountDownLatch(1);
        try (TestServer server = new TestServer().route("/slow", ex -> {
            asked.countDown();
            try {
                answer.await(10, TimeUnit.SECONDS); // bound against a hang only
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            TestServer.send(ex, 200, "text/plain", "late");
        })) {
            EventLoop loop = EventLoop.builder().name("in-flight").start();
            try {
                String url = server.url("/slow");
                loop.execute(() -> {
                    Fetch.fetch(url);
                    Processes.run("sleep", "30");
                });
                assertThat(asked.await(10, TimeUnit.SECONDS)).as("the server got the request").isTrue();
                String text = loop.describe();
                assertThat(text).contains("\n    waiting for fetch GET " + url + "\n");
                assertThat(text).contains("\n    waiting for process [\"sleep\", \"30\"]\n");
            } finally {
                answer.countDown();
                loop.close(); // kills the process
            }
        }
    }
}
