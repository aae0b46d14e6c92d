package dev.eventual.internal;

import java.util.concurrent.atomic.AtomicBoolean;
import jdk.jfr.FlightRecorder;
import jdk.jfr.FlightRecorderListener;

/**
 * Eventual's JFR events are set up when, and only when, the JVM's flight recorder exists: at JVM
 * start with {@code -XX:StartFlightRecording}, or when a recording is first created (by
 * {@code jcmd JFR.start}, JMC or the {@code jdk.jfr} API).
 *
 * <p>Why a gate: initializing an event class registers it with JFR, which then builds the JFR
 * metadata (hundreds of milliseconds and a hundred classes on a busy machine) even when no
 * recording will ever run. So no code touches an event class until {@link #ready} is true: the
 * hooks (LongTurns, Watchdog, RejectionTracker) read it first. The first loop to start adds a
 * {@link FlightRecorderListener} (a few JFR classes, once); when the recorder is initialized it
 * registers the event classes and the periodic sample and sets {@code ready}. The listener runs
 * on the thread that initialized the recorder, or, when it already existed, on the loop thread
 * as that first loop starts.
 *
 * <p>{@code ready} goes from false to true once and is volatile, so a hook that reads true sees
 * the registrations made before it was set (a plain load on x86 and ARM's ldar elsewhere: the
 * one cost per unit of work when no recorder exists).
 */
final class JfrSetup {
    /** True once the recorder exists and the events are registered; never false again. */
    static volatile boolean ready;
    private static final AtomicBoolean LISTENING = new AtomicBoolean();

    private JfrSetup() {}

    /** As a loop starts: listen for the recorder, once per JVM. */
    static void listen() {
        if (!LISTENING.compareAndSet(false, true)) {
            return;
        }
        try {
            FlightRecorder.addListener(new Listener());
        } catch (RuntimeException | LinkageError e) {
            // No JFR in this runtime, or a security manager refused it: the loops run the same
            // without events, and a diagnostic aid must never stop a loop from starting.
        }
    }

    private static final class Listener implements FlightRecorderListener {
        @Override
        public void recorderInitialized(FlightRecorder recorder) {
            FlightRecorder.register(LongTurnEvent.class);
            FlightRecorder.register(BlockedLoopEvent.class);
            FlightRecorder.register(UnhandledRejectionEvent.class);
            FlightRecorder.addPeriodicEvent(LoopSampleEvent.class, LoopSampler::sample);
            ready = true;
        }
    }
}
