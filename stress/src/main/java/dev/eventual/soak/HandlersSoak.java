package dev.eventual.soak;

import static java.util.concurrent.TimeUnit.MINUTES;

import dev.eventual.Deferred;
import dev.eventual.EventLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;

/**
 * Rule 3 at volume: {@code handlers} handlers, each on its own promise of one loop, created,
 * registered and settled by {@code producers} threads at once; every handler must run exactly
 * once, on the loop thread, with its own promise's outcome.
 *
 * <p>The producers cycle through four shapes, so each path of the settle/register race is taken
 * a quarter of the time: register then resolve (the settle hands the reactions to the loop as a
 * task), resolve then register (the registration hands itself over), register then reject, and
 * follow another promise that is resolved afterwards (adoption across threads). A semaphore
 * bounds the promises in flight, so the soak measures the handoff rather than the size of the
 * backlog; the loop releases a permit in each handler.
 *
 * <p>Counting: {@code runs[id]} is loop-confined (only handlers touch it) and read by a task of
 * the loop after every handler released its permit; a handler run twice would have run by then,
 * since its second run could only be queued before the producers finished.
 */
final class HandlersSoak {
    private static final int IN_FLIGHT = 65_536;

    private HandlersSoak() {}

    /** An id carried as a rejection reason, without the cost of a stack trace. */
    private static final class IdFailure extends RuntimeException {
        final int id;

        IdFailure(int id) {
            super(null, null, false, false);
            this.id = id;
        }
    }

    static SoakResult.Outcome run(int handlers, int producers) {
        long start = System.nanoTime();
        byte[] runs = new byte[handlers]; // loop-confined, see the class javadoc
        int[] wrong = new int[2]; // [0] wrong outcome, [1] off the loop thread; loop-confined
        Semaphore inFlight = new Semaphore(IN_FLIGHT);
        long[] counts;
        boolean drained;
        try (EventLoop loop = EventLoop.builder().name("soak-handlers").daemon(true).start()) {
            List<Thread> threads = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                int first = p;
                threads.add(Thread.ofPlatform().name("producer-" + p).start(() -> {
                    for (int id = first; id < handlers; id += producers) {
                        try {
                            if (!inFlight.tryAcquire(2, MINUTES)) {
                                return; // handlers stopped running: the drain check below fails
                            }
                        } catch (InterruptedException e) {
                            return;
                        }
                        produce(loop, id, runs, wrong, inFlight);
                    }
                }));
            }
            for (Thread t : threads) {
                t.join();
            }
            drained = inFlight.tryAcquire(IN_FLIGHT, 2, MINUTES);
            counts = loop.submit(() -> {
                long lost = 0;
                long twice = 0;
                for (byte r : runs) {
                    if (r == 0) {
                        lost++;
                    } else if (r > 1) {
                        twice++;
                    }
                }
                return new long[] {lost, twice, wrong[0], wrong[1]};
            }).toCompletableFuture().get(1, MINUTES);
        } catch (Exception e) {
            throw new IllegalStateException("soak 'handlers' could not finish", e);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        boolean passed = drained && counts[0] == 0 && counts[1] == 0 && counts[2] == 0 && counts[3] == 0;
        String figures = SoakResult.count(handlers) + " handlers from " + producers + " producer threads"
                + " (a quarter each: register then resolve, resolve then register, reject, follow);"
                + " lost " + counts[0] + ", run twice " + counts[1] + ", wrong outcome " + counts[2]
                + ", off the loop thread " + counts[3] + "; " + SoakResult.count(Math.round(handlers / seconds))
                + " handlers/s" + (drained ? "" : "; NOT DRAINED: handlers missing 2 minutes after the producers ended");
        return new SoakResult.Outcome(passed, figures);
    }

    /** Creates promise {@code id} in one of four shapes; its handler records the outcome. */
    private static void produce(EventLoop loop, int id, byte[] runs, int[] wrong, Semaphore inFlight) {
        Deferred<Integer> d = loop.withResolvers();
        switch (id & 3) {
            case 0 -> {
                d.promise().thenAccept(v -> record(loop, runs, wrong, inFlight, id, v));
                d.resolve(id);
            }
            case 1 -> {
                d.resolve(id);
                d.promise().thenAccept(v -> record(loop, runs, wrong, inFlight, id, v));
            }
            case 2 -> {
                d.promise().caught(e -> {
                    record(loop, runs, wrong, inFlight, id, e instanceof IdFailure f ? f.id : -1);
                    return null;
                });
                d.reject(new IdFailure(id));
            }
            default -> {
                Deferred<Integer> source = loop.withResolvers();
                d.follow(source.promise());
                d.promise().asCallback((error, v) -> record(loop, runs, wrong, inFlight, id, error == null ? v : -1));
                source.resolve(id);
            }
        }
    }

    /** A handler's body; on the loop thread (checked). */
    private static void record(EventLoop loop, byte[] runs, int[] wrong, Semaphore inFlight, int id, int seen) {
        if (seen != id) {
            wrong[0]++;
        }
        if (!loop.inEventLoop()) {
            wrong[1]++; // racy if it ever happens, but then it is already a failure
        }
        if (runs[id] < Byte.MAX_VALUE) {
            runs[id]++;
        }
        inFlight.release();
    }
}
