package dev.eventual;

import java.util.List;
import java.util.Objects;

/**
 * The rejection reason of {@link Promise#any} when every input rejected: JavaScript's
 * {@code AggregateError}. {@link #errors()} holds every input's reason in input order; they are
 * also attached as {@linkplain #getSuppressed() suppressed} exceptions so stack traces show them.
 */
public final class AggregateException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient List<Throwable> errors;

    /**
     * Creates one.
     *
     * @param message what failed
     * @param errors every reason, in input order; copied
     */
    public AggregateException(String message, List<? extends Throwable> errors) {
        super(Objects.requireNonNull(message, "message"), null, true, true);
        this.errors = List.copyOf(Objects.requireNonNull(errors, "errors"));
        for (Throwable error : this.errors) {
            addSuppressed(error);
        }
    }

    /**
     * Every reason, in input order. Empty when {@code any} was given no promises.
     *
     * @return the rejection reasons, one per input promise in input order; unmodifiable
     */
    public List<Throwable> errors() {
        return errors;
    }
}
