package dev.eventual.internal;

import dev.eventual.KeepAlive;
import dev.eventual.Promise;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.function.Supplier;

/**
 * One task of a {@link Limit}: the promise {@code run} returned, the queue node, and the reaction
 * on the task's own promise, in one object (as {@link Combinator} is result and reaction).
 *
 * <p>{@code phase} and the links are confined to the limiter's loop thread (see {@link Limit}):
 * NEW (not yet queued: run() was called off the loop), QUEUED, STARTING (slot taken, start
 * microtask queued), RUNNING (registered on the task's promise), DONE (slot given back or never
 * taken). Only the transitions out of STARTING and RUNNING give a slot back, each once, because
 * they all set DONE first. {@code task} and {@code starter} are written before the object is
 * published (returned, or posted to the loop), and {@code task} is cleared when it is called.
 */
final class LimitedTask<T> extends PromiseImpl<T> implements Reaction {
    static final int NEW = 0;
    static final int QUEUED = 1;
    static final int STARTING = 2;
    static final int RUNNING = 3;
    static final int DONE = 4;

    private final Limit owner;
    private Supplier<? extends Promise<? extends T>> task;
    /**
     * The start microtask: a Runnable of its own, since the microtask queue runs a Reaction (which
     * this is) as one; in the AsyncLocal context of the run() call.
     */
    final Runnable starter;
    int phase = NEW;
    LimitedTask<?> prev;
    LimitedTask<?> next;
    /** The task's promise while RUNNING; loop thread only. */
    private PromiseImpl<?> source;
    /** Held while the task's promise of another loop is pending (rule 7); closed once, idempotently. */
    private volatile KeepAlive alive;

    LimitedTask(Limit owner, Supplier<? extends Promise<? extends T>> task) {
        super(owner.loop);
        this.owner = owner;
        this.task = task;
        this.starter = AsyncContext.capture((Runnable) this::start);
    }

    /** The start microtask (loop thread): calls the task, unless cancelled since the dequeue. */
    private void start() {
        if (phase != STARTING) {
            return;
        }
        Supplier<? extends Promise<? extends T>> t = task;
        task = null;
        PromiseImpl<? extends T> p;
        try {
            p = PromiseImpl.of(Objects.requireNonNull(t.get(), "limited task returned null instead of a promise"),
                    "limited task");
        } catch (Throwable e) {
            phase = DONE;
            owner.finished(); // the slot first, as below
            tryReject(e);
            return;
        }
        phase = RUNNING;
        source = p;
        if (p.loop != loop) {
            alive = loop.keepAliveOrNull(); // written before the registration that publishes it
        }
        p.register(this);
    }

    /** The task's promise settled (its loop's thread). */
    @Override
    public void react(Object r) {
        if (loop.inEventLoop()) {
            settled(r);
        } else {
            loop.runOnLoop(() -> settled(r));
            release(); // after the post: the loop never looks idle between
        }
    }

    private void release() {
        KeepAlive a = alive;
        if (a != null) {
            alive = null;
            a.close();
        }
    }

    private void settled(Object r) {
        source = null;
        if (phase != RUNNING) {
            return; // cancelled meanwhile: the slot was given back then
        }
        phase = DONE;
        // The slot first: the next task's start microtask is queued before this promise's
        // handlers, so the next task starts before they run, as with p-limit (whose run() frees
        // the slot after one turn, while the caller's promise takes more to adopt the result).
        owner.finished();
        complete(ownResult(r));
    }

    /**
     * Loop thread: rejects this queued (or never queued) task without starting it: with
     * {@code reason}, or, when null, with a handled CancellationException as a cancel would.
     */
    void drop(Throwable reason) {
        task = null;
        phase = DONE;
        if (reason != null) {
            tryReject(reason);
        } else {
            Failure cleared = new Failure(new CancellationException("removed from the limiter's queue by clearQueue()"));
            cleared.markHandled(); // whoever clears the queue expects it, as with cancel()
            settleAnyPending(cleared);
        }
    }

    @Override
    public boolean needsOutcome() {
        return !isSettled();
    }

    @Override
    boolean hasProducer() {
        return true;
    }

    /** Cancelled by its holder (loop thread): leave the queue, or give the slot back and release the work. */
    @Override
    PromiseImpl<?> producerCancelled() {
        int was = phase;
        phase = DONE;
        task = null;
        switch (was) {
            case QUEUED -> owner.dequeued(this);
            case STARTING -> owner.finished();
            case RUNNING -> {
                PromiseImpl<?> work = source;
                source = null;
                release(); // this reaction may never run now (the consumer rule may prune it)
                owner.finished();
                return work;
            }
            default -> { } // NEW: enqueue() sees it settled; DONE: nothing left
        }
        return null;
    }

    @Override
    public String toString() {
        String[] names = {"new", "queued", "starting", "running", "done"};
        return "LimitedTask[" + names[phase] + ", " + super.toString() + "]";
    }
}
