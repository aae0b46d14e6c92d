package dev.eventual.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventual.Deferred;
import dev.eventual.EventLoop;
import dev.eventual.KeepAlive;
import dev.eventual.Promise;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * A run-mode loop ends only when nothing is left: work that another thread posts before it
 * releases its keep-alive always runs (see "Sleep protocol" in {@link EventLoopImpl}'s overview). The
 * loop's idle check reads the keep-alive count and the task queue one after the other; a thread
 * that posts and releases between those two reads is the case here. {@link EventLoopImpl#idleCheckForTest}
 * runs it there deterministically: it stands for the loop thread being descheduled at that point,
 * which a loaded machine does at random (the A+ 2.3.3 suite lost a FROM_THREAD outcome that way).
 * Both tests fail when the queue is read first: the loop sees no task, then no keep-alive, and
 * ends with the hand-off unrun.
 */
class LoopRunExitTest {

    @Test
    void aResolveFromAnotherThreadBetweenTheIdleReads_isDeliveredBeforeRunReturns() {
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        EventLoop.run(() -> {
            EventLoopImpl loop = EventLoopImpl.current();
            Deferred<String> d = Promise.withResolvers();
            d.promise().thenAccept(v -> log.add("fulfilled:" + v));
            KeepAlive alive = loop.keepAlive();
            loop.idleCheckForTest = () -> {
                loop.idleCheckForTest = null; // once: the first idle check after main
                runOnAnotherThread(() -> {
                    d.resolve("v"); // posts the hand-off task
                    alive.close();
                });
            };
        });
        assertThat(log).as("outcome of a deferred resolved from another thread during the loop's idle check")
                .containsExactly("fulfilled:v");
    }

    @Test
    void aStageCompletedFromAnotherThreadBetweenTheIdleReads_isAdoptedBeforeRunReturns() {
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        EventLoop.run(() -> {
            EventLoopImpl loop = EventLoopImpl.current();
            CompletableFuture<Object> stage = new CompletableFuture<>();
            Deferred<Object> d = Promise.withResolvers();
            d.resolve(stage); // the adoption job holds a keep-alive until the stage calls back
            d.promise().then(v -> log.add("fulfilled:" + v), e -> log.add("rejected:" + e.getMessage()));
            loop.idleCheckForTest = () -> {
                loop.idleCheckForTest = null;
                // The stage calls back with another stage: the resolver posts the next adoption
                // step's job, then releases the keep-alive (A+ 2.3.3.3.1).
                runOnAnotherThread(() -> stage.complete(CompletableFuture.failedFuture(new IllegalStateException("r"))));
            };
        });
        assertThat(log).as("outcome of a stage completed from another thread during the loop's idle check")
                .containsExactly("rejected:r");
    }

    /** Runs {@code action} on a new platform thread and waits for it (the loop thread stays where it is). */
    private static void runOnAnotherThread(Runnable action) {
        Thread t = Thread.ofPlatform().name("poster").start(action);
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while the poster ran", e);
        }
    }
}
