package dev.eventual;

import dev.eventual.internal.PullBuffer;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Flow;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Bridges between {@link AsyncIterator} and {@link java.util.concurrent.Flow} (Reactive Streams),
 * so that Reactor, RxJava, Mutiny and the JDK's {@code SubmissionPublisher} connect to the
 * sources of this library and back, with back-pressure honoured both ways: a
 * {@link #toPublisher(AsyncIterator) publisher} asks its source for an item only when its
 * subscriber has {@code request}ed one, and an {@link #fromPublisher(Flow.Publisher) iterator}
 * over a publisher requests one item per {@code next()}.
 *
 * <p>Both sides keep all their state on the loop thread: signals and calls that arrive on other
 * threads are handed to the loop with {@link EventLoop#execute}, in the order they arrive, so
 * each side's state needs no lock and its signals are serial (Reactive Streams rule 1.3).
 */
public final class Flows {
    private Flows() {}

    /**
     * Returns {@code source} as a {@link Flow.Publisher} for one subscriber. Call it on the
     * source's loop. The subscriber receives {@code onSubscribe}, then {@code onNext} for each item
     * it requested, then {@code onComplete} at the source's end or {@code onError} with the
     * source's failure (its {@code next()} rejection reason), all on that loop's thread, as tasks
     * or microtasks of the loop, one at a time; never more items than requested (rule 1.1).
     * {@code request(n)} and {@code cancel()} may be called from any thread (on the loop's they
     * take effect inside the call; from another, as a task of the loop); a non-positive
     * {@code n} cancels the source and signals {@code onError} with an
     * {@link IllegalArgumentException} (rule 3.9). {@code cancel()} closes the source
     * ({@link AsyncIterator#close()}) and drops the reference to the subscriber (rule 3.13). A
     * subscriber method that throws is treated as a cancel. A second subscriber receives
     * {@code onSubscribe} and then {@code onError} with an {@link IllegalStateException} (the
     * source is read once). From {@code subscribe} to the terminal signal or the cancel, the
     * subscription keeps the loop alive (a subscriber that neither requests nor cancels keeps it
     * up, as an open socket would); if the loop closes first, a later {@code request} signals
     * {@code onError} with an {@link EventLoopClosedException} on the requesting thread.
     *
     * @param source the items; must not be null
     * @param <T> the type of the items
     * @return a publisher of the source's items, for one subscriber
     * @throws IllegalStateException if the calling thread runs no event loop
     */
    public static <T> Flow.Publisher<T> toPublisher(AsyncIterator<T> source) {
        Objects.requireNonNull(source, "source");
        EventLoop loop = EventLoop.current();
        AtomicBoolean subscribed = new AtomicBoolean();
        return subscriber -> {
            Objects.requireNonNull(subscriber, "subscriber"); // rule 1.9
            if (!subscribed.compareAndSet(false, true)) {
                subscriber.onSubscribe(new Flow.Subscription() {
                    @Override
                    public void request(long n) {}

                    @Override
                    public void cancel() {}
                });
                subscriber.onError(new IllegalStateException(
                        "this publisher serves one subscriber: its AsyncIterator source is read once"));
                return;
            }
            new Emitter<>(loop, source, subscriber).start();
        };
    }

    /**
     * The publisher side of one subscription. {@code subscriber}, {@code demand}, {@code pulling}
     * and {@code done} are the loop thread's; {@code terminal} is set once, by whoever signals
     * the terminal signal (the loop, or a requesting thread after the loop closed), so that only
     * one terminal signal is ever sent (rule 1.7).
     */
    private static final class Emitter<T> implements Flow.Subscription {
        private final EventLoop loop;
        private final AsyncIterator<T> source;
        private final AtomicBoolean terminal = new AtomicBoolean();
        private Flow.Subscriber<? super T> subscriber;
        private KeepAlive keepAlive;
        private long demand;
        private boolean pulling;

        Emitter(EventLoop loop, AsyncIterator<T> source, Flow.Subscriber<? super T> subscriber) {
            this.loop = loop;
            this.source = source;
            this.subscriber = subscriber;
        }

        void start() {
            onLoop(() -> {
                keepAlive = loop.keepAlive("a Flows subscription to a Flow.Publisher");
                try {
                    subscriber.onSubscribe(this);
                } catch (Throwable t) {
                    stop(); // rule 2.13: a throwing subscriber is treated as cancelled
                }
            });
        }

        @Override
        public void request(long n) {
            onLoop(() -> {
                if (subscriber == null) {
                    return; // cancelled or terminated: requests are no-ops (rules 3.6)
                }
                if (n <= 0) {
                    Flow.Subscriber<? super T> s = subscriber;
                    stop();
                    signalError(s, new IllegalArgumentException(
                            "Flow.Subscription.request(" + n + "): the count must be positive (rule 3.9)"));
                    return;
                }
                demand = demand + n < 0 ? Long.MAX_VALUE : demand + n; // rule 3.17: saturate
                pull();
            });
        }

        @Override
        public void cancel() {
            onLoop(this::stop);
        }

        /** Loop thread: asks the source for one item if the subscriber wants one and none is asked. */
        private void pull() {
            if (pulling || demand == 0 || subscriber == null) {
                return;
            }
            pulling = true;
            Promise<Optional<T>> next;
            try {
                next = source.next();
            } catch (Throwable t) {
                pulling = false;
                finish(t);
                return;
            }
            next.asCallback((error, item) -> {
                pulling = false;
                if (subscriber == null) {
                    return;
                }
                if (error != null) {
                    finish(error);
                } else if (item.isEmpty()) {
                    finish(null);
                } else {
                    demand--;
                    try {
                        subscriber.onNext(item.get());
                    } catch (Throwable t) {
                        stop();
                        return;
                    }
                    pull();
                }
            });
        }

        /** Loop thread: the source ended ({@code error} null) or failed. */
        private void finish(Throwable error) {
            Flow.Subscriber<? super T> s = subscriber;
            release();
            if (error == null) {
                if (terminal.compareAndSet(false, true)) {
                    try {
                        s.onComplete();
                    } catch (Throwable ignored) {
                        // rule 2.13: nothing left to cancel
                    }
                }
            } else {
                signalError(s, error);
            }
        }

        /** Loop thread: cancels: closes the source and forgets the subscriber. */
        private void stop() {
            if (subscriber == null) {
                return;
            }
            release();
            source.close().caught(ignored -> null); // the subscriber is gone: nobody to tell
        }

        private void release() {
            subscriber = null; // rule 3.13
            if (keepAlive != null) {
                keepAlive.close();
                keepAlive = null;
            }
        }

        private void signalError(Flow.Subscriber<? super T> s, Throwable error) {
            if (terminal.compareAndSet(false, true)) {
                try {
                    s.onError(error);
                } catch (Throwable ignored) {
                    // rule 2.13: nothing left to cancel
                }
            }
        }

        /**
         * Runs {@code action} at once on the loop thread (a subscriber calling from its signal:
         * a cancel takes effect before anything else, and a request cannot recurse, since the
         * source answers in a microtask), else on the loop, after what is queued there; fails
         * the subscription if the loop closed.
         */
        private void onLoop(Runnable action) {
            if (loop.inEventLoop()) {
                action.run();
                return;
            }
            try {
                loop.execute(action);
            } catch (RejectedExecutionException closed) {
                // The loop closed: its thread no longer writes this object, and execute refused
                // after reading the loop's volatile closed flag, written after the loop's last
                // write here, so this read sees that write. Two requesting threads may both get
                // here: the terminal flag lets one onError through (FlowsClosedLoopRaceTest).
                Flow.Subscriber<? super T> s = subscriber;
                if (s != null) {
                    signalError(s, new EventLoopClosedException("the loop " + loop.name()
                            + " of this publisher closed before the subscription ended"));
                }
            }
        }
    }

    /**
     * Returns an {@link AsyncIterator} over what {@code publisher} publishes, subscribing to it at
     * once from the calling thread, which must run an event loop. Each {@code next()} with no item
     * at hand requests exactly one item, so the publisher never sends more than the consumer
     * asked for (back-pressure); the publisher's signals may come on any thread and are handed to
     * the loop, where {@code next()}'s promise settles: it fulfils with the item, or with an
     * empty {@code Optional} after {@code onComplete}, or rejects with what {@code onError}
     * received. {@code close()} cancels the subscription (at once if it has arrived, else as soon
     * as it does). While a requested item is awaited, the loop is kept alive. Signals that
     * arrive after the loop closed are dropped; a second {@code onSubscribe} is cancelled (rule
     * 2.5); a {@code null} item throws {@link NullPointerException} from {@code onNext} (rule
     * 2.13).
     *
     * @param publisher the publisher to read; must not be null
     * @param <T> the type of the items
     * @return an iterator of the calling thread's loop over the publisher's items
     * @throws IllegalStateException if the calling thread runs no event loop
     */
    public static <T> AsyncIterator<T> fromPublisher(Flow.Publisher<? extends T> publisher) {
        Objects.requireNonNull(publisher, "publisher");
        Puller<T> puller = new Puller<>(EventLoop.current());
        publisher.subscribe(puller.subscriber());
        return puller;
    }

    /**
     * The iterator side over a publisher; what it holds and when it reports the end is
     * {@link PullBuffer}'s. Every field is the loop thread's: the publisher's signals reach it
     * through {@code execute}. The buffer holds at most the one item requested beyond what a
     * waiting {@code next()} took; a request is outstanding exactly when {@code inFlight} is
     * non-null, which holds the loop alive for it. A {@code next()} that comes before the
     * publisher's {@code onSubscribe} holds the loop alive with {@code subscribing} until the
     * subscription arrives: the publisher may call onSubscribe later, from its own thread, and a
     * run-mode loop with nothing else to do would end first.
     */
    private static final class Puller<T> extends PullBuffer<T> {
        private Flow.Subscription subscription;
        private KeepAlive inFlight;
        private KeepAlive subscribing;

        Puller(EventLoop loop) {
            super(loop);
        }

        Flow.Subscriber<T> subscriber() {
            return new Flow.Subscriber<>() {
                @Override
                public void onSubscribe(Flow.Subscription s) {
                    Objects.requireNonNull(s, "subscription");
                    onLoop(() -> subscribed(s));
                }

                @Override
                public void onNext(T item) {
                    Objects.requireNonNull(item, "item");
                    onLoop(() -> {
                        landed();
                        offer(item);
                    });
                }

                @Override
                public void onError(Throwable error) {
                    Objects.requireNonNull(error, "error");
                    onLoop(() -> {
                        landed();
                        end(error);
                    });
                }

                @Override
                public void onComplete() {
                    onLoop(() -> {
                        landed();
                        end(null);
                    });
                }
            };
        }

        private void onLoop(Runnable action) {
            try {
                loop.execute(action);
            } catch (RejectedExecutionException closed) {
                // the loop has closed: nobody reads this iterator any more
            }
        }

        private void subscribed(Flow.Subscription s) {
            if (subscription != null || isClosed()) {
                s.cancel(); // rule 2.5, or closed before the subscription arrived
                return;
            }
            subscription = s;
            if (consumerWaits()) {
                ask();
            }
            subscribed();
        }

        /** The subscription arrived, or the iterator closed: nothing to wait for it alive. */
        private void subscribed() {
            if (subscribing != null) {
                subscribing.close();
                subscribing = null;
            }
        }

        private void ask() {
            if (inFlight == null) {
                inFlight = loop.keepAlive("a Flows iterator waiting for a Flow.Publisher's next item");
                subscription.request(1);
            }
        }

        private void landed() {
            if (inFlight != null) {
                inFlight.close();
                inFlight = null;
            }
        }

        @Override
        protected void onWaiting() {
            if (subscription != null) {
                ask();
            } else if (subscribing == null) {
                subscribing = loop.keepAlive("a Flows iterator waiting for onSubscribe"); // see the class comment
            }
        }

        @Override
        protected void onClose(boolean sourceEnded) {
            landed();
            subscribed();
            if (subscription != null && !sourceEnded) {
                subscription.cancel();
            }
        }
    }
}
