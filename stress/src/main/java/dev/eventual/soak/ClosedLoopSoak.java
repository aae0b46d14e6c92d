package dev.eventual.soak;

import static dev.eventual.Async.async;
import static dev.eventual.Async.await;
import static java.util.concurrent.TimeUnit.MINUTES;

import dev.eventual.Deferred;
import dev.eventual.EventLoop;
import dev.eventual.EventLoopClosedException;
import dev.eventual.Promise;
import dev.eventual.Settled;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Rule 7 at volume: {@code promises} promises pending on a loop when it closes must all reject
 * with {@link EventLoopClosedException}; nobody is left waiting. Made by 4 threads and by the
 * loop itself, in five shapes: bare; with a {@code then} handler (the derived promise must reject
 * too, and the handler must not run); with {@code toCompletableFuture()} (the future must
 * complete exceptionally by the time {@code close()} returns); with an {@code asCallback}
 * handler (it must not run: there is no loop thread left); following another pending promise
 * (both must reject). One in a hundred of the loop's own is awaited by an async body, whose
 * {@code await} must throw {@code EventLoopClosedException} during the close. After the close,
 * every resolving function must report that it lost.
 */
final class ClosedLoopSoak {
    private static final int THREADS = 4;

    private ClosedLoopSoak() {}

    /** What one maker made; confined to the maker until handed over by join or a future. */
    private static final class Made {
        final List<Deferred<Integer>> deferreds = new ArrayList<>();
        final List<Promise<?>> promises = new ArrayList<>();
        final List<CompletableFuture<?>> futures = new ArrayList<>();
        /** Promises made pending on purpose (not counting the ones they follow or derive). */
        int pending;
    }

    static SoakResult.Outcome run(int promises) {
        AtomicInteger handlersRun = new AtomicInteger();
        AtomicInteger bodiesStarted = new AtomicInteger();
        AtomicInteger bodiesEnded = new AtomicInteger();
        List<Made> all = new ArrayList<>();
        double closeMillis;
        EventLoop loop = EventLoop.builder().name("soak-closed").daemon(true).start();
        try {
            int share = promises / (THREADS + 1);
            List<Thread> makers = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                Made made = new Made();
                all.add(made);
                makers.add(Thread.ofPlatform().name("maker-" + t).start(() -> {
                    for (int i = 0; i < share; i++) {
                        make(i, loop, made, handlersRun);
                    }
                }));
            }
            int onLoop = promises - THREADS * share;
            all.add(loop.submit(() -> {
                Made made = new Made();
                for (int i = 0; i < onLoop; i++) {
                    make(i, loop, made, handlersRun);
                    if (i % 100 == 0) {
                        Promise<Integer> awaited = made.deferreds.get(made.deferreds.size() - 1).promise();
                        bodiesStarted.incrementAndGet();
                        made.promises.add(async(() -> {
                            try {
                                return await(awaited);
                            } catch (EventLoopClosedException e) {
                                bodiesEnded.incrementAndGet();
                                throw e;
                            }
                        }));
                    }
                }
                return made;
            }).toCompletableFuture().get(1, MINUTES));
            for (Thread t : makers) {
                t.join();
            }
            loop.submit(() -> null).toCompletableFuture().get(1, MINUTES); // handoffs so far have run
        } catch (Exception e) {
            loop.close();
            throw new IllegalStateException("soak 'closed' could not finish", e);
        }
        long closeStart = System.nanoTime();
        loop.close();
        closeMillis = (System.nanoTime() - closeStart) / 1e6;

        long pending = 0;
        long checked = 0;
        long notRejectedAsClosed = 0;
        long futuresNotFailed = 0;
        long lateWins = 0;
        for (Made made : all) {
            pending += made.pending;
            for (Promise<?> p : made.promises) {
                checked++;
                if (!rejectedAsClosed(p.peek())) {
                    notRejectedAsClosed++;
                }
            }
            for (CompletableFuture<?> f : made.futures) {
                if (f.state() != Future.State.FAILED || !(f.exceptionNow() instanceof EventLoopClosedException)) {
                    futuresNotFailed++;
                }
            }
            for (Deferred<Integer> d : made.deferreds) {
                if (d.tryResolve(0) || d.tryReject(new IllegalStateException("too late"))) {
                    lateWins++;
                }
            }
        }
        long futures = all.stream().mapToLong(m -> m.futures.size()).sum();
        all.clear();
        int bodies = bodiesStarted.get();
        boolean passed = pending == promises && notRejectedAsClosed == 0 && futuresNotFailed == 0 && lateWins == 0
                && handlersRun.get() == 0 && bodiesEnded.get() == bodies;
        String figures = SoakResult.count(pending) + " promises pending at close, made by " + THREADS
                + " threads and the loop (" + SoakResult.count(checked) + " checked with derived, followed and body"
                + " promises): " + SoakResult.count(checked - notRejectedAsClosed) + " rejected with"
                + " EventLoopClosedException, " + SoakResult.count(notRejectedAsClosed) + " not; "
                + SoakResult.count(futures - futuresNotFailed) + " of " + SoakResult.count(futures)
                + " toCompletableFuture() futures failed by the time close() returned; " + bodiesEnded.get() + " of "
                + bodies + " suspended async bodies ended by the close; handlers run " + handlersRun.get()
                + "; settles after close that won " + lateWins + "; close() took "
                + String.format(java.util.Locale.ROOT, "%.0f", closeMillis) + " ms";
        return new SoakResult.Outcome(passed, figures);
    }

    private static void make(int i, EventLoop loop, Made made, AtomicInteger handlersRun) {
        Deferred<Integer> d = loop.withResolvers();
        made.deferreds.add(d);
        made.pending++;
        Promise<Integer> p = d.promise();
        made.promises.add(p);
        switch (i % 5) {
            case 0 -> { }
            case 1 -> made.promises.add(p.then(v -> {
                handlersRun.incrementAndGet();
                return v;
            }));
            case 2 -> made.futures.add(p.toCompletableFuture());
            case 3 -> p.asCallback((error, value) -> handlersRun.incrementAndGet());
            default -> {
                Deferred<Integer> followed = loop.withResolvers();
                d.follow(followed.promise());
                made.deferreds.add(followed);
                made.promises.add(followed.promise());
            }
        }
    }

    private static boolean rejectedAsClosed(Optional<? extends Settled<?>> outcome) {
        return outcome.isPresent() && outcome.get() instanceof Settled.Rejected<?> r
                && r.reason() instanceof EventLoopClosedException;
    }
}
