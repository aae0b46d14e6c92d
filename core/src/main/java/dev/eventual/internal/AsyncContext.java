package dev.eventual.internal;

import java.util.Objects;

/**
 * The values of every {@code AsyncLocal} bound at one point of a program: an immutable linked
 * list of bindings, newest first. Behind {@link dev.eventual.AsyncLocal}.
 *
 * <pre>
 * Overview
 *
 * Each thread has a current context (a ThreadLocal; null means empty). AsyncLocal.run pushes a
 * binding onto it for the duration of its body and restores the previous one after. Code that
 * registers a callback for later (promise handlers, timers, microtasks, tasks, async bodies)
 * captures the current context at registration ({@link #capture}); when the callback runs, on
 * whatever thread, a {@link ContextualCallback} installs the captured context around it and
 * restores the runner's own after. An async body gets the context of its async(...) call as its
 * thread's context, which stays with it across every await (its code always runs on that one
 * thread). This is Node's AsyncLocalStorage and Python's contextvars: a value is seen by what
 * was registered inside run(...), wherever and whenever it runs, and by nothing else.
 *
 * Cost when unused: {@code used} stays false until the first binding anywhere in the JVM, and
 * while it is false {@link #capture} returns the callback itself: one volatile read (a plain load
 * on x86), no ThreadLocal lookup, no allocation, no field in any promise. Once used, a
 * registration on a thread whose context is empty still costs only the ThreadLocal lookup; only
 * a non-empty context allocates the wrapper.
 *
 * Memory ordering: contexts are immutable (final fields), so they are safe to hand to any thread.
 * {@code used} goes false -> true once and never back. It is volatile so that a thread that runs a
 * wrapper (and so has a non-empty context) sees it true: the write to used happens-before the
 * capture that made the wrapper, which happens-before the handoff of the wrapper to the running
 * thread (a queue or a turn), which happens-before that thread's read. A thread that reads a stale
 * false would need a non-empty context it never learnt of, which cannot be.
 * </pre>
 */
public final class AsyncContext {
    private static final ThreadLocal<AsyncContext> CURRENT = new ThreadLocal<>();
    /** Whether any binding was ever made; false -> true once. See the overview. */
    private static volatile boolean used;

    /** The AsyncLocal this binding is for (compared by identity). */
    private final Object key;
    /** The bound value; never null. */
    private final Object value;
    /** The bindings that were current before this one, or null. */
    private final AsyncContext parent;

    private AsyncContext(Object key, Object value, AsyncContext parent) {
        this.key = key;
        this.value = value;
        this.parent = parent;
    }

    /** The calling thread's context, or null when it is empty. */
    public static AsyncContext current() {
        return used ? CURRENT.get() : null;
    }

    /**
     * Makes {@code context} (null: empty) the calling thread's context and returns the previous
     * one, to hand back to this method when the scope ends.
     */
    static AsyncContext swap(AsyncContext context) {
        AsyncContext previous = CURRENT.get();
        if (previous != context) {
            CURRENT.set(context);
        }
        return previous;
    }

    /**
     * Binds {@code key} to {@code value} on the calling thread and returns the context to restore
     * with {@link #restore} when the scope ends.
     */
    public static AsyncContext bind(Object key, Object value) {
        Objects.requireNonNull(value, "value");
        if (!used) {
            used = true; // volatile write, before any context exists that needs it
        }
        AsyncContext previous = CURRENT.get();
        CURRENT.set(new AsyncContext(key, value, previous));
        return previous;
    }

    /** Ends a scope of {@link #bind}: {@code previous} is what it returned. */
    public static void restore(AsyncContext previous) {
        CURRENT.set(previous);
    }

    /** The value bound to {@code key} in the calling thread's context, or null. */
    public static Object lookup(Object key) {
        for (AsyncContext c = current(); c != null; c = c.parent) {
            if (c.key == key) {
                return c.value;
            }
        }
        return null;
    }

    /**
     * Returns {@code callback} itself when the calling thread's context is empty, else a
     * {@link ContextualCallback} that runs it inside that context. {@code H} is one of the
     * callback types the wrapper implements (Runnable, Function, Consumer, NodeCallback).
     */
    @SuppressWarnings("unchecked")
    static <H> H capture(H callback) {
        if (!used) {
            return callback; // the fast path: no AsyncLocal was ever bound in this JVM
        }
        AsyncContext context = CURRENT.get();
        return context == null ? callback : (H) new ContextualCallback(context, callback);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("AsyncContext[");
        for (AsyncContext c = this; c != null; c = c.parent) {
            s.append(c.key).append('=').append(c.value).append(c.parent != null ? ", " : "");
        }
        return s.append(']').toString();
    }
}
