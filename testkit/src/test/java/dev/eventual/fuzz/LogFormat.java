package dev.eventual.fuzz;

import dev.eventual.AggregateException;
import dev.eventual.Promise;
import dev.eventual.Settled;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The Java twin of {@code show} and {@code describe} in {@code prelude.js}: how values and
 * reasons are written in a log, so that equal outcomes give equal words in both runtimes.
 * JavaScript's {@code undefined} is Java's {@code null}; an {@code AggregateError} is an
 * {@link AggregateException}; the chaining-cycle {@code TypeError} is Eventual's
 * {@link IllegalArgumentException} whose message starts "chaining cycle".
 */
final class LogFormat {
    private LogFormat() {}

    static String describe(Throwable e) {
        if (e instanceof AggregateException a) {
            return "agg[" + a.errors().stream().map(LogFormat::describe).collect(Collectors.joining(",")) + "]";
        }
        if (e instanceof IllegalArgumentException && e.getMessage() != null && e.getMessage().startsWith("chaining cycle")) {
            return "TypeError";
        }
        if (e instanceof ProgramError) {
            return e.getMessage();
        }
        return "unexpected " + e; // never in JavaScript's log, so it fails the comparison
    }

    static String show(Object v) {
        return switch (v) {
            case null -> "null";
            case Integer n -> n.toString();
            case List<?> list -> "[" + list.stream().map(LogFormat::show).collect(Collectors.joining(",")) + "]";
            case Throwable t -> "E(" + describe(t) + ")";
            case Settled.Fulfilled<?> f -> "ok:" + show(f.value());
            case Settled.Rejected<?> r -> "err:" + describe(r.reason());
            // A promise as a value means a handler's promise was not followed: JavaScript never shows one.
            case Promise<?> p -> "unexpected promise " + p;
            default -> "unexpected " + v.getClass().getName();
        };
    }
}
