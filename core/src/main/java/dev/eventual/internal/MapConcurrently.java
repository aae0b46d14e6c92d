package dev.eventual.internal;

import dev.eventual.Promise;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * The promise of {@code Promise.map(items, concurrency, mapper)}: npm's {@code p-map} with its
 * default {@code stopOnError: true}. Keeps at most {@code concurrency} mapper promises in flight,
 * pulling the next item only when one settles, and fulfils with the values in item order.
 *
 * <pre>
 * Overview
 *
 * Everything after construction is confined to this promise's loop thread: the iterator (pulled
 * lazily, so an endless or expensive iterable is fine), {@code values} (one slot per item pulled,
 * the encoded value once its mapper's promise fulfils), {@code inFlight} (the mapper promises not
 * yet settled, for cancellation) and {@code exhausted}. One {@link Item} reaction per item knows
 * its index; a mapper promise of another loop reacts there and is handed to this loop, which a
 * KeepAlive keeps running meanwhile (rule 7).
 *
 * Start: the first fill() is a microtask, so the mapper never runs inside the map() call (p-map
 * calls it after awaiting the item). Then each settled item fills the freed slot, in the
 * reaction's microtask. The first failure (a mapper's rejection, a mapper that throws or returns
 * null, an iterator that throws) rejects the result and stops pulling; the mappers in flight are
 * left to finish and their outcomes ignored, as p-map and Promise.all leave them. Cancelling the
 * result (or a signal through withSignal) stops pulling and releases the mappers in flight under
 * the consumer rule (rule 6).
 * </pre>
 */
public final class MapConcurrently<T, R> extends PromiseImpl<List<R>> {
    private final Iterator<? extends T> items;
    private final Function<? super T, ? extends Promise<? extends R>> mapper;
    private final int concurrency;
    private final ArrayList<Object> values = new ArrayList<>();
    private final Set<Item> inFlight = Collections.newSetFromMap(new IdentityHashMap<>());
    private boolean exhausted;
    /** Mapper promises started and not yet settled (one promise returned twice counts twice). */
    private int running;

    private MapConcurrently(EventLoopImpl loop, Iterator<? extends T> items, int concurrency,
                            Function<? super T, ? extends Promise<? extends R>> mapper) {
        super(loop);
        this.items = items;
        this.concurrency = concurrency;
        this.mapper = mapper;
    }

    public static <T, R> Promise<List<R>> start(EventLoopImpl loop, Iterable<? extends T> items, int concurrency,
                                                          Function<? super T, ? extends Promise<? extends R>> mapper) {
        Objects.requireNonNull(items, "items");
        Objects.requireNonNull(mapper, "mapper");
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be >= 1: " + concurrency);
        }
        MapConcurrently<T, R> map = new MapConcurrently<>(loop, Objects.requireNonNull(items.iterator(), "items.iterator()"),
                concurrency, AsyncContext.capture(mapper));
        loop.microtasks.add((Runnable) map::fill, null);
        return map;
    }

    /** Loop thread: starts mappers while slots are free and items are left. */
    private void fill() {
        while (!isSettled() && !exhausted && running < concurrency) {
            T item;
            try {
                if (!items.hasNext()) {
                    exhausted = true;
                    break;
                }
                item = items.next();
            } catch (Throwable e) {
                tryReject(e);
                return;
            }
            int index = values.size();
            values.add(null);
            PromiseImpl<? extends R> p;
            try {
                p = PromiseImpl.of(Objects.requireNonNull(mapper.apply(item),
                        "Promise.map's mapper returned null instead of a promise for item " + index), "mapped item");
            } catch (Throwable e) {
                tryReject(e);
                return;
            }
            running++;
            Item slot = new Item(index, p, p.loop == loop ? null : loop.keepAliveOrNull());
            inFlight.add(slot);
            p.register(slot);
        }
        if (exhausted && running == 0 && !isSettled()) {
            complete(ValueList.of(decodeAll()));
        }
    }

    private Object[] decodeAll() {
        Object[] array = values.toArray();
        for (int i = 0; i < array.length; i++) {
            array[i] = decode(array[i]);
        }
        values.clear();
        return array;
    }

    /** Loop thread: item {@code index}'s mapper promise settled with {@code r}. */
    private void itemSettled(Item item, Object r) {
        int index = item.index;
        running--;
        inFlight.remove(item);
        if (isSettled()) {
            return; // failed or cancelled before: the outcome is ignored (it was marked handled)
        }
        if (r instanceof Failure) {
            complete(ownResult(r));
            return;
        }
        values.set(index, r);
        fill();
    }

    /**
     * The reaction on one mapper promise; for a promise of another loop it holds a KeepAlive of
     * this loop until its outcome is posted here (rule 7), or the map is cancelled.
     */
    private final class Item implements Reaction {
        private final int index;
        private final PromiseImpl<?> promise;
        /** Cleared by whichever of react (another loop's thread) and a cancel comes first; close is idempotent. */
        private volatile dev.eventual.KeepAlive alive;

        Item(int index, PromiseImpl<?> promise, dev.eventual.KeepAlive alive) {
            this.index = index;
            this.promise = promise;
            this.alive = alive;
        }

        @Override
        public void react(Object r) {
            if (loop.inEventLoop()) {
                itemSettled(this, r);
            } else {
                loop.runOnLoop(() -> itemSettled(this, r));
                release(); // after the post: the loop never looks idle between
            }
        }

        void release() {
            dev.eventual.KeepAlive a = alive;
            if (a != null) {
                alive = null;
                a.close();
            }
        }

        @Override
        public boolean needsOutcome() {
            return !isSettled();
        }
    }

    @Override
    boolean hasProducer() {
        return true;
    }

    /** Cancelled (loop thread): stop pulling; the mappers in flight lose this consumer. */
    @Override
    PromiseImpl<?> producerCancelled() {
        exhausted = true;
        List<Item> items = new ArrayList<>(inFlight);
        inFlight.clear();
        for (Item item : items) {
            item.release(); // its reaction may never run now (the consumer rule may prune it)
            item.promise.releaseConsumer();
        }
        return null;
    }

    @Override
    public String toString() {
        return "Promise.map[" + (loop.inEventLoop() ? values.size() + " pulled, " + inFlight.size() + " in flight, " : "")
                + super.toString() + "]";
    }
}
