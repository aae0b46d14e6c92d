package dev.eventual;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A promise of one loop that waits on a promise of another loop (a combinator's input, an
 * adopted promise, a {@code thenCompose} result) is outside work in flight for its own loop:
 * {@code run} does not return before the hand-off arrives (rule 7), and when the other loop
 * closes first, the waiting promise rejects with {@link EventLoopClosedException} instead of
 * staying pending forever.
 */
class CrossLoopWaitTest {

    /** Each way a promise of the running loop can wait on a promise of another loop. */
    enum Wait {
        ALL(p -> Promise.all(List.of(p)).then(List::getFirst)),
        ALL_SETTLED(p -> Promise.allSettled(List.of(p)).then(s -> valueOrThrow(s.getFirst()))),
        ANY(p -> Promise.any(List.of(p))),
        RACE(p -> Promise.race(List.of(p))),
        RESOLVE(p -> Promise.<Object>resolve(p).then(v -> (String) v)),
        FOLLOW(p -> {
            Deferred<String> d = EventLoop.current().withResolvers();
            d.follow(p);
            return d.promise();
        }),
        THEN_COMPOSE(p -> EventLoop.current().resolved("x").thenCompose(x -> p));

        final Function<Promise<String>, Promise<String>> wait;

        Wait(Function<Promise<String>, Promise<String>> wait) {
            this.wait = wait;
        }
    }

    private EventLoop other;

    @BeforeEach
    void startOther() {
        other = EventLoop.start("other");
    }

    @AfterEach
    void closeOther() {
        other.close();
    }

    @ParameterizedTest
    @EnumSource(Wait.class)
    void runWaitsForAPromiseOfAnotherLoop(Wait kind) {
        CountDownLatch go = new CountDownLatch(1);
        Promise<String> elsewhere = other.submit(() -> {
            go.await();
            return "from other";
        });
        List<String> log = new CopyOnWriteArrayList<>();
        EventLoop.run(() -> {
            kind.wait.apply(elsewhere).thenAccept(v -> log.add(Thread.currentThread().getName() + ": " + v));
            EventLoop.current().setTimeout(go::countDown, 50); // settles after this loop's own work is gone
        });
        assertThat(log).containsExactly(Thread.currentThread().getName() + ": from other");
    }

    /**
     * The hand-off races the run loop's idle check: the other loop posts the outcome, then
     * releases the keep-alive, and the run loop reads keep-alives before its queue, so it never
     * ends between the two. Many short runs, each settling at once on the other loop.
     */
    @Test
    void handOffNeverLetsRunEndEarly() {
        int runs = 2_000;
        int[] delivered = new int[1];
        for (int i = 0; i < runs; i++) {
            Wait kind = Wait.values()[i % Wait.values().length];
            int n = i;
            EventLoop.run(() -> kind.wait.apply(other.submit(() -> "v" + n)).thenAccept(v -> delivered[0]++));
        }
        assertThat(delivered[0]).isEqualTo(runs);
    }

    @ParameterizedTest
    @EnumSource(Wait.class)
    void closingTheOtherLoopRejectsTheWaitingPromise(Wait kind) {
        Promise<String> never = other.<String>withResolvers().promise();
        List<String> log = new CopyOnWriteArrayList<>();
        EventLoop.run(() -> {
            kind.wait.apply(never).then(
                    v -> log.add("fulfilled " + v),
                    e -> log.add("rejected " + rootCause(e).getClass().getSimpleName()));
            EventLoop.current().setTimeout(() -> other.close(), 50); // returns at once from a callback
        });
        assertThat(log).containsExactly("rejected EventLoopClosedException");
    }

    private static String valueOrThrow(Settled<String> outcome) {
        return switch (outcome) {
            case Settled.Fulfilled<String> f -> f.value();
            case Settled.Rejected<String> r -> throw (RuntimeException) r.reason();
        };
    }

    /** The reason itself, or for {@code any} the one reason its AggregateException holds. */
    private static Throwable rootCause(Throwable e) {
        return e instanceof AggregateException all ? all.errors().getFirst() : e;
    }
}
