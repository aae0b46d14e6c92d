package dev.eventual.io.fetch;

import dev.eventual.NodeCallback;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

/**
 * A callback that receives the value of a fetch that succeeded: what you pass to
 * {@link Fetch#getText(String, ValueCallback)} inline ({@code text -> show(text)}) or by
 * reference ({@code this::show}, {@code texts::add}). Write it as a lambda or a method
 * reference; you never need to name this type.
 *
 * <h2>Why not {@code Consumer}</h2>
 * The get forms take a callback two ways, with the value alone or Node style
 * {@code (error, value)}. Were the first a {@link Consumer} and the second a
 * {@link NodeCallback}, a reference to a method that has both a one- and a two-parameter
 * overload ({@code list::add}: {@code add(E)} and {@code add(int, E)}) would fit both, and the
 * call would not compile ("reference to getText is ambiguous"). This type is a
 * {@code NodeCallback} as well as a {@code Consumer}, so Java picks it as the more specific of the
 * two, and {@code getText(url, list::add)} adds the text to the list. A lambda with two
 * parameters still selects the Node-style form. To pass a {@code Consumer} you already hold,
 * pass {@code consumer::accept}.
 *
 * @param <T> the type of the value
 */
@FunctionalInterface
public interface ValueCallback<T> extends Consumer<T>, NodeCallback<T> {
    /**
     * Receives the value.
     *
     * @param value the fetch's result
     */
    @Override
    void accept(T value);

    /**
     * Used where a {@link NodeCallback} is expected: passes a value on to {@link #accept}, and
     * throws a failure back (as it is when unchecked, else wrapped in a
     * {@link CompletionException}), so that the code calling it reports the failure instead of
     * this callback dropping it.
     *
     * @param error the failure, or {@code null} on success
     * @param value the value on success
     */
    @Override
    default void call(Throwable error, T value) {
        if (error == null) {
            accept(value);
        } else if (error instanceof RuntimeException e) {
            throw e;
        } else if (error instanceof Error e) {
            throw e;
        } else {
            throw new CompletionException(error);
        }
    }
}
