package dev.eventual.internal;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.eventual.Deferred;
import dev.eventual.EventLoop;
import dev.eventual.Promise;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Rule 6 with rule 7, counted: timeouts and delays created and cancelled by the hundred thousand
 * leave no timer in the loop's queue and nothing reachable after collection, and a long-lived
 * source that many cancelled consumers leave keeps none of them on its reaction stack.
 */
class CancelRetentionTest {
    private static final int N = 100_000;
    private static final Duration LONG = Duration.ofSeconds(60);

    /** Collects until every reference is cleared, or gives up after 10 s; returns how many are left. */
    private static long survivorsAfterGc(List<? extends WeakReference<?>> refs) throws InterruptedException {
        long deadline = System.nanoTime() + SECONDS.toNanos(10);
        long alive;
        do {
            System.gc();
            Thread.sleep(20);
            alive = refs.stream().filter(r -> r.get() != null).count();
        } while (alive > 0 && System.nanoTime() < deadline);
        return alive;
    }

    private static int stackSize(PromiseImpl<?> p) throws ReflectiveOperationException {
        var field = PromiseImpl.class.getDeclaredField("state");
        field.setAccessible(true);
        Object s = field.get(p);
        if (s == null) {
            return 0;
        }
        Reaction[] reactions = ReactionNode.oldestFirst(s);
        return reactions == null ? 0 : reactions.length;
    }

    @Test
    void hundredThousandTimeoutsAndDelays_createdAndCancelled_leaveNoTimers_andNothingRetainedAfterCollection()
            throws Exception {
        List<WeakReference<Object>> refs = new ArrayList<>();
        int[] timersLeft = {-1, -1};
        int[] sharedStack = {-1};
        boolean[] sharedPending = {false};
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> EventLoop.run(() -> {
            EventLoopImpl loop = EventLoopImpl.current();
            Deferred<String> shared = loop.withResolvers();
            shared.promise().thenAccept(v -> {}); // a consumer of its own: the timeouts must not cancel it
            for (int i = 0; i < N; i++) {
                Promise<String> onShared = shared.promise().timeout(LONG);
                Promise<String> onOwn = loop.<String>withResolvers().promise().timeout(LONG);
                Promise<Void> delay = Promise.delay(LONG);
                onShared.cancel();
                onOwn.cancel();
                delay.cancel();
                if (i % 100 == 0) {
                    refs.add(new WeakReference<>(onShared));
                    refs.add(new WeakReference<>(onOwn));
                    refs.add(new WeakReference<>(delay));
                }
            }
            sharedPending[0] = shared.promise().isPending(); // its own consumer still needs it
            timersLeft[0] = loop.timers.size();
            timersLeft[1] = loop.timers.referencedCount();
            try {
                sharedStack[0] = stackSize((PromiseImpl<?>) shared.promise());
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(e);
            }
        }));
        assertThat(timersLeft).containsExactly(0, 0);
        assertThat(sharedPending[0]).isTrue();
        assertThat(sharedStack[0]).as("reactions left on the shared source").isEqualTo(1);
        assertThat(survivorsAfterGc(refs)).as("cancelled timeouts and delays still reachable").isZero();
    }

    @Test
    void aLongLivedSignal_keepsNoSubscriptionOfTheDelaysGuardsAndCompositesThatEnded() {
        int[] left = {-1, -1};
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> EventLoop.run(() -> {
            EventLoopImpl loop = EventLoopImpl.current();
            Signal shared = new Signal(loop);
            Signal other = new Signal(loop);
            for (int i = 0; i < N; i++) {
                Promise.delay(LONG, shared).cancel();                              // cancelled
                loop.<String>withResolvers().promise().withSignal(shared).cancel(); // cancelled
                Deferred<String> settled = loop.withResolvers();
                settled.promise().withSignal(shared).caught(e -> null);
                settled.resolve("v");                                              // settled first
                Signal composite = Signal.any(loop, List.of(shared, other));
                composite.abort(new RuntimeException("composite aborted by itself")); // it drops its sources
            }
            left[1] = other.subscriptions();
            loop.queueMicrotask(() -> left[0] = shared.subscriptions()); // after the settled guards reacted
        }));
        assertThat(left).containsExactly(0, 0);
    }
}
