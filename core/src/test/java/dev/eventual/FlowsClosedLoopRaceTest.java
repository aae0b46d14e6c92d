package dev.eventual;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The one cross-thread path of {@link Flows#toPublisher}: after the publisher's loop closed, a
 * {@code request} from another thread cannot run on the loop and signals {@code onError} itself.
 * Two threads doing that at once: the terminal flag's compare-and-set lets exactly one
 * {@code onError} through (rule 1.7), whichever thread wins.
 */
class FlowsClosedLoopRaceTest {

    /** A source that never ends and is never asked: the requests all come after the close. */
    private static final class Idle implements AsyncIterator<Integer> {
        @Override
        public Promise<Optional<Integer>> next() {
            return Promise.<Optional<Integer>>withResolvers().promise();
        }

        @Override
        public Promise<Void> close() {
            return Promise.resolve(null);
        }
    }

    @Test
    void requestsRacingAfterTheLoopClosed_sendExactlyOneOnError() throws Exception {
        for (int round = 0; round < 300; round++) {
            EventLoop loop = EventLoop.builder().name("flows-race").daemon(true).start();
            AtomicReference<Flow.Subscription> subscription = new AtomicReference<>();
            AtomicInteger errors = new AtomicInteger();
            AtomicInteger others = new AtomicInteger();
            loop.submit(() -> {
                Flows.toPublisher(new Idle()).subscribe(new Flow.Subscriber<Integer>() {
                    @Override
                    public void onSubscribe(Flow.Subscription s) {
                        subscription.set(s);
                    }

                    @Override
                    public void onNext(Integer item) {
                        others.incrementAndGet();
                    }

                    @Override
                    public void onError(Throwable error) {
                        assertThat(error).isInstanceOf(EventLoopClosedException.class);
                        errors.incrementAndGet();
                    }

                    @Override
                    public void onComplete() {
                        others.incrementAndGet();
                    }
                });
                return null;
            }).toCompletableFuture().get();
            // onSubscribe runs on the loop, in the same task or a later one: wait for it.
            loop.submit(() -> null).toCompletableFuture().get();
            Flow.Subscription s = subscription.get();
            assertThat(s).as("round %d: subscribed", round).isNotNull();
            loop.close();

            CountDownLatch go = new CountDownLatch(1);
            Thread[] requesters = new Thread[2];
            for (int i = 0; i < requesters.length; i++) {
                requesters[i] = Thread.ofPlatform().start(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                    s.request(1);
                });
            }
            go.countDown();
            for (Thread t : requesters) {
                t.join();
            }
            assertThat(errors.get()).as("round %d: onError signals", round).isEqualTo(1);
            assertThat(others.get()).as("round %d: other signals", round).isZero();
        }
    }
}
