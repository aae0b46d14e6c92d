package dev.eventual.soak;

import static dev.eventual.Async.async;
import static dev.eventual.Async.await;
import static java.util.concurrent.TimeUnit.MINUTES;

import dev.eventual.Deferred;
import dev.eventual.EventLoop;
import dev.eventual.Promise;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;

/**
 * Leaks: {@code promises} pending promises that nobody can settle any more (their resolving
 * functions dropped) must be collectable while their loop keeps running, as in JavaScript: the
 * loop holds no reference to a pending promise of its own. Counted with weak references after a
 * full GC ({@link Heap}), not estimated from the heap size.
 *
 * <p>Half are made on the soak's thread, half in tasks of the loop, in five shapes: a bare
 * pending promise; one with a two-link {@code then} chain; one with an {@code asCallback}
 * handler; one following another pending promise; two pending inputs of {@code Promise.all} and
 * {@code Promise.race}. Every promise made (inputs, derived links, combinator results) is
 * counted.
 *
 * <p>Two kinds are kept reachable by the loop on purpose until they settle or the loop closes,
 * and are measured separately ({@code UNTIL_CLOSE} of each): a pending promise whose
 * {@code toCompletableFuture()} was taken (the loop must complete that future with
 * {@code EventLoopClosedException} when it closes, so it cannot forget the promise), and an
 * async body suspended in {@code await} (the loop ends it when it closes). Both must be
 * collectable once the loop has closed.
 */
final class AbandonedSoak {
    private static final int BATCH = 10_000;
    private static final int UNTIL_CLOSE = 10_000;

    private AbandonedSoak() {}

    static SoakResult.Outcome run(int promises) {
        List<WeakReference<Object>> collectable = new ArrayList<>(2 * promises);
        List<WeakReference<Object>> untilClose = new ArrayList<>(3 * UNTIL_CLOSE);
        List<Object> strong = new ArrayList<>(2 * promises);
        double heapHeld;
        long retainedWhileRunning;
        long keptWhileRunning;
        long retainedAfterClose;
        EventLoop loop = EventLoop.builder().name("soak-abandoned").daemon(true).start();
        try {
            int offLoop = promises / 2;
            for (int i = 0; i < offLoop; i++) {
                make(i, loop, collectable, strong);
            }
            for (int first = offLoop; first < promises; first += BATCH) {
                int from = first;
                int to = Math.min(promises, first + BATCH);
                List<Object> made = loop.submit(() -> {
                    List<Object> batch = new ArrayList<>();
                    List<WeakReference<Object>> refs = new ArrayList<>();
                    for (int i = from; i < to; i++) {
                        make(i, loop, refs, batch);
                    }
                    batch.add(refs);
                    return batch;
                }).toCompletableFuture().get(1, MINUTES);
                @SuppressWarnings("unchecked")
                List<WeakReference<Object>> refs = (List<WeakReference<Object>>) made.remove(made.size() - 1);
                collectable.addAll(refs);
                strong.addAll(made);
            }
            loop.submit(() -> {
                for (int i = 0; i < UNTIL_CLOSE; i++) {
                    Deferred<Integer> watched = loop.withResolvers();
                    untilClose.add(new WeakReference<>(watched.promise()));
                    untilClose.add(new WeakReference<>(watched.promise().toCompletableFuture()));
                    Deferred<Integer> awaited = loop.withResolvers();
                    untilClose.add(new WeakReference<>(async(() -> await(awaited.promise()))));
                }
                return null;
            }).toCompletableFuture().get(1, MINUTES);
            // Whatever the loop was handed (adoption jobs, handoffs) has run once this task has.
            loop.submit(() -> null).toCompletableFuture().get(1, MINUTES);
            heapHeld = Heap.usedAfterGcMb();
            strong.clear();
            Heap.usedAfterGcMb();
            retainedWhileRunning = alive(collectable);
            keptWhileRunning = alive(untilClose);
        } catch (Exception e) {
            throw new IllegalStateException("soak 'abandoned' could not finish", e);
        } finally {
            loop.close();
        }
        Heap.usedAfterGcMb();
        retainedAfterClose = alive(untilClose);
        int counted = collectable.size();
        int countedUntilClose = untilClose.size();
        collectable.clear();
        untilClose.clear();
        boolean passed = retainedWhileRunning == 0 && retainedAfterClose == 0;
        String figures = SoakResult.count(promises) + " pending promises abandoned on a running loop ("
                + SoakResult.count(counted) + " objects counted with inputs and derived links): "
                + SoakResult.count(retainedWhileRunning) + " still reachable after GC; heap with them held "
                + String.format(java.util.Locale.ROOT, "%.1f", heapHeld) + " MB. Kept until close by design: "
                + SoakResult.count(UNTIL_CLOSE) + " with toCompletableFuture() and " + SoakResult.count(UNTIL_CLOSE)
                + " async bodies suspended in await: " + SoakResult.count(keptWhileRunning) + " of "
                + SoakResult.count(countedUntilClose) + " reachable while running, "
                + SoakResult.count(retainedAfterClose) + " after close";
        return new SoakResult.Outcome(passed, figures);
    }

    /** Makes pending promise {@code i} in one of five shapes; counts what it made in {@code refs}. */
    private static void make(int i, EventLoop loop, List<WeakReference<Object>> refs, List<Object> strong) {
        Deferred<Integer> d = loop.withResolvers();
        Promise<Integer> p = d.promise();
        track(p, refs, strong);
        switch (i % 5) {
            case 0 -> { }
            case 1 -> track(p.then(v -> v + 1).then(v -> v * 2), refs, strong);
            case 2 -> p.asCallback((error, value) -> { });
            case 3 -> {
                Deferred<Integer> followed = loop.withResolvers();
                d.follow(followed.promise());
                track(followed.promise(), refs, strong);
            }
            default -> {
                Deferred<Integer> other = loop.withResolvers();
                track(other.promise(), refs, strong);
                track(Promise.all(p, other.promise()), refs, strong);
                track(Promise.race(p, other.promise()), refs, strong);
            }
        }
    }

    private static void track(Object o, List<WeakReference<Object>> refs, List<Object> strong) {
        refs.add(new WeakReference<>(o));
        strong.add(o);
    }

    private static long alive(List<WeakReference<Object>> refs) {
        return refs.stream().filter(r -> r.get() != null).count();
    }
}
