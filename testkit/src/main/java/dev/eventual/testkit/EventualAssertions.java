package dev.eventual.testkit;

import dev.eventual.Promise;
import org.assertj.core.api.Assertions;

/**
 * The entry point of the testkit's assertions, with all of AssertJ's: one static import
 * ({@code import static dev.eventual.testkit.EventualAssertions.*;}) gives
 * {@code assertThat(promise)} ({@link PromiseAssert}), {@code assertThat(testLoop)}
 * ({@link LoopAssert}) and every {@link Assertions} method.
 */
public class EventualAssertions extends Assertions {

    /** Not instantiable (AssertJ's entry points are extended, not made). */
    protected EventualAssertions() {}

    /**
     * Assertions on a promise's state, value or reason; see {@link PromiseAssert}.
     *
     * @param promise the promise
     * @param <T> its value type
     * @return the assertions
     */
    public static <T> PromiseAssert<T> assertThat(Promise<T> promise) {
        return new PromiseAssert<>(promise);
    }

    /**
     * Assertions on what is left on a test loop; see {@link LoopAssert}.
     *
     * @param loop the loop
     * @return the assertions
     */
    public static LoopAssert assertThat(TestLoop loop) {
        return new LoopAssert(loop);
    }
}
