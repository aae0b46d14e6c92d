package dev.eventual.internal;

/**
 * The task by which a promise settled on another thread hands its reactions to its loop: the
 * settling CAS took them, this task carries them there (rule 3). If the loop closes before it
 * runs, {@link Loop#shutdown} still runs the external reactions it carries.
 */
final class Dispatch implements Runnable {
    private final PromiseImpl<?> promise;
    private final Object taken;
    private final Object result;

    Dispatch(PromiseImpl<?> promise, Object taken, Object result) {
        this.promise = promise;
        this.taken = taken;
        this.result = result;
    }

    @Override
    public void run() {
        promise.dispatch(taken, result);
    }

    /** The loop closed first: tell the callers outside. */
    void runExternal() {
        PromiseImpl.runExternal(taken, result);
    }
}
