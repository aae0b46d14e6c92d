package dev.eventual.tck;

import dev.eventual.AsyncIterator;
import dev.eventual.EventLoop;
import dev.eventual.Flows;
import dev.eventual.Promise;
import java.util.Optional;
import java.util.concurrent.Flow;
import org.reactivestreams.tck.TestEnvironment;
import org.reactivestreams.tck.flow.FlowPublisherVerification;
import org.testng.annotations.AfterClass;

/**
 * The Reactive Streams TCK's publisher rules against {@link Flows#toPublisher}: each publisher
 * reads a counting source on a loop started for the test; run by {@link FlowsTckTest}.
 */
public class FlowsPublisherVerification extends FlowPublisherVerification<Long> {
    private final EventLoop loop = EventLoop.start("tck-publisher");

    public FlowsPublisherVerification() {
        // Signals must come within 2 s (a liveness bound); "no signal" is checked for 50 ms.
        super(new TestEnvironment(2000, 50));
    }

    @AfterClass(alwaysRun = true)
    public void closeLoop() {
        loop.close();
    }

    @Override
    public Flow.Publisher<Long> createFlowPublisher(long elements) {
        return loop.submit(() -> Flows.toPublisher(counting(elements, null))).toCompletableFuture().join();
    }

    /**
     * None (the TCK then skips the failed-publisher rules 1.4 and 1.9): the TCK's failed publisher
     * must signal {@code onError} to a subscriber that requests nothing, but a publisher over an
     * {@link AsyncIterator} learns of its source's failure only from a {@code next()}, which it
     * calls only on demand; its failure on demand is checked by FlowsTest instead.
     */
    @Override
    public Flow.Publisher<Long> createFailedFlowPublisher() {
        return null;
    }

    @Override
    public long maxElementsFromPublisher() {
        return Long.MAX_VALUE - 1;
    }

    static AsyncIterator<Long> counting(long n, RuntimeException failure) {
        return new AsyncIterator<>() {
            private long i;

            @Override
            public Promise<Optional<Long>> next() {
                if (failure != null) {
                    return Promise.reject(failure);
                }
                return Promise.resolve(i < n ? Optional.of(i++) : Optional.empty());
            }

            @Override
            public Promise<Void> close() {
                return Promise.resolve(null);
            }
        };
    }
}
