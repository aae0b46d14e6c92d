package dev.eventual.testkit;

import dev.eventual.Promise;
import dev.eventual.Settled;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.assertj.core.api.AbstractAssert;
import org.assertj.core.api.AbstractThrowableAssert;
import org.assertj.core.api.Assertions;
import org.assertj.core.api.ObjectAssert;

/**
 * Assertions on a {@link Promise}, in AssertJ's style: {@code assertThat(promise).isFulfilled()
 * .hasValue(42)}, {@code assertThat(promise).isRejected().withMessageContaining("refused")}.
 * Get one from {@link EventualAssertions#assertThat(Promise)}.
 *
 * <p>An assertion that finds the promise rejected, as it expects, handles the rejection (on the
 * promise's loop thread, as a handler that ignores it would): the test has looked at it, so it is
 * not an unhandled rejection.
 *
 * <p>Every assertion but {@link #settlesWithin} reads the promise's state as it is, without
 * running the loop or waiting; a failed one throws {@link AssertionError} with a message that
 * shows the promise's state and its value or reason ("Expecting the promise to be fulfilled, but
 * it was rejected with java.io.IOException: refused"), the reason's stack trace included.
 *
 * @param <T> the promise's value type
 */
public final class PromiseAssert<T> extends AbstractAssert<PromiseAssert<T>, Promise<T>> {

    PromiseAssert(Promise<T> actual) {
        super(actual, PromiseAssert.class);
    }

    /** Describes a promise's state with its value or reason, as the failure messages do. */
    static String describe(Promise<?> promise) {
        Settled<?> settled = promise.peek().orElse(null);
        if (settled == null) {
            return "pending";
        }
        if (settled instanceof Settled.Fulfilled<?> f) {
            return "fulfilled with " + valueText(f.value());
        }
        Throwable reason = ((Settled.Rejected<?>) settled).reason();
        return (reason instanceof CancellationException ? "cancelled (rejected with " + reason + ")" : "rejected with " + reason)
                + stackTrace(reason);
    }

    private static String valueText(Object value) {
        return value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
    }

    private static String stackTrace(Throwable reason) {
        java.io.StringWriter out = new java.io.StringWriter();
        reason.printStackTrace(new java.io.PrintWriter(out));
        return System.lineSeparator() + out;
    }

    private Settled<T> settled() {
        isNotNull();
        return actual.peek().orElse(null);
    }

    private T valueOrFail(String expectation) {
        Settled<T> s = settled();
        if (!(s instanceof Settled.Fulfilled<T> f)) {
            throw failure("Expecting the promise %s, but it was %s", expectation, describe(actual));
        }
        return f.value();
    }

    private Throwable reasonOrFail(String expectation) {
        Settled<T> s = settled();
        if (!(s instanceof Settled.Rejected<T> r)) {
            throw failure("Expecting the promise %s, but it was %s", expectation, describe(actual));
        }
        if (actual.loop().inEventLoop()) {
            actual.caught(e -> null); // the test looked at the rejection: it is handled, not reported
        }
        return r.reason();
    }

    /**
     * Verifies that the promise has not settled.
     *
     * @return this
     */
    public PromiseAssert<T> isPending() {
        if (settled() != null) {
            throw failure("Expecting the promise to be pending, but it was %s", describe(actual));
        }
        return this;
    }

    /**
     * Verifies that the promise has settled, either way.
     *
     * @return this
     */
    public PromiseAssert<T> isSettled() {
        if (settled() == null) {
            throw failure("Expecting the promise to be settled, but it was pending");
        }
        return this;
    }

    /**
     * Verifies that the promise is fulfilled (with any value).
     *
     * @return this
     */
    public PromiseAssert<T> isFulfilled() {
        valueOrFail("to be fulfilled");
        return this;
    }

    /**
     * Verifies that the promise is fulfilled with a value equal to {@code expected}.
     *
     * @param expected the value (may be null)
     * @return this
     */
    public PromiseAssert<T> hasValue(T expected) {
        T value = valueOrFail("to be fulfilled with " + valueText(expected));
        if (!Objects.equals(value, expected)) {
            throw failureWithActualExpected(value, expected,
                    "Expecting the promise to be fulfilled with %s, but it was fulfilled with %s",
                    valueText(expected), valueText(value));
        }
        return this;
    }

    /**
     * Verifies that the promise is fulfilled with a value that passes {@code requirements} (AssertJ
     * assertions in a lambda).
     *
     * @param requirements assertions on the value
     * @return this
     */
    public PromiseAssert<T> hasValueSatisfying(Consumer<? super T> requirements) {
        requirements.accept(valueOrFail("to be fulfilled with a value satisfying the requirements"));
        return this;
    }

    /**
     * Verifies that the promise is fulfilled with a value that matches {@code condition}.
     *
     * @param condition the test of the value
     * @param description what the condition means, for the message
     * @return this
     */
    public PromiseAssert<T> hasValueMatching(Predicate<? super T> condition, String description) {
        T value = valueOrFail("to be fulfilled with a value that is " + description);
        if (!condition.test(value)) {
            throw failure("Expecting the promise to be fulfilled with a value that is %s, but it was fulfilled with %s",
                    description, valueText(value));
        }
        return this;
    }

    /**
     * Returns assertions on the fulfilled value.
     *
     * @return AssertJ's assertions on the value
     */
    public ObjectAssert<T> value() {
        return Assertions.assertThat(valueOrFail("to be fulfilled"));
    }

    /**
     * Verifies that the promise is rejected (a cancellation included).
     *
     * @return this, for {@code withMessage(...)} and the like
     */
    public PromiseAssert<T> isRejected() {
        reasonOrFail("to be rejected");
        return this;
    }

    /**
     * Verifies that the promise is rejected with a reason of type {@code type} (or a subtype).
     *
     * @param type the reason's type
     * @return this
     */
    public PromiseAssert<T> isRejectedWith(Class<? extends Throwable> type) {
        Throwable reason = reasonOrFail("to be rejected with a " + type.getName());
        if (!type.isInstance(reason)) {
            throw failure("Expecting the promise to be rejected with a %s, but it was %s", type.getName(),
                    describe(actual));
        }
        return this;
    }

    /**
     * Verifies that the promise was cancelled: rejected with a {@link CancellationException}.
     *
     * @return this
     */
    public PromiseAssert<T> isCancelled() {
        Throwable reason = reasonOrFail("to be cancelled");
        if (!(reason instanceof CancellationException)) {
            throw failure("Expecting the promise to be cancelled, but it was %s", describe(actual));
        }
        return this;
    }

    /**
     * Verifies that the promise is rejected with a reason whose message is {@code message}.
     *
     * @param message the expected message
     * @return this
     */
    public PromiseAssert<T> withMessage(String message) {
        Throwable reason = reasonOrFail("to be rejected with message \"" + message + "\"");
        if (!Objects.equals(reason.getMessage(), message)) {
            throw failure("Expecting the promise to be rejected with message \"%s\", but it was %s", message,
                    describe(actual));
        }
        return this;
    }

    /**
     * Verifies that the promise is rejected with a reason whose message contains {@code text}.
     *
     * @param text the expected part of the message
     * @return this
     */
    public PromiseAssert<T> withMessageContaining(String text) {
        Throwable reason = reasonOrFail("to be rejected with a message containing \"" + text + "\"");
        if (reason.getMessage() == null || !reason.getMessage().contains(text)) {
            throw failure("Expecting the promise to be rejected with a message containing \"%s\", but it was %s",
                    text, describe(actual));
        }
        return this;
    }

    /**
     * Verifies that the promise is rejected with a reason whose cause is of type {@code type}.
     *
     * @param type the cause's type
     * @return this
     */
    public PromiseAssert<T> withCauseInstanceOf(Class<? extends Throwable> type) {
        Throwable reason = reasonOrFail("to be rejected with a cause of type " + type.getName());
        if (!type.isInstance(reason.getCause())) {
            throw failure("Expecting the promise to be rejected with a cause of type %s, but it was %s",
                    type.getName(), describe(actual));
        }
        return this;
    }

    /**
     * Returns AssertJ's assertions on the rejection reason.
     *
     * @return assertions on the reason
     */
    public AbstractThrowableAssert<?, ? extends Throwable> reason() {
        return Assertions.assertThat(reasonOrFail("to be rejected"));
    }

    /**
     * Verifies that the promise settles within {@code duration}, running the loop as needed.
     * For a promise of the calling thread's {@link TestLoop}, the loop runs until the promise
     * settles or its clock has moved {@code duration}: virtual time on a virtual loop (no real
     * wait), real time otherwise. For a promise of any other loop, the calling thread waits up
     * to {@code duration} of real time (on a test loop's thread, running that loop meanwhile).
     *
     * @param duration the longest wait; not negative
     * @return this
     */
    public PromiseAssert<T> settlesWithin(Duration duration) {
        isNotNull();
        TestLoop driving = TestLoop.current().orElse(null);
        TestLoop loop = driving != null && driving.eventLoop() == actual.loop() ? driving : null;
        long startMillis = loop != null ? loop.now().toMillis() : 0;
        if (driving != null) {
            driving.runUntilSettled(actual, duration); // another loop's promise: real time, this loop running
        } else if (actual.isPending()) {
            try {
                actual.toCompletableFuture().get(duration.toNanos(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw failure("Interrupted while waiting for the promise to settle");
            } catch (ExecutionException | TimeoutException | java.util.concurrent.CancellationException e) {
                // settled with a reason, or still pending: checked below
            }
        }
        if (actual.isPending()) {
            String time = loop == null ? "of real time" : loop.isVirtualTime() ? "of virtual time" : "of real time";
            throw failure("Expecting the promise to settle within %s ms %s, but it was still pending after it%s",
                    duration.toMillis(), time, loop == null ? "" : " (loop at " + loop.now().toMillis()
                            + " ms, started at " + startMillis + " ms; waiting for: " + loop.pendingWork() + ")");
        }
        return this;
    }
}
