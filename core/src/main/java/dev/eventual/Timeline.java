package dev.eventual;

import dev.eventual.internal.TimelineAccess;
import dev.eventual.internal.TimelineLog;
import dev.eventual.internal.TimelineRecorder;
import dev.eventual.internal.TimelineWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A recording of what one or more event loops did, written as a Chrome trace (for Perfetto and
 * {@code chrome://tracing}) or as one self-contained HTML page: every task and timer callback
 * with its microtask checkpoint, every async body's stretches (running, waiting at await),
 * every timer from the moment it was set until it fired or was cancelled, and every operation of
 * Eventual's io (a fetch, a body read, a file or process operation) from its start to the
 * callback that received its outcome; each with an arrow from what caused it (the callback that
 * set the timer or started the request) and to what received its result.
 *
 * <pre>{@code
 * Timeline timeline = Timeline.create();
 * EventLoop.builder().record(timeline).run(() -> { ... });
 * timeline.writeHtml(Path.of("target/timeline.html"));    // open it in any browser
 * timeline.writeJson(Path.of("target/timeline.json"));    // open it in ui.perfetto.dev
 * }</pre>
 *
 * <p>Recording starts with {@link EventLoop.Builder#record(Timeline)} (from the loop's first
 * task) or {@link EventLoop#startRecording(Timeline)}, and stops with
 * {@link EventLoop#stopRecording()} or when the loop closes. A loop that records nothing pays
 * one read of a field at each point where it would record; a recording loop reads the clock,
 * takes an uncontended lock and keeps a small object for each event.
 *
 * <h2>Bounded memory</h2>
 * A timeline keeps at most {@code maxEvents} events (a turn of the loop, a stretch of a body or
 * an operation each count as one); later events are counted, not kept, and both written forms say
 * how many were dropped and from when. The first events are the ones kept, so every kept event
 * still has the event that caused it.
 *
 * <h2>Threading</h2>
 * The loops record on their own threads; the {@code write} and {@code to} methods may be called
 * from any thread at any time and write a consistent snapshot (events still running are drawn up
 * to the moment of the snapshot).
 *
 * <h2>Nulls</h2>
 * No parameter may be {@code null}; a {@code null} fails with a {@link NullPointerException}
 * naming the parameter.
 */
public final class Timeline {
    /** The number of events a timeline keeps by default. */
    public static final int DEFAULT_MAX_EVENTS = 100_000;

    static {
        TimelineAccess.install(t -> t.log);
    }

    private final TimelineLog log;

    private Timeline(int maxEvents) {
        this.log = new TimelineLog(maxEvents);
    }

    /**
     * Returns a new, empty timeline that keeps at most {@link #DEFAULT_MAX_EVENTS} events.
     *
     * @return a new timeline, not yet recording
     */
    public static Timeline create() {
        return new Timeline(DEFAULT_MAX_EVENTS);
    }

    /**
     * Returns a new, empty timeline that keeps at most {@code maxEvents} events.
     *
     * @param maxEvents how many events to keep, at least 1
     * @return a new timeline, not yet recording
     * @throws IllegalArgumentException if {@code maxEvents} is below 1
     */
    public static Timeline create(int maxEvents) {
        return new Timeline(maxEvents);
    }

    /**
     * Marks {@code promise} as the outcome of an asynchronous operation, for the timeline of its
     * loop: from now until the promise settles, the operation is drawn in a lane of
     * {@code kind} beside the loop, with an arrow from the callback that called this to the
     * operation, and one from the operation's end to the callback in which its outcome arrived.
     * Eventual's io marks its own operations ({@code "fetch"}, {@code "file"},
     * {@code "process"}); call it for yours (a database query, a message round trip).
     *
     * <p>It does something only when the promise's loop records a timeline and the calling
     * thread has that loop's turn (its thread, or one of its async bodies); otherwise it returns
     * at once, and {@code what} is not turned into a string.
     *
     * @param promise the operation's outcome; returned as it is
     * @param kind the operation's kind, which names its lanes (short, e.g. {@code "database"})
     * @param what what the operation does, shown on it ({@code String.valueOf} is taken only when
     *     recording)
     * @param <P> the promise's type
     * @return {@code promise}
     */
    public static <P extends Promise<?>> P track(P promise, String kind, Object what) {
        Objects.requireNonNull(promise, "promise");
        Objects.requireNonNull(kind, "kind");
        TimelineRecorder.track(promise, kind, what);
        return promise;
    }

    /** The store, for the loop builder (the loop itself reaches it through TimelineAccess). */
    TimelineLog log() {
        return log;
    }

    /**
     * Returns how many events this timeline keeps so far.
     *
     * @return the number of events kept
     */
    public int size() {
        return log.size();
    }

    /**
     * Returns how many events were not kept because the timeline was full.
     *
     * @return the number of events dropped; 0 if none
     */
    public long dropped() {
        return log.dropped();
    }

    /**
     * Returns the timeline as Chrome trace-event JSON (the "JSON Object Format": complete,
     * begin/end and flow events, with process and thread names), which Perfetto
     * (ui.perfetto.dev) and {@code chrome://tracing} open. Each recorded loop is a process; its
     * lanes (the loop thread, each async body, the operations packed into lanes of their kind)
     * are its threads. Times are in microseconds since the first loop started recording.
     *
     * @return the JSON text
     */
    public String toJson() {
        StringBuilder out = new StringBuilder();
        TimelineWriter.json(log, out);
        return out.toString();
    }

    /**
     * Returns the timeline as one self-contained HTML page (inline SVG, style and script; no
     * network access): the loop's own callbacks in one lane, each async body, timer and
     * operation in lanes beside it, with arrows from the callback that started each operation
     * and to the callback that received its outcome, a time axis in milliseconds, a legend, a
     * table of the operations in words, and details on hover.
     *
     * @return the HTML text
     */
    public String toHtml() {
        StringBuilder out = new StringBuilder();
        TimelineWriter.html(log, out);
        return out.toString();
    }

    /**
     * Writes {@link #toJson()} to {@code file} in UTF-8, replacing it.
     *
     * @param file where to write
     * @throws IOException if the file cannot be written
     */
    public void writeJson(Path file) throws IOException {
        write(Objects.requireNonNull(file, "file"), toJson());
    }

    /**
     * Writes {@link #toHtml()} to {@code file} in UTF-8, replacing it.
     *
     * @param file where to write
     * @throws IOException if the file cannot be written
     */
    public void writeHtml(Path file) throws IOException {
        write(Objects.requireNonNull(file, "file"), toHtml());
    }

    private static void write(Path file, String text) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write(text);
        }
    }

    @Override
    public String toString() {
        long dropped = log.dropped();
        return "Timeline[" + log.size() + " events" + (dropped > 0 ? ", " + dropped + " dropped" : "")
                + ", at most " + log.capacity() + "]";
    }
}
