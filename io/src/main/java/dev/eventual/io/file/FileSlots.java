package dev.eventual.io.file;

import java.util.LinkedHashSet;
import java.util.Iterator;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Bounds the files that file operations hold open at once, in the whole JVM (descriptors are a
 * process's), and queues the rest in arrival order, as fetch's per-host limit queues exchanges:
 * without it, 10,000 reads started at once open 10,000 files, and under the usual limit of 1,024
 * descriptors most of them fail with "Too many open files".
 *
 * <p>A job {@linkplain #enter enters}: it gets a slot at once if fewer than {@link #limit()} are
 * taken, else it waits in line. A job holds its slot from before its open until its file is
 * closed (or the open failed, or was skipped because the job had ended), then
 * {@linkplain #release releases} it: the slot passes straight to the first job in line, which
 * then starts on a file thread. A job that ends while in line {@linkplain #leave leaves} it and
 * never takes a slot. Everything is guarded by {@code lock}; starting a job happens after the
 * lock is released. The line is a {@link LinkedHashSet}: arrival order, and leaving is O(1).
 *
 * <p>The limit is {@value #DEFAULT_LIMIT}, or the system property
 * {@value #LIMIT_PROPERTY} read once (at least 1).
 */
final class FileSlots {
    /** The system property that sets the limit. */
    static final String LIMIT_PROPERTY = "dev.eventual.io.maxOpenFiles";
    static final int DEFAULT_LIMIT = 128;

    private static final FileSlots GLOBAL = new FileSlots(Math.max(1, Integer.getInteger(LIMIT_PROPERTY, DEFAULT_LIMIT)));

    private final int limit;
    private final ReentrantLock lock = new ReentrantLock();
    /** Slots taken. Guarded by {@code lock}. */
    private int taken;
    /** Jobs waiting for a slot, in arrival order. Guarded by {@code lock}. */
    private final LinkedHashSet<Runnable> line = new LinkedHashSet<>();

    FileSlots(int limit) {
        this.limit = limit;
    }

    /** The limiter of this JVM's file operations. */
    static FileSlots global() {
        return GLOBAL;
    }

    /** The most slots taken at once. */
    int limit() {
        return limit;
    }

    /**
     * Takes a slot for {@code start} and returns true, or puts it in line and returns false; the
     * caller runs {@code start} itself when this returns true. {@code start} must be a distinct
     * object per job (it is the job's place in line).
     */
    boolean enter(Runnable start) {
        lock.lock();
        try {
            if (taken < limit) {
                taken++;
                return true;
            }
            line.add(start);
            return false;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes {@code start} out of line; returns false if it was not there (it got a slot, and
     * runs or will run, or it never entered).
     */
    boolean leave(Runnable start) {
        lock.lock();
        try {
            return line.remove(start);
        } finally {
            lock.unlock();
        }
    }

    /** Gives a slot back: to the first job in line, which is started on a file thread, or free. */
    void release() {
        Runnable next;
        lock.lock();
        try {
            Iterator<Runnable> first = line.iterator();
            if (first.hasNext()) {
                next = first.next();
                first.remove(); // the slot passes to it: taken stays the same
            } else {
                next = null;
                taken--;
                assert taken >= 0 : "a slot released twice";
            }
        } finally {
            lock.unlock();
        }
        if (next != null) {
            FileThreads.executor().execute(next);
        }
    }

    /** Slots taken now (tests). */
    int taken() {
        lock.lock();
        try {
            return taken;
        } finally {
            lock.unlock();
        }
    }
}
