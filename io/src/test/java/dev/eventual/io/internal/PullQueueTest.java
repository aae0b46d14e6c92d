package dev.eventual.io.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.eventual.AsyncIterator;
import dev.eventual.Deferred;
import dev.eventual.EventLoop;
import dev.eventual.Promise;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The pull side over a scripted push stream: a batch is read only when the consumer asks beyond
 * what it holds (back-pressure), the end and a failure come after the items, and close cancels
 * the stream.
 */
class PullQueueTest {
    /** A push stream driven by hand from the test, on the loop thread. */
    private static final class Script {
        Consumer<String> onItem;
        Supplier<Promise<Void>> demand;
        Deferred<Void> end;
        final List<String> log = new ArrayList<>();
        Promise<Void> asked;

        PullQueue<String> start() {
            return PullQueue.start(EventLoop.current(), (onItem, demand) -> {
                this.onItem = onItem;
                this.demand = demand;
                this.end = EventLoop.current().withResolvers();
                return end.promise();
            });
        }

        /** Hands a batch over, then asks for demand as a stream does; logs when it is granted. */
        void batch(String... items) {
            for (String item : items) {
                onItem.accept(item);
            }
            String name = String.join("", items);
            asked = demand.get();
            asked.thenAccept(v -> log.add("read after " + name));
        }
    }

    private static void run(Runnable main) {
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> EventLoop.run(main), "EventLoop.run did not return");
    }

    @Test
    void theNextBatchIsReadOnlyWhenTheConsumerAsksBeyondWhatItHolds() {
        Script s = new Script();
        List<String> got = new ArrayList<>();
        run(() -> {
            PullQueue<String> q = s.start();
            s.batch("a", "b");
            q.next().thenAccept(v -> got.add(v.orElseThrow()))
                    .thenCompose(v -> q.next()).thenAccept(v -> got.add(v.orElseThrow()))
                    .thenAccept(v -> got.add("granted before third next: " + !s.asked.isPending()))
                    .thenCompose(v -> {
                        Promise<Optional<String>> third = q.next();
                        s.batch("c");
                        return third;
                    })
                    .thenAccept(v -> got.add(v.orElseThrow()))
                    .thenAccept(v -> s.end.resolve(null))
                    .thenCompose(v -> q.next())
                    .thenAccept(v -> got.add("end " + v.isEmpty()));
        });
        assertThat(got).containsExactly("a", "b", "granted before third next: false", "c", "end true");
        assertThat(s.log).containsExactly("read after ab");
    }

    @Test
    void aFailureComesAfterTheItemsReadBeforeIt_thenTheEnd() {
        Script s = new Script();
        List<String> got = new ArrayList<>();
        run(() -> {
            AsyncIterator<String> q = s.start();
            s.batch("a");
            s.end.reject(new IOException("disk on fire"));
            q.next().thenAccept(v -> got.add(v.orElseThrow()))
                    .thenCompose(v -> q.next())
                    .caught(e -> {
                        got.add("failed " + e.getMessage());
                        return null;
                    })
                    .thenCompose(v -> q.next())
                    .thenAccept(v -> got.add("then end " + v.isEmpty()));
        });
        assertThat(got).containsExactly("a", "failed disk on fire", "then end true");
    }

    @Test
    void aFailureWhileTheConsumerWaits_rejectsThatNext_once() {
        Script s = new Script();
        List<String> got = new ArrayList<>();
        run(() -> {
            AsyncIterator<String> q = s.start();
            q.next().caught(e -> {
                        got.add("failed " + e.getMessage());
                        return null;
                    })
                    .thenCompose(v -> q.next())
                    .thenAccept(v -> got.add("then end " + v.isEmpty()))
                    .caught(e -> {
                        got.add("failed again " + e.getMessage());
                        return null;
                    });
            s.end.reject(new IOException("disk on fire"));
        });
        assertThat(got).containsExactly("failed disk on fire", "then end true");
    }

    @Test
    void close_cancelsTheStream_dropsWhatWasReadAhead_andEndsAPendingNext() {
        Script s = new Script();
        List<String> got = new ArrayList<>();
        AtomicReference<Promise<Void>> stream = new AtomicReference<>();
        run(() -> {
            PullQueue<String> q = s.start();
            stream.set(s.end.promise());
            s.batch("a", "b");
            q.close();
            q.close(); // idempotent
            q.next().thenAccept(v -> got.add("after close empty " + v.isEmpty()));
        });
        assertThat(got).containsExactly("after close empty true");
        assertThat(stream.get().isRejected()).isTrue();
        assertThat(((dev.eventual.Settled.Rejected<Void>) stream.get().peek().orElseThrow()).reason()).isInstanceOf(CancellationException.class);
        assertThat(s.log).isEmpty(); // no further read was granted
    }

    @Test
    void next_whileThePreviousIsPending_isRefused() {
        Script s = new Script();
        AtomicReference<Throwable> refused = new AtomicReference<>();
        run(() -> {
            PullQueue<String> q = s.start();
            q.next();
            try {
                q.next();
            } catch (IllegalStateException e) {
                refused.set(e);
            }
            q.close();
        });
        assertThat(refused.get()).hasMessageContaining("one item at a time");
    }
}
