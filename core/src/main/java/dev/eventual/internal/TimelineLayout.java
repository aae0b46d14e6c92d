package dev.eventual.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeSet;

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
    /** The last operation whose outcome a turn received, by "turn id/kind", for the packing. */
    private final Map<String, Integer> receivedIn = new HashMap<>();

    TimelineLayout(TimelineLog.Snapshot snap) {
        List<TimelineSpan> spans = snap.spans();
        laneOf = new int[spans.size()];
        for (int i = 0; i < spans.size(); i++) {
            TimelineSpan s = spans.get(i);
            positionOf.put(s.id, i);
            if (s.kind == TimelineSpan.OPERATION && s.receivedBy >= 0) {
                receivedIn.put(s.receivedBy + "/" + s.lane, i);
            }
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
        Map<String, Packing> packings = new LinkedHashMap<>();
        for (int i = 0; i < spans.size(); i++) {
            TimelineSpan s = spans.get(i);
            if (s.loopIndex != loop || s.kind != TimelineSpan.OPERATION) {
                continue;
            }
            Packing packing = packings.computeIfAbsent(s.lane, k -> new Packing());
            packing.release(s.start);
            Integer j = s.cause < 0 ? null : receivedIn.get(s.cause + "/" + s.lane);
            Integer lane = j == null || j >= i ? null : laneOf[j];
            if (lane == null || !packing.free.remove(lane)) {
                lane = packing.free.pollFirst();
            }
            if (lane == null) {
                lane = addLane(loop, 1000 + lanes.size(), s.lane, kindLabel(s.lane) + " " + (packing.count + 1));
                packing.count++;
            }
            packing.busy.add(new long[] {s.end < 0 ? Long.MAX_VALUE : s.end, lane});
            laneOf[i] = lane;
        }
    }

    /**
     * The lanes of one kind of operation: free ones by index (the lowest is taken, so sequential
     * operations share the first lane), busy ones by the time they become free. Operations come
     * in the order they started, so a lane busy until t is free for every operation from t on.
     */
    private static final class Packing {
        final TreeSet<Integer> free = new TreeSet<>();
        final PriorityQueue<long[]> busy = new PriorityQueue<>(Comparator.comparingLong((long[] b) -> b[0]));
        int count;

        void release(long now) {
            while (!busy.isEmpty() && busy.peek()[0] <= now) {
                free.add((int) busy.poll()[1]);
            }
        }
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
