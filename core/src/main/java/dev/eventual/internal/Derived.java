package dev.eventual.internal;

import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A promise returned by a handler method ({@code then}, {@code caught}, ...), which is also the
 * reaction registered on its source: one object per handler, no separate reaction node.
 *
 * <p>{@link #fire} runs on the loop thread as a microtask with the source's encoded result,
 * calls the handler (or passes the result through when the handler does not apply) and
 * resolves this promise with the outcome; an exception from the handler rejects it, unwrapped.
 * The handler field is cleared before the call, so a settled chain keeps no handler reachable.
 *
 * <p>After a handler returned a promise, the same object turns into the adoption job
 * ({@link #ADOPT}: register on the returned promise) and then the follower ({@link #FOLLOW}:
 * take its outcome), so adopting costs no allocation. {@code kind} and {@code handler} are
 * confined to the loop thread after construction; the construction itself is published to the
 * loop by the registration CAS or the task queue.
 */
final class Derived<T> extends PromiseImpl<T> {
    static final byte THEN = 0;
    static final byte THEN_BOTH = 1;
    static final byte COMPOSE = 2;
    static final byte ACCEPT = 3;
    static final byte CAUGHT = 4;
    static final byte CAUGHT_TYPE = 5;
    static final byte LASTLY = 6;
    static final byte ADOPT = 7;
    static final byte FOLLOW = 8;

    /** The handler: a function, a consumer, a runnable or an {@code Object[]} pair; null once fired. */
    private Object handler;
    private byte kind;

    Derived(Loop loop, byte kind, Object handler) {
        super(loop);
        this.kind = kind;
        this.handler = handler;
    }

    @Override
    Object adoptionJob() {
        // This promise is locked and its handler has run: reuse it as the job.
        kind = ADOPT;
        return this;
    }

    @SuppressWarnings("unchecked")
    void fire(Object r) {
        Object h = handler;
        handler = null;
        Object out;
        try {
            switch (kind) {
                case THEN -> {
                    if (r instanceof Failure) {
                        complete(r);
                        return;
                    }
                    out = ((Function<Object, Object>) h).apply(decode(r));
                }
                case THEN_BOTH -> {
                    Object[] pair = (Object[]) h;
                    out = r instanceof Failure f
                            ? ((Function<Throwable, Object>) pair[1]).apply(f.reason)
                            : ((Function<Object, Object>) pair[0]).apply(decode(r));
                }
                case COMPOSE -> {
                    if (r instanceof Failure) {
                        complete(r);
                        return;
                    }
                    out = Objects.requireNonNull(((Function<Object, Object>) h).apply(decode(r)),
                            "thenCompose handler returned null instead of a promise");
                }
                case ACCEPT -> {
                    if (r instanceof Failure) {
                        complete(r);
                        return;
                    }
                    ((Consumer<Object>) h).accept(decode(r));
                    out = null;
                }
                case CAUGHT -> {
                    if (!(r instanceof Failure f)) {
                        complete(r);
                        return;
                    }
                    out = ((Function<Throwable, Object>) h).apply(f.reason);
                }
                case CAUGHT_TYPE -> {
                    Object[] pair = (Object[]) h;
                    if (!(r instanceof Failure f) || !((Class<?>) pair[0]).isInstance(f.reason)) {
                        complete(r);
                        return;
                    }
                    out = ((Function<Throwable, Object>) pair[1]).apply(f.reason);
                }
                case LASTLY -> {
                    ((Runnable) h).run();
                    complete(r);
                    return;
                }
                case ADOPT -> {
                    // r is the promise to follow (see PromiseImpl.resolveThenable).
                    kind = FOLLOW;
                    ((PromiseImpl<?>) r).register(this);
                    return;
                }
                case FOLLOW -> {
                    completeFollowing(r);
                    return;
                }
                default -> throw new AssertionError("kind " + kind);
            }
        } catch (Throwable t) {
            complete(new Failure(t));
            return;
        }
        resolveFromHandler(out);
    }
}
