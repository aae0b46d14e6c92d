package dev.eventual.internal;

import dev.eventual.UnhandledRejectionHandler;
import dev.eventual.UnhandledRejectionPolicy;
import java.util.function.Consumer;

/** The settings of {@link dev.eventual.EventLoop.Builder}; copied when a loop is made. */
public final class LoopConfig {
    public String name;
    /** null: the mode's default (THROW for run, WARN for start). */
    public UnhandledRejectionPolicy policy;
    public UnhandledRejectionHandler rejectionHandler;
    public Consumer<? super Throwable> taskErrorHandler;
    public boolean daemon;
    /** The loop's clock; null for the real one (see {@link EventLoopImpl#clock}). */
    public LoopClock clock;
    /** The blocked-loop threshold in ms, 0 off; -1: the system property's or the default (Watchdog). */
    public long blockedThresholdMillis = -1;
    /** Async stack traces; null: the system property {@code eventual.asyncStackTraces} (Traces). */
    public Boolean asyncStackTraces;
    /** Where the loop records its timeline from its first task; null: it does not record. */
    public TimelineLog timeline;

    public LoopConfig copy() {
        LoopConfig c = new LoopConfig();
        c.name = name;
        c.policy = policy;
        c.rejectionHandler = rejectionHandler;
        c.taskErrorHandler = taskErrorHandler;
        c.daemon = daemon;
        c.clock = clock;
        c.blockedThresholdMillis = blockedThresholdMillis;
        c.asyncStackTraces = asyncStackTraces;
        c.timeline = timeline;
        return c;
    }
}
