package dev.eventual.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes a {@link TimelineLog}'s snapshot as Chrome trace-event JSON, or as the HTML page
 * (the template {@code timeline.html} beside this class, with the spans put in as JSON).
 *
 * <pre>
 * Overview
 *
 * Trace ("JSON Object Format" of the Trace Event Format): one process per recorded loop, one
 * thread per lane of {@link TimelineLayout}, named by metadata events (process_name,
 * thread_name, thread_sort_index). A turn or a body's stretch is a complete event ("X"), and a
 * turn's microtask checkpoint a nested "X"; an operation is a "B"/"E" pair on its lane (an open
 * one has no "E", so viewers draw it to the end). Causes are flow events: "s" on the lane of the
 * causing turn at the operation's start (bound to that enclosing slice), "f" with binding point
 * "e" on the operation's lane a nanosecond later (inside the operation's slice, never on its
 * edge); results the other way: "s" a nanosecond before the operation's end, "f" a nanosecond
 * after it on the lane of the turn that received it. Times are
 * microseconds since the log's origin, with three decimals.
 *
 * Page: the same lanes and spans, in milliseconds, as one JSON object the page's script draws;
 * arrows are resolved here (from span, to span, time), so the script needs no trace semantics.
 * </pre>
 */
public final class TimelineWriter {
    private static final String DATA_MARK = "/*TIMELINE_DATA*/null";

    private TimelineWriter() {}

    /** Appends the trace JSON of {@code log}'s current snapshot to {@code out}. */
    public static void json(TimelineLog log, StringBuilder out) {
        TimelineLog.Snapshot snap = log.snapshot();
        TimelineLayout layout = new TimelineLayout(snap);
        List<TimelineSpan> spans = snap.spans();
        out.append("{\"traceEvents\":[\n");
        Events ev = new Events(out, snap.origin());
        for (int p = 0; p < snap.loops().size(); p++) {
            ev.meta("process_name", p, 0, "name", "event loop '" + snap.loops().get(p) + "'");
        }
        for (TimelineLayout.Lane lane : layout.lanes) {
            ev.meta("thread_name", lane.loopIndex(), lane.tid(), "name", lane.label());
            ev.metaNumber("thread_sort_index", lane.loopIndex(), lane.tid(), lane.index());
        }
        for (int i = 0; i < spans.size(); i++) {
            TimelineSpan s = spans.get(i);
            int tid = layout.lanes.get(layout.laneOf[i]).tid();
            if (s.kind == TimelineSpan.OPERATION) {
                ev.begin(s, tid, "B", s.start, category(s));
                out.append(",\"args\":{");
                JsonText.string(out, "kind");
                out.append(':');
                JsonText.string(out, s.lane);
                JsonText.key(out, "detail");
                JsonText.string(out, s.detail);
                JsonText.key(out, "id").append(s.id);
                out.append("}}");
                if (s.end >= 0) {
                    ev.begin(s, tid, "E", s.end, category(s));
                    out.append(",\"args\":{");
                    JsonText.string(out, "outcome");
                    out.append(':');
                    JsonText.string(out, s.outcome);
                    out.append("}}");
                }
            } else {
                ev.slice(s, tid, s.start, s.end, s.name, category(s));
                if (s.kind == TimelineSpan.TURN && s.checkpoint >= 0) {
                    ev.slice(s, tid, s.checkpoint, s.end, "microtask checkpoint", "microtasks");
                }
            }
            Integer cause = s.cause < 0 ? null : layout.positionOf.get(s.cause);
            if (cause != null && s.kind != TimelineSpan.TURN && s.kind != TimelineSpan.BODY_WAIT) {
                int from = layout.lanes.get(layout.laneOf[cause]).tid();
                ev.flow("s", "cause", 2L * s.id, s.loopIndex, from, s.start, "started by");
                ev.flow("f", "cause", 2L * s.id, s.loopIndex, tid, s.start + 1, "started by");
            }
            Integer to = s.kind != TimelineSpan.OPERATION || s.receivedBy < 0 || s.end < 0 ? null
                    : layout.positionOf.get(s.receivedBy);
            if (to != null) {
                int toTid = layout.lanes.get(layout.laneOf[to]).tid();
                ev.flow("s", "result", 2L * s.id + 1, s.loopIndex, tid, Math.max(s.start, s.end - 1), "result to");
                ev.flow("f", "result", 2L * s.id + 1, s.loopIndex, toTid, s.end + 1, "result to");
            }
        }
        if (snap.dropped() > 0) {
            out.append(",\n{\"name\":");
            JsonText.string(out, droppedText(snap));
            out.append(",\"ph\":\"i\",\"s\":\"g\",\"pid\":1,\"tid\":1,\"ts\":");
            JsonText.micros(out, snap.firstDropped() - snap.origin());
            out.append('}');
        }
        out.append("\n],\"displayTimeUnit\":\"ms\",\"otherData\":{\"producer\":\"Eventual timeline\"");
        JsonText.key(out, "droppedEvents").append(snap.dropped());
        JsonText.key(out, "maxEvents").append(snap.capacity());
        out.append("}}\n");
    }

    private static String droppedText(TimelineLog.Snapshot snap) {
        return snap.dropped() + " events dropped: the timeline keeps its first " + snap.capacity();
    }

    private static String category(TimelineSpan s) {
        return switch (s.kind) {
            case TimelineSpan.TURN -> "task";
            case TimelineSpan.BODY_RUN -> "async";
            case TimelineSpan.BODY_WAIT -> "await";
            default -> s.lane;
        };
    }

    /** The trace's events, comma-separated. */
    private static final class Events {
        private final StringBuilder out;
        private final long origin;
        private boolean first = true;

        Events(StringBuilder out, long origin) {
            this.out = out;
            this.origin = origin;
        }

        private void next() {
            if (!first) {
                out.append(",\n");
            }
            first = false;
        }

        void meta(String name, int loop, int tid, String key, String value) {
            next();
            out.append("{\"name\":\"").append(name).append("\",\"ph\":\"M\",\"pid\":").append(loop + 1)
                    .append(",\"tid\":").append(tid).append(",\"args\":{");
            JsonText.string(out, key);
            out.append(':');
            JsonText.string(out, value);
            out.append("}}");
        }

        void metaNumber(String name, int loop, int tid, int value) {
            next();
            out.append("{\"name\":\"").append(name).append("\",\"ph\":\"M\",\"pid\":").append(loop + 1)
                    .append(",\"tid\":").append(tid).append(",\"args\":{\"sort_index\":").append(value).append("}}");
        }

        /** Starts an event object with name, cat, ph, pid, tid, ts; the caller closes it. */
        void begin(TimelineSpan s, int tid, String ph, long at, String cat) {
            next();
            out.append("{\"name\":");
            JsonText.string(out, s.name);
            out.append(",\"cat\":");
            JsonText.string(out, cat);
            out.append(",\"ph\":\"").append(ph).append("\",\"pid\":").append(s.loopIndex + 1)
                    .append(",\"tid\":").append(tid).append(",\"ts\":");
            JsonText.micros(out, at - origin);
        }

        /** A complete event, or a "B" alone when it has not ended. */
        void slice(TimelineSpan s, int tid, long from, long to, String name, String cat) {
            next();
            out.append("{\"name\":");
            JsonText.string(out, name);
            out.append(",\"cat\":");
            JsonText.string(out, cat);
            out.append(",\"ph\":\"").append(to >= 0 ? "X" : "B").append("\",\"pid\":").append(s.loopIndex + 1)
                    .append(",\"tid\":").append(tid).append(",\"ts\":");
            JsonText.micros(out, from - origin);
            if (to >= 0) {
                out.append(",\"dur\":");
                JsonText.micros(out, Math.max(0, to - from));
            }
            out.append(",\"args\":{\"id\":").append(s.id);
            JsonText.key(out, "detail");
            JsonText.string(out, s.detail);
            if (s.outcome != null) {
                JsonText.key(out, "outcome");
                JsonText.string(out, s.outcome);
            }
            out.append("}}");
        }

        void flow(String ph, String cat, long id, int loop, int tid, long at, String name) {
            next();
            out.append("{\"name\":");
            JsonText.string(out, name);
            out.append(",\"cat\":\"").append(cat).append("\",\"ph\":\"").append(ph).append("\",\"id\":").append(id)
                    .append(",\"pid\":").append(loop + 1).append(",\"tid\":").append(tid).append(",\"ts\":");
            JsonText.micros(out, at - origin);
            if (ph.equals("f")) {
                out.append(",\"bp\":\"e\"");
            }
            out.append('}');
        }
    }

    // ------------------------------------------------------------------ page

    /** Appends the HTML page of {@code log}'s current snapshot to {@code out}. */
    public static void html(TimelineLog log, StringBuilder out) {
        TimelineLog.Snapshot snap = log.snapshot();
        StringBuilder data = new StringBuilder();
        pageData(snap, new TimelineLayout(snap), data);
        String template = template();
        int at = template.indexOf(DATA_MARK);
        out.append(template, 0, at).append(data).append(template, at + DATA_MARK.length(), template.length());
    }

    private static void pageData(TimelineLog.Snapshot snap, TimelineLayout layout, StringBuilder out) {
        long origin = snap.origin();
        List<TimelineSpan> spans = snap.spans();
        out.append("{\"end\":");
        JsonText.millis(out, snap.taken() - origin);
        JsonText.key(out, "dropped").append(snap.dropped());
        JsonText.key(out, "maxEvents").append(snap.capacity());
        JsonText.key(out, "droppedAt");
        JsonText.millis(out, snap.dropped() > 0 ? snap.firstDropped() - origin : -1_000_000);
        JsonText.key(out, "lanes").append('[');
        for (TimelineLayout.Lane lane : layout.lanes) {
            out.append(lane.index() == 0 ? "" : ",").append("{\"label\":");
            JsonText.string(out, lane.label());
            JsonText.key(out, "kind");
            JsonText.string(out, lane.kind());
            JsonText.key(out, "loop").append(lane.loopIndex()).append('}');
        }
        out.append("],\"spans\":[");
        for (int i = 0; i < spans.size(); i++) {
            TimelineSpan s = spans.get(i);
            out.append(i == 0 ? "\n" : ",\n").append("{\"lane\":").append(layout.laneOf[i]);
            JsonText.key(out, "k");
            JsonText.string(out, category(s));
            JsonText.key(out, "s");
            JsonText.millis(out, s.start - origin);
            JsonText.key(out, "e");
            JsonText.millis(out, (s.end >= 0 ? s.end : snap.taken()) - origin);
            JsonText.key(out, "open").append(s.end < 0);
            JsonText.key(out, "n");
            JsonText.string(out, s.name);
            JsonText.key(out, "d");
            JsonText.string(out, s.detail);
            JsonText.key(out, "o");
            JsonText.string(out, s.outcome);
            if (s.checkpoint >= 0) {
                JsonText.key(out, "c");
                JsonText.millis(out, s.checkpoint - origin);
            }
            Integer cause = s.cause < 0 ? null : layout.positionOf.get(s.cause);
            JsonText.key(out, "cause").append(cause == null ? -1 : cause);
            Integer to = s.receivedBy < 0 ? null : layout.positionOf.get(s.receivedBy);
            JsonText.key(out, "to").append(to == null || s.kind != TimelineSpan.OPERATION ? -1 : to);
            out.append('}');
        }
        out.append("\n]}");
    }

    private static String template() {
        try (InputStream in = TimelineWriter.class.getResourceAsStream("timeline.html")) {
            if (in == null) {
                throw new IllegalStateException("timeline.html is missing beside " + TimelineWriter.class.getName());
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the timeline page's template", e);
        }
    }
}
