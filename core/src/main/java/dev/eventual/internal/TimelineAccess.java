package dev.eventual.internal;

import dev.eventual.Timeline;
import java.util.function.Function;

/**
 * How the loop reaches the {@link TimelineLog} inside a public {@link Timeline} without the API
 * showing it (the JDK's SharedSecrets pattern): Timeline's static initializer installs the
 * accessor, and a Timeline instance exists (so its class is initialized) before anyone asks.
 */
public final class TimelineAccess {
    private static volatile Function<Timeline, TimelineLog> logOf;

    private TimelineAccess() {}

    /** Called once, by Timeline's static initializer. */
    public static void install(Function<Timeline, TimelineLog> accessor) {
        logOf = accessor;
    }

    static TimelineLog logOf(Timeline timeline) {
        return logOf.apply(timeline);
    }
}
