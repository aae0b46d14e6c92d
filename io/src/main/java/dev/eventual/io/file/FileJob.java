package dev.eventual.io.file;

import dev.eventual.CloseHook;
import dev.eventual.EventLoop;
import dev.eventual.EventLoopClosedException;
import dev.eventual.KeepAlive;
import dev.eventual.Promise;
import java.io.IOException;
import java.nio.channels.Channel;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One file operation (wait for a slot, open a channel, do the I/O, close it), seen from the loop
 * as the future that {@link EventLoop#from} turns into the caller's promise. Subclasses say how
 * to open the channel and what to do with it; this class owns the channel's life, the slot, the
 * loop's keep-alive, the loop-close hook and the ending, so every operation closes its channel
 * exactly once, however it ends.
 *
 * <p>Overview for maintainers.
 * <ul>
 * <li><b>Threads.</b> Created and {@linkplain #launch launched} on the loop thread. Opening, and
 *     the subclass's {@link #run}, happen on a {@link FileThreads} thread (a {@link PipeThreads}
 *     one for a pipe, FIFO or device, whose open may block), then the I/O continues in
 *     completion handlers on file or pipe threads. Only one piece of a job's I/O is in flight
 *     at a time, and each step is handed to the next thread through an executor or the loop's
 *     queue, which orders the subclass's plain fields (happens-before of {@code execute}).
 * <li><b>Slot.</b> A job opens its file only once it holds one of the {@link FileSlots}; until
 *     then it waits in line (phase still OPENING, {@code start} not run). It gives the slot back
 *     when its channel is closed or is known never to open, in {@link #release()}.
 * <li><b>Ending.</b> A job ends once, by the first of: success or failure of its I/O
 *     ({@link #succeedHere}, {@link #failHere}, on a file thread: the channel is closed
 *     <em>before</em> the promise settles, so a caller that sees the promise settle finds the file
 *     closed); a failure decided on another thread ({@link #failLater}: a line callback threw;
 *     the channel is closed on a file thread, then the promise settles);
 *     {@link #cancel} from the promise (the promise is already rejected; the channel is closed
 *     on a file thread); or the loop's close ({@link #loopClosed}, on the loop thread as it
 *     closes: the channel is closed there and then, and an open under way (not a FIFO's) is
 *     waited for, its thread closing what it opened, so that no descriptor outlives the loop).
 *     {@link #ended()} turns {@code true} at once in every case, and I/O steps and callbacks
 *     check it before they go on. A job that ends while in line leaves it and is released there
 *     and then.
 * <li><b>A blocked open.</b> Opening a FIFO blocks until its other end is opened. A job that
 *     ends while its opening thread is blocked so ({@code opensFifo}) makes the open return with
 *     {@link FileKind#releaseBlockedOpen}, on a pipe thread; the opening thread then finds the
 *     job ended and closes what it opened, without doing the job's I/O (a released write
 *     writes nothing). The decision to open is made under {@code lock}, so an ender either sees
 *     {@code opensFifo} or the opener sees {@code ended} and opens nothing. Invariant: <em>a
 *     release reaches its own open and only that one</em>. Its own: the opener may not have
 *     entered the native open yet when the release comes (it is descheduled between the
 *     decision and the call), so the release holds the FIFO open at both ends until the
 *     opener is done ({@code openDone}), not for an instant. Only that one: the loop is released
 *     only after the release is over (by the releasing thread, not by the opener's
 *     {@link #release()}, {@code releasingOpen}), so no open that the caller starts once
 *     {@link EventLoop#run} has returned (a retry of the same FIFO) can be released by it
 *     and fulfil without a peer. (Opens of the same FIFO blocked at the same time by other
 *     jobs or processes are released too; they cannot be told apart.)
 * <li><b>Keep-alive.</b> {@link EventLoop#from} keeps the loop alive until the promise settles
 *     (or is cancelled). {@code alive}, taken at creation, also keeps it alive until the channel
 *     is closed or is known never to open, so that {@link EventLoop#run} returns only once
 *     nothing of the job is left, even after a cancel (a FIFO's blocked open: until it is
 *     released, above, or the release gives up on a FIFO removed or replaced meanwhile).
 * <li><b>Channel handover.</b> {@code channel}, {@code phase}, {@code opensFifo} and
 *     {@code openInProgress} are guarded by {@code lock}; the opening thread publishes the
 *     channel under it unless the job has ended (then it closes the channel itself), and
 *     {@link #takeLocked()} hands it out once. The lock is never held during I/O, nor while
 *     the slot or the loop is released.
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
    /** This job's place in the slots' line (a distinct object per job). */
    private final Runnable start = this::openAndRun;
    /** Makes {@link #release()} happen once. */
    private final AtomicBoolean released = new AtomicBoolean();
    /**
     * A release of this job's blocked FIFO open is under way: the loop is then released by it,
     * once it is over, not by {@link #release()}. Written once, under {@code lock}, before the
     * opening thread can find the job ended (it reads it after taking the lock, see
     * {@link #publish}), so it sees it.
     */
    private volatile boolean releasingOpen;
    /** Registered at launch, removed on release. Written on the loop thread before the job starts. */
    private volatile CloseHook closeHook;
    /** Guards {@code channel}, {@code phase}, {@code opensFifo} and writes of {@code ended}. */
    private final ReentrantLock lock = new ReentrantLock();
    /** The open channel while {@code phase == OPEN}, else {@code null}. Guarded by {@code lock}. */
    private C channel;
    /** OPENING until the opening thread is done, then OPEN, then CLOSED (final). Guarded by {@code lock}. */
    private int phase = OPENING;
    /** The opening thread is (about to be) blocked opening a FIFO. Guarded by {@code lock}. */
    private boolean opensFifo;
    /**
     * The opening thread decided to open (the job had not ended) and has not finished: it has
     * not yet published the channel, closed it, or failed. Guarded by {@code lock}.
     */
    private boolean openInProgress;
    /** Counted down by the opening thread once it is done with the open, however it went. */
    private final CountDownLatch openDone = new CountDownLatch(1);
    /** The kind of file, found by the opening thread before it opens. */
    private FileKind kind = FileKind.SEEKABLE;
    /**
     * Whether the job has ended (settled, cancelled, or failing): no more I/O, no more
     * callbacks. Written under {@code lock} (false to true, once), read anywhere.
     */
    private volatile boolean ended;

    FileJob(EventLoop loop, String operation, Path path) {
        this.loop = loop;
        this.operation = operation;
        this.path = path;
        this.alive = loop.keepAlive("file " + operation + " " + path);
    }

    /** Opens the channel for a file of {@code kind}; runs on a file thread and may block. */
    abstract C open(FileKind kind) throws IOException;

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

    /** What the message of an out-of-memory failure advises. */
    String outOfMemoryAdvice() {
        return "read it in pieces (AsyncFiles.lines) or give the JVM more heap";
    }

    /** Returns the caller's promise and starts the job, or puts it in line for a slot. Loop thread. */
    final Promise<T> launch() {
        Promise<T> promise = dev.eventual.Timeline.track(
                dev.eventual.internal.Traces.operation(loop, operation, this), "file", operation + " " + path); // loop.from, traced and recorded
        closeHook = loop.onClose(this::loopClosed);
        if (FileSlots.global().enter(start)) {
            FileThreads.executor().execute(start);
        }
        return promise;
    }

    /** Whether the job has ended; see {@code ended}. Any thread. */
    final boolean ended() {
        return ended;
    }

    /** Whether the file is a stream read or written sequentially (known once opening began). */
    final FileKind kind() {
        return kind;
    }

    /**
     * Finds the kind of file, then opens it here (a regular file) or on a pipe thread (a pipe, a
     * FIFO or a device, whose open may block until a peer comes: a virtual thread blocked in a
     * native open pins its carrier, and enough of them would stop every virtual thread, among
     * them the one that would release them). File thread.
     */
    private void openAndRun() {
        FileKind found;
        try {
            found = FileKind.of(path);
        } catch (Throwable t) {
            found = FileKind.SEEKABLE; // the open reports what is wrong with the path
        }
        if (found != FileKind.SEEKABLE) {
            FileKind kindFound = found;
            PipeThreads.executor().execute(() -> openAndRun(kindFound));
        } else {
            openAndRun(found);
        }
    }

    private void openAndRun(FileKind found) {
        boolean endedBeforeOpen;
        lock.lock();
        try {
            endedBeforeOpen = ended;
            if (endedBeforeOpen) {
                phase = CLOSED; // cancelled or aborted before it started: nothing to open
            } else {
                kind = found;
                opensFifo = found == FileKind.FIFO;
                openInProgress = true;
            }
        } finally {
            lock.unlock();
        }
        if (endedBeforeOpen) {
            openDone.countDown();
            release();
            return;
        }
        C opened;
        try {
            opened = open(found);
        } catch (Throwable t) {
            lock.lock();
            try {
                phase = CLOSED;
                openInProgress = false;
            } finally {
                lock.unlock();
            }
            openDone.countDown();
            fail(t);
            release();
            return;
        }
        if (!publish(opened)) {
            closeAndRelease(opened);
            openDone.countDown(); // after the close: see loopClosed
            return;
        }
        openDone.countDown();
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
            opensFifo = false;
            openInProgress = false;
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
     * wrapped in a {@link FileOperationException} naming the operation and the path, an
     * {@link OutOfMemoryError} in one whose message names them, anything else rejects as it
     * is. File thread. Does nothing if the job ended already.
     */
    final void failHere(Throwable failure) {
        closeAndRelease(endAndTake());
        fail(failure);
    }

    private void fail(Throwable failure) {
        if (failure instanceof IOException io) {
            completeExceptionally(new FileOperationException(operation, path, io));
        } else if (failure instanceof OutOfMemoryError oom) {
            OutOfMemoryError named = new OutOfMemoryError(operation + " " + path + " failed: out of memory ("
                    + oom.getMessage() + "); " + outOfMemoryAdvice());
            named.initCause(oom);
            completeExceptionally(named);
        } else {
            completeExceptionally(failure);
        }
    }

    /**
     * Ends the job with {@code reason} as it is (what a callback threw): the
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
     * file thread (closing waits for a positional read in flight to return, which a loop thread
     * must not).
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

    /**
     * The loop's close hook, on the loop thread as it closes: the caller's promise already reads
     * as rejected, and a task of this job may have been dropped with the loop's queue, so nothing
     * else would close the channel. Ends the job and closes the channel here and now (a
     * positional read or write in flight is waited for; a pipe's blocked call is interrupted; an
     * open under way is waited for, unless it is a FIFO's, which is released instead).
     */
    private void loopClosed() {
        C taken = endAndTake();
        boolean awaitOpen;
        lock.lock();
        try {
            awaitOpen = openInProgress && !opensFifo; // it will close what it opens, then count down
        } finally {
            lock.unlock();
        }
        completeExceptionally(new EventLoopClosedException(
                "loop " + loop.name() + " closed while " + operation + " " + path + " was in flight"));
        closeAndRelease(taken);
        if (awaitOpen) {
            awaitOpenDone();
        }
    }

    /**
     * Waits until the opening thread is done with an open that is under way (a file that is not
     * a FIFO opens at once), so that the loop's close returns with no descriptor of this job
     * left. Keeps an interrupt for the caller.
     */
    private void awaitOpenDone() {
        boolean interrupted = false;
        while (true) {
            try {
                openDone.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Marks the job ended and takes the channel if it is open; {@code null} otherwise. A job in
     * line leaves it and is released here; a job blocked opening a FIFO has the open released,
     * then releases its loop.
     */
    private C endAndTake() {
        boolean waiting = false;
        boolean blockedOpen = false;
        C taken;
        lock.lock();
        try {
            boolean first = !ended;
            ended = true;
            taken = takeLocked();
            if (first && phase == OPENING) {
                if (FileSlots.global().leave(start)) {
                    phase = CLOSED;
                    waiting = true;
                } else {
                    blockedOpen = opensFifo;
                    releasingOpen = blockedOpen;
                }
            }
        } finally {
            lock.unlock();
        }
        if (waiting) {
            releaseLoop(); // it never took a slot: nothing else to give back
        } else if (blockedOpen) {
            PipeThreads.executor().execute(() -> {
                try {
                    FileKind.releaseBlockedOpen(path, openDone);
                } finally {
                    releaseLoop(); // after the release: it can reach no open begun after the loop ended
                }
            });
        }
        return taken;
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

    /** Closes {@code taken} (if not null) and releases; returns the close failure, if any. */
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
            release();
        }
    }

    /**
     * The channel is closed or will never open: gives back the slot and the loop (the loop not
     * while a release of the open is under way: the release still holds the FIFO open, and an
     * open begun once the loop has ended would go through it). Once.
     */
    private void release() {
        if (released.compareAndSet(false, true)) {
            FileSlots.global().release();
            if (!releasingOpen) {
                releaseLoop();
            }
        }
    }

    /** Releases the loop: its keep-alive, and the close hook (idempotent, both). */
    private void releaseLoop() {
        alive.close();
        CloseHook hook = closeHook;
        if (hook != null) {
            hook.remove();
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + operation + " " + path + (ended ? ", ended" : "") + "]";
    }
}
