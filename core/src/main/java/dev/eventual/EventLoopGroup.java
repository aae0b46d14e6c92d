package dev.eventual;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fixed set of started {@link EventLoop}s, one thread each, for using more than one core.
 * Work is spread by picking a loop with {@link #next()} (round-robin); everything that loop then
 * does follows the usual rules, so state confined to one loop still needs no locks. Thread-safe.
 */
public final class EventLoopGroup implements AutoCloseable {
    private final List<EventLoop> loops;
    private final AtomicInteger cursor = new AtomicInteger();

    private EventLoopGroup(List<EventLoop> loops) {
        this.loops = List.copyOf(loops);
    }

    /**
     * Starts {@code size} loops named {@code name-0} to {@code name-(size-1)}.
     *
     * @param name the prefix of the loops' names; must not be null
     * @param size how many loops; at least 1
     * @return the running group
     * @throws IllegalArgumentException if {@code size < 1}
     */
    public static EventLoopGroup start(String name, int size) {
        Objects.requireNonNull(name, "name");
        if (size < 1) {
            throw new IllegalArgumentException("size must be >= 1: " + size);
        }
        List<EventLoop> loops = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            loops.add(EventLoop.start(name + "-" + i));
        }
        return new EventLoopGroup(loops);
    }

    /**
     * Starts one loop per available processor, named {@code eventual-N}.
     *
     * @return a group of started loops, one per available processor
     */
    public static EventLoopGroup start() {
        return start("eventual", Runtime.getRuntime().availableProcessors());
    }

    /**
     * Returns the next loop, round-robin.
     *
     * @return the loop after the one the previous call returned, wrapping around
     */
    public EventLoop next() {
        return loops.get(Math.floorMod(cursor.getAndIncrement(), loops.size()));
    }

    /**
     * Returns the loops, in name order; unmodifiable.
     *
     * @return the group's loops, in name order; unmodifiable
     */
    public List<EventLoop> loops() {
        return loops;
    }

    /**
     * Closes every loop and waits until all have stopped; called from a loop's thread, it does not
     * wait for the other loops (see {@link EventLoop#close()}).
     */
    @Override
    public void close() {
        for (EventLoop loop : loops) {
            loop.close();
        }
    }

    @Override
    public String toString() {
        return "EventLoopGroup" + loops.stream().map(EventLoop::name).toList();
    }
}
