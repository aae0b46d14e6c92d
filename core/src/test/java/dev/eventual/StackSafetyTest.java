package dev.eventual;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Million-link chains settle without deep recursion, and settled links can be collected. */
class StackSafetyTest {
    private static final int LINKS = 1_000_000;

    @Test
    void thenChain_ofAMillionLinks_settlesWithoutStackOverflow() {
        long[] last = new long[1];
        EventLoop.run(() -> {
            Deferred<Long> source = Promise.withResolvers();
            Promise<Long> p = source.promise();
            for (int i = 0; i < LINKS; i++) {
                p = p.then(v -> v + 1);
            }
            p.thenAccept(v -> last[0] = v);
            source.resolve(0L);
        });
        assertThat(last[0]).isEqualTo(LINKS);
    }

    @Test
    void adoptionChain_aMillionDeep_settlesWithoutStackOverflow() {
        String[] result = new String[1];
        EventLoop.run(() -> {
            // d[0] follows d[1], which follows d[2], ...; the innermost is resolved last.
            List<Deferred<String>> deferreds = new ArrayList<>(LINKS);
            for (int i = 0; i < LINKS; i++) {
                deferreds.add(Promise.withResolvers());
            }
            for (int i = 0; i < LINKS - 1; i++) {
                deferreds.get(i).follow(deferreds.get(i + 1).promise());
            }
            deferreds.get(0).promise().thenAccept(v -> result[0] = v);
            deferreds.get(LINKS - 1).resolve("deepest");
        });
        assertThat(result[0]).isEqualTo("deepest");
    }

    @Test
    void rejection_throughAMillionLinks_reachesTheEndUnwrapped() {
        IllegalStateException reason = new IllegalStateException("at the source");
        Throwable[] seen = new Throwable[1];
        EventLoop.run(() -> {
            Promise<Integer> p = Promise.reject(reason);
            for (int i = 0; i < LINKS; i++) {
                p = p.then(v -> v + 1);
            }
            p.caught(e -> {
                seen[0] = e;
                return 0;
            });
        });
        assertThat(seen[0]).isSameAs(reason);
    }

    @Test
    void settledChain_doesNotKeepItsPredecessorsReachable() throws InterruptedException {
        List<WeakReference<Promise<Integer>>> early = new ArrayList<>();
        Object[] keep = new Object[1];
        EventLoop.run(() -> {
            Promise<Integer> p = Promise.resolve(0);
            for (int i = 0; i < 1_000; i++) {
                p = p.then(v -> v + 1);
                if (i < 10) {
                    early.add(new WeakReference<>(p));
                }
            }
            keep[0] = p; // the last link stays strongly reachable
        });
        assertThat(((Promise<?>) keep[0]).isFulfilled()).isTrue();
        for (int attempt = 0; attempt < 50 && early.stream().anyMatch(r -> r.get() != null); attempt++) {
            System.gc();
            Thread.sleep(0, 1); // yields to the reference handler; not a timing assumption
        }
        assertThat(early).allSatisfy(ref -> assertThat(ref.get()).as("an early link of the chain").isNull());
    }
}
