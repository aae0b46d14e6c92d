package dev.eventual;

import static dev.eventual.Async.async;
import static dev.eventual.Async.await;
import static dev.eventual.Async.iterate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Flow;
import java.util.concurrent.SubmissionPublisher;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * {@link Flows} against the Reactive Streams rules it states (the TCK itself is not wired into
 * this build): 1.1 no more than requested, 1.3 serial signals on the loop, 1.7 nothing after a
 * terminal signal, 3.9 a non-positive request fails the subscription, 3.13 cancel closes the
 * source and forgets the subscriber; and the iterator over a publisher requests one item per
 * step.
 */
class FlowsTest {
    /** A source of 0..n-1 that logs its calls. */
    private static final class Counting implements AsyncIterator<Integer> {
        final int n;
        int i;
        int nexts;
        boolean closed;

        Counting(int n) {
            this.n = n;
        }

        @Override
        public Promise<Optional<Integer>> next() {
            nexts++;
            return Promise.resolve(i < n ? Optional.of(i++) : Optional.empty());
        }

        @Override
        public Promise<Void> close() {
            closed = true;
            return Promise.resolve(null);
        }
    }

    /** Records every signal, with the thread and whether two overlapped. */
    private static final class Recorder implements Flow.Subscriber<Integer> {
        final List<String> log = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger inside = new AtomicInteger();
        final AtomicReference<Flow.Subscription> subscription = new AtomicReference<>();
        final List<Thread> threads = Collections.synchronizedList(new ArrayList<>());
        volatile boolean overlapped;

        private void enter(String what) {
            if (inside.incrementAndGet() != 1) {
                overlapped = true;
            }
            threads.add(Thread.currentThread());
            log.add(what);
            inside.decrementAndGet();
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription.set(s);
            enter("subscribe");
        }

        @Override
        public void onNext(Integer item) {
            enter("next " + item);
        }

        @Override
        public void onError(Throwable error) {
            enter("error " + error.getClass().getSimpleName());
        }

        @Override
        public void onComplete() {
            enter("complete");
        }
    }

    private static void run(Runnable main) {
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> EventLoop.run(main), "EventLoop.run did not return");
    }

    @Test
    void publisher_sendsNoMoreThanRequested_onTheLoopThread_thenCompletesOnce() {
        Counting source = new Counting(5);
        Recorder r = new Recorder();
        AtomicReference<Thread> loopThread = new AtomicReference<>();
        run(() -> {
            loopThread.set(Thread.currentThread());
            Flows.toPublisher(source).subscribe(r);
            Promise.delay(Duration.ofMillis(20)).thenAccept(v -> {
                r.log.add("requested 2");
                r.subscription.get().request(2);
            }).thenCompose(v -> Promise.delay(Duration.ofMillis(20))).thenAccept(v -> {
                r.log.add("nexts asked of the source " + source.nexts);
                // from another thread: handed to the loop
                Thread t = Thread.ofPlatform().start(() -> r.subscription.get().request(Long.MAX_VALUE));
                try {
                    t.join();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            }).thenCompose(v -> Promise.delay(Duration.ofMillis(20))).thenAccept(v -> {
                r.subscription.get().request(3); // after the terminal signal: nothing (rule 1.7)
            });
        });
        assertThat(r.log).containsExactly("subscribe", "requested 2", "next 0", "next 1",
                "nexts asked of the source 2", "next 2", "next 3", "next 4", "complete");
        assertThat(r.threads).allMatch(t -> t == loopThread.get());
        assertThat(r.overlapped).isFalse();
    }

    @Test
    void publisher_aNonPositiveRequest_failsTheSubscription_andClosesTheSource() {
        Counting source = new Counting(5);
        Recorder r = new Recorder();
        run(() -> {
            Flows.toPublisher(source).subscribe(r);
            Promise.delay(Duration.ofMillis(10)).thenAccept(v -> {
                r.subscription.get().request(1);
                r.subscription.get().request(0);
                r.subscription.get().request(5);
            });
        });
        assertThat(r.log).containsExactly("subscribe", "error IllegalArgumentException");
        assertThat(source.closed).isTrue();
    }

    @Test
    void publisher_cancel_closesTheSource_andNothingFollows() {
        Counting source = new Counting(100);
        Recorder r = new Recorder();
        run(() -> {
            Flows.toPublisher(source).subscribe(new Flow.Subscriber<Integer>() {
                @Override
                public void onSubscribe(Flow.Subscription s) {
                    r.onSubscribe(s);
                    s.request(10);
                }

                @Override
                public void onNext(Integer item) {
                    r.onNext(item);
                    if (item == 2) {
                        r.subscription.get().cancel();
                    }
                }

                @Override
                public void onError(Throwable error) {
                    r.onError(error);
                }

                @Override
                public void onComplete() {
                    r.onComplete();
                }
            });
        });
        assertThat(r.log).containsExactly("subscribe", "next 0", "next 1", "next 2");
        assertThat(source.closed).isTrue();
        assertThat(source.nexts).isEqualTo(3);
    }

    @Test
    void publisher_aSecondSubscriber_isRefused() {
        Counting source = new Counting(1);
        Recorder second = new Recorder();
        run(() -> {
            Flow.Publisher<Integer> p = Flows.toPublisher(source);
            Recorder first = new Recorder();
            p.subscribe(first);
            p.subscribe(second);
            // the first subscription keeps the loop up until it ends
            Promise.delay(Duration.ofMillis(10)).thenAccept(v -> first.subscription.get().cancel());
        });
        assertThat(second.log).containsExactly("subscribe", "error IllegalStateException");
    }

    @Test
    void iteratorOverAPublisher_requestsOneItemPerStep_inAForLoop() {
        List<Integer> got = new ArrayList<>();
        AtomicLong requested = new AtomicLong();
        AtomicLong maxAhead = new AtomicLong();
        run(() -> async(() -> {
            SubmissionPublisher<Integer> publisher = new SubmissionPublisher<>();
            Flow.Publisher<Integer> counted = s -> publisher.subscribe(new Flow.Subscriber<Integer>() {
                @Override
                public void onSubscribe(Flow.Subscription sub) {
                    s.onSubscribe(new Flow.Subscription() {
                        @Override
                        public void request(long n) {
                            requested.addAndGet(n);
                            sub.request(n);
                        }

                        @Override
                        public void cancel() {
                            sub.cancel();
                        }
                    });
                }

                @Override
                public void onNext(Integer item) {
                    s.onNext(item);
                }

                @Override
                public void onError(Throwable error) {
                    s.onError(error);
                }

                @Override
                public void onComplete() {
                    s.onComplete();
                }
            });
            AsyncIterator<Integer> it = Flows.fromPublisher(counted);
            Thread producer = Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 200; i++) {
                    publisher.submit(i);
                }
                publisher.close();
            });
            try (var items = iterate(it)) {
                for (int x : items) {
                    got.add(x);
                    maxAhead.accumulateAndGet(requested.get() - got.size(), Math::max);
                }
            }
            producer.join();
        }));
        assertThat(got).hasSize(200);
        assertThat(got).isSorted();
        assertThat(maxAhead.get()).isLessThanOrEqualTo(1);
    }

    @Test
    void iteratorOverAPublisher_closeCancelsTheSubscription() {
        AtomicReference<String> seen = new AtomicReference<>("");
        run(() -> async(() -> {
            SubmissionPublisher<Integer> publisher = new SubmissionPublisher<>();
            AsyncIterator<Integer> it = Flows.fromPublisher(publisher);
            Thread producer = Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 10_000 && !publisher.isClosed(); i++) {
                    publisher.submit(i);
                    if (!publisher.hasSubscribers()) {
                        break;
                    }
                }
            });
            try (var items = iterate(it)) {
                for (int x : items) {
                    if (x == 3) {
                        break;
                    }
                }
            }
            producer.join();
            // the cancel reaches the publisher, which then drops its subscriber
            for (int i = 0; i < 500 && publisher.hasSubscribers(); i++) {
                await(Promise.delay(Duration.ofMillis(10)));
            }
            seen.set("subscribers after break: " + publisher.getNumberOfSubscribers());
            publisher.close();
        }));
        assertThat(seen.get()).isEqualTo("subscribers after break: 0");
    }

    @Test
    void roundTrip_publisherOfAnIterator_readBackAsAnIterator() {
        List<Integer> got = new ArrayList<>();
        run(() -> async(() -> {
            try (var items = iterate(Flows.fromPublisher(Flows.toPublisher(new Counting(50))))) {
                for (int x : items) {
                    got.add(x);
                }
            }
        }));
        assertThat(got).hasSize(50).isSorted();
    }

    @Test
    void aNextBeforeTheSubscriptionArrives_keepsTheRunLoopAliveUntilItDoes() {
        // The publisher calls onSubscribe 100 ms later, from its own thread: meanwhile the only
        // work of the loop is the next() the async body awaits, which must keep the loop alive.
        Flow.Publisher<Integer> late = s -> Thread.ofPlatform().start(() -> {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            s.onSubscribe(new Flow.Subscription() {
                boolean sent;

                @Override
                public void request(long n) {
                    if (!sent) {
                        sent = true;
                        s.onNext(42);
                        s.onComplete();
                    }
                }

                @Override
                public void cancel() {}
            });
        });
        AtomicReference<Optional<Integer>> first = new AtomicReference<>();
        EventLoop.run(() -> async(() -> {
            first.set(await(Flows.fromPublisher(late).next()));
            return null;
        }));
        assertThat(first.get()).contains(42);
    }
}
