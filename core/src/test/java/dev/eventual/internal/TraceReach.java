package dev.eventual.internal;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * What a {@link Trace} link keeps reachable: every link found through any field of a link (its
 * cause, a run's site, whatever a subclass adds), read by reflection so that a field added later
 * is followed too. The measure of the tests that check a chain stays bounded however long the
 * program runs.
 */
final class TraceReach {
    private TraceReach() {}

    /**
     * The most links one context may keep reachable: a link keeps only its cause reachable (see
     * Trace's overview, Reachability), so a context reaches its own chain of causes, at most
     * MAX_DEPTH links, and nothing else.
     */
    static final int BOUND = Trace.MAX_DEPTH;

    /** Every link reachable from {@code head} through links' fields, {@code head} included. */
    static Set<Trace> reachable(Trace head) {
        Set<Trace> reached = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Trace> todo = new ArrayDeque<>();
        if (head != null) {
            todo.push(head);
        }
        while (!todo.isEmpty()) {
            Trace t = todo.pop();
            if (!reached.add(t)) {
                continue;
            }
            for (Field f : traceFields(t.getClass())) {
                try {
                    if (f.get(t) instanceof Trace next) {
                        todo.push(next);
                    }
                } catch (IllegalAccessException e) {
                    throw new AssertionError("cannot read " + f + " of a trace link", e);
                }
            }
        }
        return reached;
    }

    private static List<Field> traceFields(Class<?> type) {
        List<Field> fields = new ArrayList<>();
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (!Modifier.isStatic(f.getModifiers()) && !f.getType().isPrimitive()) {
                    f.setAccessible(true);
                    fields.add(f);
                }
            }
        }
        return fields;
    }
}
