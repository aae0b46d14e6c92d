package dev.eventual;

import dev.eventual.internal.AsyncContext;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A value that follows callbacks: Node's {@code AsyncLocalStorage}, Python's {@code contextvars}.
 * A value bound with {@link #run(Object, Runnable) run(value, body)} is seen by {@link #get()} in
 * {@code body} and in everything registered inside it for later, wherever and whenever that runs:
 * promise handlers ({@code then}, {@code thenCompose}, {@code thenAccept}, {@code caught},
 * {@code lastly}, {@code asCallback}), timers ({@code setTimeout}, {@code setInterval}),
 * {@code queueMicrotask}, tasks ({@code execute}, {@code submit}) and async bodies (across all of
 * their {@code await}s). Nothing outside {@code body} sees it: code registered before or after, and
 * other async bodies, see their own values. Runs nest: an inner run of the same
 * {@code AsyncLocal} hides the outer value until it returns.
 *
 * <p>JavaScript:
 * <pre>{@code
 * const requestId = new AsyncLocalStorage();
 * requestId.run('r-42', () => {
 *   setTimeout(() => log(requestId.getStore()), 10);   // logs r-42, later
 * });
 * requestId.getStore();                                 // undefined here
 * }</pre>
 * Eventual:
 * <pre>{@code
 * static final AsyncLocal<String> REQUEST_ID = AsyncLocal.named("requestId");
 *
 * REQUEST_ID.run("r-42", () -> {
 *     setTimeout(() -> log(REQUEST_ID.get()), 10);     // logs r-42, later
 * });
 * REQUEST_ID.get();                                     // null here
 * }</pre>
 *
 * <h2>Threading</h2>
 * The value belongs to the code, not to a thread: a callback runs with the values bound where it
 * was registered, on whichever thread runs it (its loop's thread for a callback registered from
 * another thread, an async body's own thread across its awaits). On a thread of no loop,
 * {@code run} scopes the value to the body's synchronous code and to what that code registers
 * (a task handed to a loop with {@code execute}, say). Every method is thread-safe.
 *
 * <h2>Cost</h2>
 * None while no {@code AsyncLocal} has ever been bound in the JVM: registering a callback checks
 * one flag and stores the callback itself. After that, a callback registered where some value is
 * bound costs one small wrapper object and two thread-local writes when it runs.
 *
 * <h2>Nulls</h2>
 * Values must not be {@code null} ({@link NullPointerException}): {@link #get()} returns
 * {@code null} exactly when no value is bound.
 *
 * @param <T> the type of the value
 */
public final class AsyncLocal<T> {
    private final String name;

    private AsyncLocal(String name) {
        this.name = name;
    }

    /**
     * Returns a new {@code AsyncLocal}, bound to nothing yet.
     *
     * @param name a name for {@link #toString()} and diagnostics; must not be null
     * @param <T> the type of the value
     * @return a new instance, distinct from every other (even of the same name)
     */
    public static <T> AsyncLocal<T> named(String name) {
        return new AsyncLocal<>(Objects.requireNonNull(name, "name"));
    }

    /**
     * Runs {@code body} at once, on the calling thread, with this bound to {@code value}; the
     * previous binding is back when it returns or throws. Callbacks registered inside see
     * {@code value} when they run later. Node's {@code asyncLocalStorage.run(store, callback)}.
     *
     * @param value the value; must not be null
     * @param body the code; must not be null; what it throws is thrown from here
     */
    public void run(T value, Runnable body) {
        Objects.requireNonNull(body, "body");
        AsyncContext previous = AsyncContext.bind(this, Objects.requireNonNull(value, "value"));
        try {
            body.run();
        } finally {
            AsyncContext.restore(previous);
        }
    }

    /**
     * {@link #run(Object, Runnable)} for a body with a result.
     *
     * @param value the value; must not be null
     * @param body the code; must not be null
     * @param <R> the type of the result
     * @return what {@code body} returns
     */
    public <R> R call(T value, Supplier<? extends R> body) {
        Objects.requireNonNull(body, "body");
        AsyncContext previous = AsyncContext.bind(this, Objects.requireNonNull(value, "value"));
        try {
            return body.get();
        } finally {
            AsyncContext.restore(previous);
        }
    }

    /**
     * Returns the value bound where the calling code was registered (or runs, if it is inside
     * {@code run}), or {@code null} when there is none. Node's {@code getStore()}.
     *
     * @return the value, or null
     */
    @SuppressWarnings("unchecked")
    public T get() {
        return (T) AsyncContext.lookup(this);
    }

    /**
     * Returns the bound value, or {@code other} when there is none.
     *
     * @param other the default; may be null
     * @return the value or the default
     */
    public T orElse(T other) {
        T value = get();
        return value != null ? value : other;
    }

    /**
     * Whether a value is bound for the calling code.
     *
     * @return {@code true} when a value is bound, {@code false} when {@link #get()} returns
     *     {@code null}
     */
    public boolean isBound() {
        return get() != null;
    }

    @Override
    public String toString() {
        return "AsyncLocal[" + name + "]";
    }
}
