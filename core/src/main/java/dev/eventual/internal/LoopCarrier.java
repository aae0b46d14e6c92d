package dev.eventual.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.reflect.Constructor;
import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.LockSupport;

/**
 * The opt-in fast path of async bodies: the loop thread is the carrier of its own bodies' virtual
 * threads, so that handing the turn to a body and back is a continuation mounted and unmounted on
 * one OS thread, with no wake-up of another.
 *
 * <pre>
 * Overview
 *
 * Availability. The JDK lets a virtual thread have a scheduler of its own only through a
 * package-private constructor, ThreadBuilders.VirtualThreadBuilder(Executor); reflection
 * reaches it when the JVM runs with --add-opens java.base/java.lang=ALL-UNNAMED (or opens
 * java.lang to Eventual's module). {@link #BUILDER} is looked up once; where it cannot be (no
 * flag, another JDK, the system property {@value #PROPERTY}=false), {@link #forLoop} returns null
 * and bodies take the default path: their own virtual threads on the JVM's scheduler, taking
 * turns with the loop thread by park/unpark (see AsyncBody). A loop whose thread is itself
 * virtual also takes the default path: a virtual thread cannot carry another
 * (VirtualThread.runContinuation throws WrongThreadException).
 *
 * The scheduler. Each loop with bodies has one LoopCarrier; its bodies' virtual threads are built
 * with it behind their scheduler (each thread's AsyncBody, see Inheritance), so whenever the JDK makes one runnable (start, unpark, the end of a
 * Thread.yield, a timed park's timeout, the release of a monitor) it calls {@link #execute} with
 * the runnable that mounts the thread on the calling carrier. Two queues take it:
 *   ready    plain ArrayDeque, turn-confined: a runnable handed over by the thread that has the
 *            loop's turn (the loop thread; a body; see handing), or by the loop thread as the
 *            carrier, after a continuation unmounted;
 *   foreign  ConcurrentLinkedQueue: from any other thread (a timer thread ending Thread.sleep,
 *            the poller ending a blocking read, the unblocker of a monitor).
 * {@link #runUntilGivenBack} is the carrier's loop: the loop thread, having given body b the turn
 * (AsyncBody.enter), runs what the queues hold, each to its next park, until b has given the turn
 * back and nothing is ready. Bodies that give the turn to other bodies (nested async) do so on
 * this same loop: the giver parks (its continuation unmounts, back here), the started body's
 * runnable is ready, and so on. When b still has the turn and nothing is queued, b is blocked on
 * something outside the loop (Thread.sleep, a blocking read): the loop thread parks until a
 * foreign runnable comes, exactly as long as b blocks, as a callback that blocks would hold it.
 *
 * Inheritance: a virtual thread started by code running in a body (a library's helper thread, a
 * blocking reader) inherits its parent's scheduler (VirtualThread's constructor). Such threads
 * must not run on the loop thread: each body thread's scheduler is its own AsyncBody
 * (AsyncBody.execute, no object more per body), which recognises the body's own runnable (the
 * first it is handed, at the body's start) and passes every other to the JDK's default
 * scheduler, so those threads run as any virtual thread does.
 *
 * A foreign runnable while the loop thread is not in runUntilGivenBack can only be a stray
 * wake-up of a body that does not have the turn (whenever a body has the turn, its chain of
 * givers ends in the loop thread, which is in runUntilGivenBack): it is run by a task posted to
 * the loop ({@link #drainForeign}); the body finds it has no turn and parks again. If the loop has
 * closed, the task is refused and the runnable dropped: that body has already ended, or its
 * thread is never mounted again and is collected with it.
 *
 * Sleep protocol (no lost wake-up): the loop thread writes waiting=1 (volatile), re-reads the
 * foreign queue (volatile reads inside ConcurrentLinkedQueue), and parks only if it is empty; a
 * foreign thread offers (a volatile write), then reads waiting and unparks the loop thread if it
 * wins the CAS 1 -> 0. Volatile accesses are sequentially consistent, so either the loop thread
 * sees the runnable or the foreign thread sees waiting=1.
 *
 * handing: the thread that has the turn, while it starts or unparks a body's thread (AsyncBody
 * sets it around those calls, with the turn), so that execute can tell it from a foreign thread:
 * on a nested start, the starting body is not yet named by loop.turn. Plain: another thread
 * reading a stale value never finds its own thread there.
 *
 * Ordering between a body and the loop is AsyncBody's TURN handoff (release/acquire), as on the
 * default path; mounting adds the virtual thread's own state transitions (volatile), never less.
 *
 * What it costs users: the flag opens java.lang's private members to reflection by all unnamed
 * modules. And one limit of the fast path: a body that awaits while its virtual thread is pinned
 * (inside a native frame or a class initializer, where Loom cannot unmount it) cannot give the
 * loop thread back its stack: the loop thread stays blocked in that await, which the watchdog
 * reports as a blocked loop. On the default path the same await parks a carrier of the JVM's
 * scheduler instead.
 * </pre>
 */
final class LoopCarrier {
    /** System property: {@code false} keeps every loop on the default path even where the fast one is available. */
    static final String PROPERTY = "dev.eventual.async.mount";

    /** The JDK's own virtual-thread scheduler, for threads that bodies start (see Inheritance); null if unavailable. */
    private static final Executor JDK_SCHEDULER = lookUpJdkScheduler();
    /** The builder constructor that takes a scheduler, or null where it is unavailable. */
    private static final Constructor<?> BUILDER = JDK_SCHEDULER == null ? null : lookUpBuilder();

    private static final VarHandle WAITING;

    static {
        try {
            WAITING = MethodHandles.lookup().findVarHandle(LoopCarrier.class, "waiting", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final EventLoopImpl loop;
    /** The loop thread: the carrier; a platform thread. */
    private final Thread carrier;
    private final ArrayDeque<Runnable> ready = new ArrayDeque<>();
    private final ConcurrentLinkedQueue<Runnable> foreign = new ConcurrentLinkedQueue<>();
    /** The thread with the turn while it starts or unparks a body's thread; see the overview. */
    Thread handing;
    /** 1 while the loop thread parks in runUntilGivenBack or is about to; see the sleep protocol. */
    @SuppressWarnings("unused") // accessed through WAITING
    private volatile int waiting;

    private LoopCarrier(EventLoopImpl loop, Thread carrier) {
        this.loop = loop;
        this.carrier = carrier;
    }

    private static Constructor<?> lookUpBuilder() {
        if ("false".equalsIgnoreCase(System.getProperty(PROPERTY, "true"))) {
            return null;
        }
        try {
            Class<?> builder = Class.forName("java.lang.ThreadBuilders$VirtualThreadBuilder");
            Constructor<?> c = builder.getDeclaredConstructor(Executor.class);
            c.setAccessible(true); // InaccessibleObjectException without --add-opens java.base/java.lang
            return c;
        } catch (ReflectiveOperationException | RuntimeException unavailable) {
            return null;
        }
    }

    private static Executor lookUpJdkScheduler() {
        if ("false".equalsIgnoreCase(System.getProperty(PROPERTY, "true"))) {
            return null;
        }
        try {
            java.lang.reflect.Method m = Class.forName("java.lang.VirtualThread").getDeclaredMethod("defaultScheduler");
            m.setAccessible(true); // InaccessibleObjectException without --add-opens java.base/java.lang
            return (Executor) m.invoke(null);
        } catch (ReflectiveOperationException | RuntimeException unavailable) {
            return null;
        }
    }

    /** Whether this JVM lets a loop carry its bodies (the flag is there, the JDK has the hook). */
    static boolean available() {
        return BUILDER != null;
    }

    /**
     * The carrier for {@code loop}'s bodies, or null for the default path (unavailable, or the
     * loop thread is virtual). With the turn, on the loop thread or a body of it.
     */
    static LoopCarrier forLoop(EventLoopImpl loop) {
        Thread t = loop.thread;
        if (BUILDER == null || t == null || t.isVirtual()) {
            return null;
        }
        return new LoopCarrier(loop, t);
    }

    /**
     * Whether body threads can be built here: tries the builder once, so that a loop whose JVM
     * refuses it takes the default path instead of failing per body.
     */
    boolean canBuild() {
        try {
            BUILDER.newInstance((Executor) Runnable::run);
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }

    /**
     * An unstarted thread for {@code body}, named {@code name}, inheriting no inheritable
     * thread-locals, whose scheduler is {@code body} itself (see Inheritance).
     */
    static Thread newThread(AsyncBody<?> body, String name) {
        try {
            Thread.Builder.OfVirtual b = (Thread.Builder.OfVirtual) BUILDER.newInstance(body);
            return b.name(name).inheritInheritableThreadLocals(false).unstarted(body);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build an async body's thread", e);
        }
    }

    /** The JDK's own virtual-thread scheduler, for threads that bodies start (see Inheritance). */
    static Executor jdkScheduler() {
        return JDK_SCHEDULER;
    }

    /** Whether the calling thread is the carrier (the loop thread). */
    boolean isCarrier() {
        return Thread.currentThread() == carrier;
    }

    /** See the overview: called (through AsyncBody.execute) by the JDK, on any thread, when a body's thread can run. */
    void execute(Runnable mount) {
        Thread t = Thread.currentThread();
        if (t == carrier || t == handing || loop.inEventLoop()) {
            ready.add(mount);
            return;
        }
        foreign.add(mount);
        if ((int) WAITING.getVolatile(this) == 1 && WAITING.compareAndSet(this, 1, 0)) {
            LockSupport.unpark(carrier);
        } else {
            loop.post((Runnable) this::drainForeign); // refused once closed: see the overview
        }
    }

    /**
     * On the loop thread, after giving {@code body} the turn: mounts whatever is runnable until
     * {@code body} has given the turn back and nothing is ready (see the overview).
     */
    void runUntilGivenBack(AsyncBody<?> body) {
        boolean interrupted = false;
        for (;;) {
            Runnable r = ready.poll();
            if (r == null) {
                r = foreign.poll();
            }
            if (r != null) {
                r.run();
                continue;
            }
            if (body.givenBack()) {
                break;
            }
            WAITING.setVolatile(this, 1);
            if (foreign.isEmpty()) {
                LockSupport.park(this);
                interrupted |= Thread.interrupted();
            }
            WAITING.setVolatile(this, 0);
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** A loop task: mounts stray wake-ups that came while no body had the turn (see the overview). */
    private void drainForeign() {
        Runnable r;
        while ((r = foreign.poll()) != null) {
            r.run();
        }
        while ((r = ready.poll()) != null) {
            r.run();
        }
    }
}
