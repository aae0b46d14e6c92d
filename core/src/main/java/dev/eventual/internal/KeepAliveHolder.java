package dev.eventual.internal;

import dev.eventual.KeepAlive;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One held {@link KeepAlive} of a loop, with what holds it, for {@link LoopDescription}: the loop
 * keeps its live holders in a concurrent set (added when taken, removed when released), beside the
 * count its sleep protocol reads ({@link EventLoopImpl}'s overview).
 *
 * <p>{@code what} is the label given to {@link dev.eventual.EventLoop#keepAlive(String)} or the
 * object the loop waits for (a stage given to {@code Promise.from}: its {@code toString}, which
 * the io module's operations override to say "fetch GET https://...", is read only when a
 * description is made, never on the path that takes the reference). Null: an unlabelled
 * {@code keepAlive()}.
 *
 * <p>Release: the first {@link #close()} wins a CAS on {@code released} and runs the release
 * action once; later calls do nothing (KeepAlive's idempotence).
 */
final class KeepAliveHolder implements KeepAlive {
    private static final VarHandle RELEASED;

    static {
        try {
            RELEASED = MethodHandles.lookup().findVarHandle(KeepAliveHolder.class, "released", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final EventLoopImpl loop;
    /** What holds the loop; see the class comment. */
    final Object what;
    @SuppressWarnings("unused") // accessed through RELEASED
    private volatile int released;

    KeepAliveHolder(EventLoopImpl loop, Object what) {
        this.loop = loop;
        this.what = what;
    }

    @Override
    public void close() {
        if (RELEASED.compareAndSet(this, 0, 1)) {
            loop.releaseKeepAlive(this);
        }
    }

    /** One line of a description: what holds the loop, never throwing for a hostile toString. */
    String describe() {
        if (what == null) {
            return "an unlabelled keepAlive()";
        }
        if (what instanceof String label) {
            return label;
        }
        try {
            return "waiting for " + what;
        } catch (Throwable e) {
            return "waiting for a " + what.getClass().getName();
        }
    }
}
