package dev.eventual;

import java.util.Objects;

/**
 * The outcome of a settled promise: either {@link Fulfilled} with a value or {@link Rejected}
 * with a reason. {@link Promise#allSettled} delivers a list of these, in input order, the way
 * JavaScript's {@code Promise.allSettled} delivers {@code {status, value}} and
 * {@code {status, reason}} objects.
 *
 * <pre>{@code
 * switch (outcome) {
 *     case Settled.Fulfilled<String>(var value) -> show(value);
 *     case Settled.Rejected<String>(var reason) -> log(reason);
 * }
 * }</pre>
 *
 * @param <T> the type of the fulfilled value
 */
public sealed interface Settled<T> {

    /**
     * {@code true} for {@link Fulfilled}.
     *
     * @return {@code true} for a {@link Fulfilled} outcome, {@code false} for a
     *     {@link Rejected} one
     */
    boolean isFulfilled();

    /**
     * A fulfilled outcome.
     *
     * @param value the value; may be {@code null}
     * @param <T> the type of the value
     */
    record Fulfilled<T>(T value) implements Settled<T> {
        @Override
        public boolean isFulfilled() {
            return true;
        }
    }

    /**
     * A rejected outcome.
     *
     * @param reason the exception the promise was rejected with; never {@code null}
     * @param <T> the type the promise would have had
     */
    record Rejected<T>(Throwable reason) implements Settled<T> {
        /**
         * Creates one.
         *
         * @throws NullPointerException if {@code reason} is null
         */
        public Rejected {
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public boolean isFulfilled() {
            return false;
        }
    }
}
