package dev.eventual;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SmokeTest {
    @Test
    void ordering_microtasksBeforeTimers() {
        List<String> log = new ArrayList<>();
        EventLoop.run(() -> {
            EventLoop loop = EventLoop.current();
            log.add("sync1");
            loop.setTimeout(() -> log.add("timeout"), 0);
            Promise.resolve(1).then(v -> { log.add("then " + v); return v + 1; }).thenAccept(v -> log.add("then2 " + v));
            loop.queueMicrotask(() -> log.add("micro"));
            Deferred<String> d = loop.withResolvers();
            d.promise().thenAccept(v -> log.add("deferred " + v));
            new Thread(() -> d.resolve("x")).start();
            KeepAlive ka = loop.keepAlive();
            d.promise().lastly(ka::close);
            log.add("sync2");
        });
        System.out.println(log);
        assertThat(log).startsWith("sync1", "sync2", "then 1", "micro", "then2 2");
        assertThat(log).contains("timeout", "deferred x");
    }
}
