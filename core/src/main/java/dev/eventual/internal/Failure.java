package dev.eventual.internal;

/**
 * The encoded result of a rejected promise: a box around the reason, so that any user value
 * (including a {@link Throwable} used as a value) can be stored unboxed in the same field.
 */
final class Failure {
    final Throwable reason;

    Failure(Throwable reason) {
        this.reason = reason;
    }

    @Override
    public String toString() {
        return "Failure[" + reason + "]";
    }
}
