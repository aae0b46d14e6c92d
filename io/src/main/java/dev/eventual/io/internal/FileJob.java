package dev.eventual.io.internal;

import dev.eventual.EventLoop;
import dev.eventual.KeepAlive;
import dev.eventual.Promise;
import dev.eventual.io.FileOperationException;
import java.io.IOException;
import java.nio.channels.Channel;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One file operation (open a channel, do the I/O, close it), seen from the loop as the future
 * that {@link EventLoop#from} turns into the caller's promise. Subclasses say how to open the
 * channel and what to do with it; this class owns the channel's life, the loop's keep-alive and
 * the ending, so every operation closes its channel exactly once, however it ends.
 *
 * <p>Overview for maintainers.
 * <ul>
 * <li><b>Threads.</b> Created and {@linkplain #launch launched} on the loop thread. Opening, and
 *     the subclass's {@link #run}, happen on a {@link FileThreads} thread, then the I/O continues
 *     in completion handlers on such threads. Only one piece of a job's I/O is in flight at a
 *     time, and each step is handed to the next thread through an executor or the loop's queue,
 *     which orders the subclass's plain fields (happens-before of {@code execute}).
 * <li><b>Ending.</b> A job ends once, by the first of: success or failure of its I/O
 *     ({@link #succeedHere}, {@link #failHere}, on a file thread: the channel is closed
 *     <em>before</em> the promise settles, so a caller that sees the promise settle finds the file
 *     closed); a failure decided on another thread ({@link #failLater}: a line callback threw, a
 *     signal aborted; the channel is closed on a file thread, then the promise settles); or
 *     {@link #cancel} from the promise (the promise is already rejected; the channel is closed
 *     on a file thread). {@link #ended()} turns {@code true} at once in every case, and I/O
 *     steps and callbacks check it before they go on.
 * <li><b>Keep-alive.</b> {@link EventLoop#from} keeps the loop alive until the promise settles
 *     (or is cancelled). {@code alive}, taken at creation, also keeps it alive until the channel
 *     is closed or is known never to open, so that {@link EventLoop#run} returns only once
 *     nothing of the job is left, even after a cancel. It is released by whoever closes the
 *     channel, or by the opening thread when it finds the job ended or the open failed.
 * <li><b>Channel handover.</b> {@code channel} and {@code phase} are guarded by {@code lock}; the
 *     opening thread publishes the channel under it unless the job has ended (then it closes the
 *     channel itself), and {@link #take()} hands it out once. The lock is never held during I/O.
 * </ul>
 *
 * @param <T> the type of the value
 * @param <C> the type of channel
 */
abstract class FileJob<T, C extends Channel> extends CompletableFuture<T> {
    private static final int OPENING = 0;
    private static final int OPEN = 1;
    private static final int CLOSED = 2;

    /** The caller's loop: its promise settles there, and line callbacks run there. */
    final EventLoop loop;
    /** The public method's name, for failure messages: {@code "readString"}. */
    final String operation;
    /** The file. */
    final Path path;

    /** Held until the channel is closed or known never to open; see the overview. Thread-safe. */
    private final KeepAlive alive;
    /** Guards {@code channel}, {@code phase} and writes of {@code ended}. */
    private final ReentrantLock lock = new ReentrantLock();
    /** The open channel while {@code phase == OPEN}, else {@code null}. Guarded by {@code lock}. */
    private C channel;
    /** OPENING until the opening thread is done, then OPEN, then CLOSED (final). Guarded by {@code lock}. */
    private int phase = OPENING;
    /**
     * Whether the job has ended (settled, cancelled, or failing): no more I/O, no more
     * callbacks. Written under {@code lock} (false to true, once), read anywhere.
     */
    private volatile boolean ended;

    FileJob(EventLoop loop, String operation, Path path) {
        this.loop = loop;
        this.operation = operation;
        this.path = path;
        this.alive = loop.keepAlive();
    }

    /** Opens the channel; runs on a file thread and may block. */
    abstract C open() throws IOException;

    /** Starts the I/O on the open channel; runs on a file thread, once, unless the job ended first. */
    abstract void run(C channel) throws IOException;

    /**
     * Whether a failure to close the channel after a successful operation rejects the promise:
     * {@code true} for writes (the data may not have reached the file), {@code false} for reads
     * (everything was read).
     */
    boolean closeFailureMatters() {
        return false;
    }

    /** Returns the caller's promise and starts the job. Loop thread. */
    final Promise<T> launch() {
        Promise<T> promise = loop.from(this);
        FileThreads.executor().execute(this::openAndRun);
        return promise;
    }

    /** Whether the job has ended; see {@code ended}. Any thread. */
    final boolean ended() {
        return ended;
    }

    private void openAndRun() {
        boolean endedBeforeOpen;
        lock.lock();
        try {
            endedBeforeOpen = ended;
            if (endedBeforeOpen) {
                phase = CLOSED; // cancelled or aborted before it started: nothing to open
            }
        } finally {
            lock.unlock();
        }
        if (endedBeforeOpen) {
            alive.close();
            return;
        }
        C opened;
        try {
            opened = open();
        } catch (Throwable t) {
            lock.lock();
            try {
                phase = CLOSED;
            } finally {
                lock.unlock();
            }
            fail(t);
            alive.close();
            return;
        }
        if (!publish(opened)) {
            closeAndRelease(opened);
            return;
        }
        try {
            run(opened); // even if a cancel took the channel meanwhile: its I/O then fails, ignored
        } catch (Throwable t) {
            failHere(t);
        }
    }

    /**
     * Makes {@code opened} the job's channel, unless the job ended while it opened: then whoever
     * ended it found no channel to close, and the caller closes it.
     */
    private boolean publish(C opened) {
        lock.lock();
        try {
            if (ended) {
                phase = CLOSED;
                return false;
            }
            channel = opened;
            phase = OPEN;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Ends the job with {@code value} after closing the channel. File thread. Does nothing if
     * the job ended already.
     */
    final void succeedHere(T value) {
        IOException closeFailure = closeAndRelease(endAndTake());
        if (closeFailure != null && closeFailureMatters()) {
            completeExceptionally(new FileOperationException(operation, path, closeFailure));
        } else {
            complete(value);
        }
    }

    /**
     * Ends the job with {@code failure} after closing the channel: an {@link IOException} is
     * wrapped in a {@link FileOperationException} naming the operation and the path, anything
     * else rejects as it is. File thread. Does nothing if the job ended already.
     */
    final void failHere(Throwable failure) {
        closeAndRelease(endAndTake());
        fail(failure);
    }

    private void fail(Throwable failure) {
        completeExceptionally(failure instanceof IOException io
                ? new FileOperationException(operation, path, io)
                : failure);
    }

    /**
     * Ends the job with {@code reason} as it is (what a callback threw, a signal's reason): the
     * channel is closed on a file thread, then the promise rejects. Any thread; never blocks.
     */
    final void failLater(Throwable reason) {
        endLater(() -> completeExceptionally(reason));
    }

    /** Ends the job with {@code value} once the channel is closed (see {@link #failLater}). */
    final void succeedLater(T value) {
        endLater(() -> complete(value));
    }

    private void endLater(Runnable settle) {
        C taken = endAndTake();
        if (taken == null) {
            settle.run(); // not open: either closed already, or the opening thread closes it
        } else {
            FileThreads.executor().execute(() -> {
                closeAndRelease(taken);
                settle.run();
            });
        }
    }

    /**
     * Closes the channel without ending the job, when the I/O is over but the results are still
     * to be delivered (the last lines). File thread.
     */
    final void closeChannelHere() {
        C taken;
        lock.lock();
        try {
            taken = takeLocked();
        } finally {
            lock.unlock();
        }
        closeAndRelease(taken);
    }

    /**
     * Called by the promise's cancel on the loop thread: ends the job and closes the channel on a
     * file thread (closing waits for a read in flight to return, which a loop thread must not).
     */
    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        C taken = endAndTake();
        boolean cancelled = super.cancel(mayInterruptIfRunning);
        if (taken != null) {
            FileThreads.executor().execute(() -> closeAndRelease(taken));
        }
        return cancelled;
    }

    /** Marks the job ended and takes the channel if it is open; {@code null} otherwise. */
    private C endAndTake() {
        lock.lock();
        try {
            ended = true;
            return takeLocked();
        } finally {
            lock.unlock();
        }
    }

    private C takeLocked() {
        assert lock.isHeldByCurrentThread();
        if (phase != OPEN) {
            return null;
        }
        phase = CLOSED;
        C taken = channel;
        channel = null;
        return taken;
    }

    /** Closes {@code taken} (if not null) and releases the loop; returns the close failure, if any. */
    private IOException closeAndRelease(C taken) {
        if (taken == null) {
            return null;
        }
        try {
            taken.close();
            return null;
        } catch (IOException e) {
            return e;
        } finally {
            alive.close();
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + operation + " " + path + (ended ? ", ended" : "") + "]";
    }
}
