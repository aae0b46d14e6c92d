package dev.eventual.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where each span of a {@link TimelineLog.Snapshot} is drawn: the lanes of each recorded loop,
 * top to bottom (the loop thread, then its async bodies in the order they started, then its
 * operations by kind), and the lane of every span. Both writers use it, so the trace's threads
 * and the page's lanes are the same.
 *
 * <p>Operations are packed: each goes to the first lane of its kind that is free at its start,
 * except that an operation started by the callback that received another one's outcome (a body
 * read after its response's headers) takes that one's lane when it is free, so a request and its
 * follow-up stay on one line. An open operation occupies its lane to the end.
 */
final class TimelineLayout {
    /** One lane: a trace thread, a row of the page. */
    record Lane(int index, int loopIndex, int tid, String kind, String label) {}

    final List<Lane> lanes = new ArrayList<>();
    /** The lane of each span, by position in the snapshot's list. */
    final int[] laneOf;
    /** A span's position in the snapshot's list, by id. */
    final Map<Integer, Integer> positionOf = new HashMap<>();

    TimelineLayout(TimelineLog.Snapshot snap) {
        List<TimelineSpan> spans = snap.spans();
        laneOf = new int[spans.size()];
        for (int i = 0; i < spans.size(); i++) {
            positionOf.put(spans.get(i).id, i);
        }
        for (int loop = 0; loop < snap.loops().size(); loop++) {
            layOut(snap, loop);
        }
    }

    private void layOut(TimelineLog.Snapshot snap, int loop) {
        List<TimelineSpan> spans = snap.spans();
        int loopLane = addLane(loop, 1, "loop", "your program, on the loop thread '" + snap.loops().get(loop) + "'");
        Map<String, Integer> bodyLanes = new LinkedHashMap<>();
        for (int i = 0; i < spans.size(); i++) {
            TimelineSpan s = spans.get(i);
            if (s.loopIndex != loop) {
                continue;
            }
            if (s.kind == TimelineSpan.TURN) {
                laneOf[i] = loopLane;
            } else if (s.kind == TimelineSpan.BODY_RUN || s.kind == TimelineSpan.BODY_WAIT) {
                laneOf[i] = bodyLanes.computeIfAbsent(s.lane, l -> addLane(loop, 100 + bodyLanes.size(), "body", l));
            }
        }
        // Operations, packed per kind; kinds in the order they first appear.
        Map<String, List<long[]>> free = new LinkedHashMap<>(); // kind -> per lane {lane index, busy until}
        for (int i = 0; i < spans.size(); i++) {
            TimelineSpan s = spans.get(i);
            if (s.loopIndex != loop || s.kind != TimelineSpan.OPERATION) {
                continue;
            }
            List<long[]> ofKind = free.computeIfAbsent(s.lane, k -> new ArrayList<>());
            long end = s.end < 0 ? Long.MAX_VALUE : s.end;
            long[] chosen = preferred(spans, s, ofKind);
            if (chosen == null) {
                for (long[] l : ofKind) {
                    if (l[1] <= s.start) {
                        chosen = l;
                        break;
                    }
                }
            }
            if (chosen == null) {
                int n = ofKind.size() + 1;
                chosen = new long[] {addLane(loop, 1000 + lanes.size(), s.lane, kindLabel(s.lane) + " " + n), 0};
                ofKind.add(chosen);
            }
            chosen[1] = end;
            laneOf[i] = (int) chosen[0];
        }
    }

    /** The lane of the operation whose outcome the turn that started {@code op} received, if free. */
    private long[] preferred(List<TimelineSpan> spans, TimelineSpan op, List<long[]> ofKind) {
        if (op.cause < 0) {
            return null;
        }
        for (int j = positionOf.getOrDefault(op.cause, 0); j >= 0; j--) {
            TimelineSpan earlier = spans.get(j);
            if (earlier.kind == TimelineSpan.OPERATION && earlier.receivedBy == op.cause
                    && earlier.lane.equals(op.lane)) {
                int lane = laneOf[j];
                for (long[] l : ofKind) {
                    if (l[0] == lane && l[1] <= op.start) {
                        return l;
                    }
                }
                return null;
            }
        }
        return null;
    }

    private int addLane(int loop, int tid, String kind, String label) {
        lanes.add(new Lane(lanes.size(), loop, tid, kind, label));
        return lanes.size() - 1;
    }

    /** A kind of operation in words, for a lane's label. */
    static String kindLabel(String kind) {
        return switch (kind) {
            case "fetch" -> "HTTP request";
            case "file" -> "file operation";
            case "process" -> "child process";
            case "timer" -> "timer";
            default -> kind;
        };
    }
}
