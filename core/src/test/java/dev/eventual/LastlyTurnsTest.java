package dev.eventual;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LastlyTurnsTest {
    @Test
    void lastlyAndAdoption_takeJavaScriptsMicrotaskTurns() {
        List<String> log = new ArrayList<>();
        EventLoop.run(() -> {
            Promise.resolve(1).lastly(() -> log.add("f")).thenAccept(v -> log.add("after finally"));
            Promise.resolve(1).thenAccept(v -> log.add("t1")).thenAccept(v -> log.add("t2"))
                    .thenAccept(v -> log.add("t3")).thenAccept(v -> log.add("t4"))
                    .thenAccept(v -> log.add("t5")).thenAccept(v -> log.add("t6"));
            Deferred<Integer> outer = Promise.withResolvers();
            outer.follow(Promise.resolve(2));
            outer.promise().thenAccept(v -> log.add("adopted"));
        });
        // Printed by Node 20 for the same program.
        assertThat(String.join(",", log)).isEqualTo("f,t1,t2,t3,adopted,after finally,t4,t5,t6");
    }
}
