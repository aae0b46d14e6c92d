package dev.eventual.tck;

import dev.eventual.AsyncIterator;
import dev.eventual.EventLoop;
import dev.eventual.Flows;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicReference;
import org.reactivestreams.tck.TestEnvironment;
import org.reactivestreams.tck.flow.FlowSubscriberBlackboxVerification;
import org.testng.annotations.AfterClass;

/**
 * The Reactive Streams TCK's subscriber rules (black box) against the subscriber behind
 * {@link Flows#fromPublisher}: the TCK's request trigger is a {@code next()} of the iterator on
 * its loop (one at a time: a trigger while one is pending asks again once it settles); run by
 * {@link FlowsTckTest}.
 */
public class FlowsSubscriberVerification extends FlowSubscriberBlackboxVerification<Integer> {
    private final EventLoop loop = EventLoop.start("tck-subscriber");
    private final Map<Flow.Subscriber<?>, Reader> readers = new ConcurrentHashMap<>();

    public FlowsSubscriberVerification() {
        super(new TestEnvironment(2000, 50));
    }

    @AfterClass(alwaysRun = true)
    public void closeLoop() {
        loop.close();
    }

    /** Loop thread only: the iterator and how many next() calls are still wanted. */
    private static final class Reader {
        final AsyncIterator<Integer> iterator;
        int wanted;
        boolean pending;

        Reader(AsyncIterator<Integer> iterator) {
            this.iterator = iterator;
        }

        void want() {
            wanted++;
            pull();
        }

        private void pull() {
            if (pending || wanted == 0) {
                return;
            }
            wanted--;
            pending = true;
            iterator.next().asCallback((error, item) -> {
                pending = false;
                if (error == null && item.isPresent()) {
                    pull();
                }
            });
        }
    }

    @Override
    public Flow.Subscriber<Integer> createFlowSubscriber() {
        return loop.submit(() -> {
            AtomicReference<Flow.Subscriber<? super Integer>> captured = new AtomicReference<>();
            Flow.Publisher<Integer> capturing = captured::set;
            AsyncIterator<Integer> iterator = Flows.fromPublisher(capturing);
            @SuppressWarnings("unchecked")
            Flow.Subscriber<Integer> subscriber = (Flow.Subscriber<Integer>) captured.get();
            readers.put(subscriber, new Reader(iterator));
            return subscriber;
        }).toCompletableFuture().join();
    }

    @Override
    public void triggerFlowRequest(Flow.Subscriber<? super Integer> subscriber) {
        Reader reader = readers.get(subscriber);
        loop.execute(reader::want);
    }

    @Override
    public Integer createElement(int element) {
        return element;
    }
}
