package dev.eventual.internal;

import dev.eventual.NodeCallback;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A callback registered while an {@link AsyncContext} was current: it runs the callback inside
 * that context and restores the running thread's own context after, even when the callback
 * throws. One class for every callback shape the loop and the promises store (task, timer and
 * microtask {@code Runnable}s, handler {@code Function}s and {@code Consumer}s, Node-style
 * callbacks), so that {@link AsyncContext#capture} can wrap any of them without knowing which:
 * the caller later casts the stored object to the one interface it knows, and only that method is
 * ever called. Immutable; made only when a context is current, so code that uses no
 * {@code AsyncLocal} never allocates one.
 */
@SuppressWarnings({"rawtypes", "unchecked", "overloads"}) // andThen of Function and Consumer: never called on it
final class ContextualCallback implements Runnable, Function<Object, Object>, Consumer<Object>, NodeCallback<Object> {
    private final AsyncContext context;
    private final Object callback;

    ContextualCallback(AsyncContext context, Object callback) {
        this.context = context;
        this.callback = callback;
    }

    @Override
    public void run() {
        AsyncContext previous = AsyncContext.swap(context);
        try {
            ((Runnable) callback).run();
        } finally {
            AsyncContext.swap(previous);
        }
    }

    @Override
    public Object apply(Object value) {
        AsyncContext previous = AsyncContext.swap(context);
        try {
            return ((Function) callback).apply(value);
        } finally {
            AsyncContext.swap(previous);
        }
    }

    @Override
    public void accept(Object value) {
        AsyncContext previous = AsyncContext.swap(context);
        try {
            ((Consumer) callback).accept(value);
        } finally {
            AsyncContext.swap(previous);
        }
    }

    @Override
    public void call(Throwable error, Object value) {
        AsyncContext previous = AsyncContext.swap(context);
        try {
            ((NodeCallback) callback).call(error, value);
        } finally {
            AsyncContext.swap(previous);
        }
    }

    @Override
    public String toString() {
        return callback + " in " + context;
    }
}
