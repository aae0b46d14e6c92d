package dev.eventual.internal;

import dev.eventual.CloseHook;
import dev.eventual.Deferred;
import dev.eventual.EventLoop;
import dev.eventual.EventLoopClosedException;
import dev.eventual.KeepAlive;
import dev.eventual.Promise;
import dev.eventual.Timeout;
import dev.eventual.UnhandledRejectionPolicy;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The event loop: one thread, a task queue, a timer heap and a microtask queue.
 *
 * <pre>
 * Overview
 *
 * One iteration (see {@link #loop}):
 *   1. read the clock once into {@code now}: the time against which timers are due in this
 *      iteration (Node's processTimers(now)). A timer set counts its delay from a fresh clock
 *      read at the call, and an interval's next run from a read just before its callback, as
 *      Node's insert(getLibuvNow()) does: Node updates the loop time there, so a timer set
 *      late in a long task fires after one set earlier with a longer delay that is due first;
 *   2. run every timer due at {@code now}, in (deadline, seq) order;
 *   3. run up to TASK_BATCH queued tasks, in FIFO order;
 *   4. if there is nothing to do: end (run mode, nothing keeps the loop alive), or sleep until
 *      the next timer or a wake-up.
 * After every single timer callback and task comes the microtask checkpoint ({@link
 * #checkpoint}): drain microtasks, then report unhandled rejections, repeat until both are done.
 * Once per trim window (TRIM_WINDOW_MILLIS), at the start of an iteration, the microtask and
 * timer queues may shrink (their overviews give the hysteresis); an idle loop that has a queue
 * which could shrink parks no later than the window's end.
 *
 * Errors: every callback runs in a try. An error that escapes an iteration comes from the
 * loop's own bookkeeping or reports (an OutOfMemoryError, a StackOverflowError): it is fatal
 * ({@link #fail}), the loop shuts down, and errors of the shutdown are suppressed on it.
 *
 * Threads: fields without a comment are loop-thread only. Other threads reach the loop through
 * {@link #post} (the MPSC {@link TaskQueue}) and the volatile fields below. "Loop thread" means
 * the thread that has the loop's turn: while an async body runs, the loop thread is parked and
 * the body's thread acts for it, inEventLoop() included (rule 8; see {@link AsyncBody}).
 *
 * Running tasks: the loop takes tasks with TaskQueue.poll, which reads only the head slot, and
 * goes idle when it finds none, even when a producer has claimed the head index and not yet
 * written it: the idle spin below waits that window out, and when it lasts past the spin the
 * sleep protocol's re-check finds the queue non-empty, so the loop yields the processor (the
 * producer may need it) and comes round again; it never parks on a claimed item. It never reads
 * the producers' tail index between tasks (see TaskQueue's note on false sharing).
 *
 * Sleep protocol (no lost wake-up): an idle loop first spins for IDLE_SPIN_NANOS re-reading the
 * task queue's head slot with sleeping=0 (a producer then never unparks it; the spin only reads,
 * so the protocol below carries the whole argument). Then it writes sleeping=1 (volatile),
 * re-reads closeRequested, keepAlives and the task queue's tail index (all volatile), in that
 * order, and parks only if all say idle (a run-mode loop with no keep-alive and no referenced
 * timer ends instead). A producer first publishes its work with a volatile write (the queue's
 * getAndAdd claim, the keep-alive decrement, closeRequested), then reads sleeping (volatile) and
 * unparks if it is 1 and it wins the CAS 1 -> 0. Volatile accesses are sequentially consistent,
 * so either the loop sees the work or the producer sees sleeping=1. At most one unpark per sleep.
 * Ending (run mode): a thread posts under a keep-alive and releases it after its post, so the
 * loop reads keepAlives before the queue: a loop that sees the last release sees the task too.
 * Read the other way round, a post and release between the two reads would end the loop with
 * the task unrun (an outcome resolved from another thread, never delivered).
 *
 * Closing ({@link #shutdown}): closed=true is written first; from then on every promise of this
 * loop that is still pending reads as rejected (PromiseImpl.resultOrClosed), tasks are refused,
 * and promises with external reactions (watched) are flushed so callers outside are told.
 *
 * Close hooks (onClose) run exactly once, or never if removed first: whoever removes a hook from
 * closeHooks runs it (the set's remove is atomic). A registering thread adds its hook, then reads
 * closed; shutdown writes closed, then removes and runs every hook it finds. Both are volatile
 * accesses (the set's add and iteration included), so either shutdown finds the hook or the
 * registering thread sees closed=true and removes and runs it itself.
 * </pre>
 */
public final class EventLoopImpl implements EventLoop {
    /**
     * The loop of the calling thread when it is a loop thread; an async body's thread finds its
     * loop through its body instead ({@link #current()}).
     */
    static final ThreadLocal<EventLoopImpl> CURRENT = new ThreadLocal<>();
    private static final AtomicInteger STARTED = new AtomicInteger();
    /** Tasks run per iteration before timers get another look. */
    private static final int TASK_BATCH = 1024;
    /**
     * How long an idle loop spins, re-reading its task queue, before the sleep protocol. A task
     * posted to a parked loop costs a futex wake-up (the poster's unpark and the sleeper's
     * return), most of a hand-off round trip (post, run, see the result); a task posted within the
     * spin costs none. Short, and spinning rather than yielding, because of what it costs when the
     * cores are busy: a yielding loop stays runnable, so the poster sees it awake and does not
     * unpark it, and it waits behind the other threads for a whole time slice; a longer spin takes
     * the core from the threads that would post. The price is this much CPU time each time the
     * loop runs out of work. Figures, idle and loaded: BENCHMARKS.md, "Chain and AllOf at n = 10".
     */
    private static final long IDLE_SPIN_NANOS = 1_000;
    /**
     * The trim window, in ms of the loop clock: a queue (microtasks, timers) that used less than a
     * quarter of its capacity for a whole window shrinks at its end (see MicrotaskQueue.trim,
     * TimerQueue.trim). An idle loop with a queue that could shrink wakes at the window's end.
     */
    private static final long TRIM_WINDOW_MILLIS = 1_000;
    /** The longest single park, in ms: its nanoseconds still fit in a long. */
    private static final long MAX_PARK_MILLIS = Long.MAX_VALUE / 1_000_000L;

    private static final VarHandle SLEEPING;
    private static final VarHandle KEEP_ALIVES;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            SLEEPING = lookup.findVarHandle(EventLoopImpl.class, "sleeping", int.class);
            KEEP_ALIVES = lookup.findVarHandle(EventLoopImpl.class, "keepAlives", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final String name;
    private final boolean exitWhenIdle;
    private final Consumer<? super Throwable> taskErrorHandler;
    /** Set before the loop accepts work (constructor or run), null once closed; read by any thread. */
    volatile Thread thread;

    final MicrotaskQueue microtasks = new MicrotaskQueue();
    final TaskQueue tasks = new TaskQueue();
    final TimerQueue timers = new TimerQueue();
    /** What the loop thread is doing, for the watchdog and close(Duration); see TurnMark. */
    final TurnMark mark = new TurnMark();
    /** The JFR timing of the same units of work; see LongTurns. */
    private final LongTurns longTurns = new LongTurns(this);
    /** The blocked-loop threshold in ms; 0: not watched. */
    private final long blockedThresholdMillis;
    /** Whether registrations capture their site (async stack traces; see Traces). */
    final boolean traces;
    /**
     * The async-stack link of the work running now (see Traces); always null when traces are off.
     * Turn-confined, like the loop's other state.
     */
    Trace trace;
    final RejectionTracker rejections;
    /** Promises with external reactions, flushed at close. Pruned of settled ones as it grows. */
    private final Set<PromiseImpl<?>> watched = ConcurrentHashMap.newKeySet();
    /** The held keep-alives, for describe(); the count the sleep protocol reads is keepAlives. */
    final Set<KeepAliveHolder> keepAliveHolders = ConcurrentHashMap.newKeySet();
    /** onClose actions; see "Close hooks" in the overview. */
    private final Set<Hook> closeHooks = ConcurrentHashMap.newKeySet();
    private volatile int pruneWatchedAt = 64;
    private final CompletableFuture<Void> termination = new CompletableFuture<>();
    private final long originNanos = System.nanoTime();
    /** Where {@link #clock} reads the time: null for the real clock, else a virtual one (testkit). */
    private final LoopClock clockSource;

    /** The loop clock at the start of this iteration, in ms since the loop was made. */
    long now;
    /** The loop clock when the current trim window began. */
    private long trimWindowStart;
    /** The first fatal error (THROW policy or main's exception); ends the loop. */
    Throwable fatal;
    /**
     * The async body that has this loop's turn (rule 8), or null while the loop thread has it.
     * Written only by the thread that has the turn, before the handoff that passes the turn on
     * (see AsyncBody). Plain: the body it names reads it after that handoff; any other thread
     * reading a stale value still finds it does not name its own thread, which is all
     * {@link #inEventLoop} asks.
     */
    AsyncBody<?> turn;
    /** Live async bodies, ended at close; null until the first. Turn-confined. */
    AsyncBodies bodies;

    /**
     * Records the timeline (see TimelineRecorder), or null: the one field each hook reads, plainly,
     * so a loop that records nothing pays one load per hook. Turn-confined: written by the thread
     * with the turn (the constructor, or a task of start/stopRecording); a body reads it after the
     * turn's handoff, which orders the write before it.
     */
    TimelineRecorder recorder;

    /** Test seam, loop-thread only: run by the idle check between its keep-alive and queue reads (LoopRunExitTest). */
    Runnable idleCheckForTest;

    /** 1 while the loop parks or is about to; see the sleep protocol. */
    @SuppressWarnings("unused") // accessed through SLEEPING
    private volatile int sleeping;
    /** Held KeepAlive references; getAndAdd only. */
    @SuppressWarnings("unused") // accessed through KEEP_ALIVES
    private volatile int keepAlives;
    /** Any thread may request; the loop acts on it after the current checkpoint. */
    volatile boolean closeRequested;
    /** Written once, by the loop thread, first thing in shutdown. */
    private volatile boolean closed;

    EventLoopImpl(LoopConfig config, boolean exitWhenIdle) {
        this.name = config.name;
        this.exitWhenIdle = exitWhenIdle;
        UnhandledRejectionPolicy policy = config.policy != null ? config.policy
                : exitWhenIdle ? UnhandledRejectionPolicy.THROW // a program's loop (run): as Node 15+
                : UnhandledRejectionPolicy.WARN; // embedded (start): never takes its host program down
        this.rejections = new RejectionTracker(this, policy, config.rejectionHandler);
        this.taskErrorHandler = config.taskErrorHandler;
        this.clockSource = config.clock;
        this.blockedThresholdMillis = config.blockedThresholdMillis >= 0 ? config.blockedThresholdMillis
                : Watchdog.defaultThresholdMillis();
        this.traces = Traces.enabled(config);
        if (config.timeline != null) {
            this.recorder = new TimelineRecorder(config.timeline, name, exitWhenIdle);
        }
    }

    // ------------------------------------------------------------------ entry points

    /** The loop of the calling thread (a loop thread or an async body's), or null. */
    public static EventLoopImpl current() {
        AsyncBody<?> body = AsyncBody.ofThisThread();
        return body != null ? body.loop : CURRENT.get();
    }

    /** The loop of the calling thread; fails with a message that says what to do instead. */
    public static EventLoopImpl require(String what) {
        EventLoopImpl loop = current();
        if (loop == null) {
            throw new IllegalStateException(what + " needs an event loop, but thread '"
                    + Thread.currentThread().getName() + "' runs none. Call it inside EventLoop.run(...) or a"
                    + " callback of a loop, or use the methods of a loop you hold (loop.withResolvers(),"
                    + " loop.resolved(value), loop.from(stage), ...)");
        }
        return loop;
    }

    /** {@link EventLoop#run}: the calling thread becomes the loop until no work is left. */
    public static void runOnCurrentThread(LoopConfig config, Runnable main) {
        EventLoopImpl existing = current();
        if (existing != null) {
            throw new IllegalStateException("EventLoop.run called on thread '" + Thread.currentThread().getName()
                    + "', which already runs event loop '" + existing.name
                    + "'; a thread runs one loop at a time. Use the current loop's methods instead");
        }
        if (config.name == null) {
            config.name = "main";
        }
        EventLoopImpl loop = new EventLoopImpl(config, true);
        loop.thread = Thread.currentThread();
        CURRENT.set(loop);
        try {
            loop.tasks.offer((Runnable) () -> {
                try {
                    main.run();
                } catch (Throwable t) {
                    loop.fail(t);
                }
            });
            loop.loop();
        } finally {
            CURRENT.remove();
        }
        Throwable failure = loop.fatal;
        if (failure instanceof RuntimeException e) {
            throw e;
        }
        if (failure instanceof Error e) {
            throw e;
        }
        if (failure != null) {
            throw new IllegalStateException(failure); // unreachable: Runnable throws no checked exception
        }
    }

    /** {@link EventLoop#start}: a loop on a new platform thread, until closed. */
    public static EventLoopImpl startOnNewThread(LoopConfig config) {
        if (config.name == null) {
            config.name = "eventual-" + STARTED.getAndIncrement();
        }
        EventLoopImpl loop = new EventLoopImpl(config, false);
        Thread t = new Thread(() -> {
            CURRENT.set(loop);
            loop.loop();
        }, config.name);
        t.setDaemon(config.daemon);
        loop.thread = t;
        t.start();
        return loop;
    }

    // ------------------------------------------------------------------ the loop

    private void loop() {
        Watchdog.Watched watched = blockedThresholdMillis > 0 && clockSource == null
                ? Watchdog.register(this, blockedThresholdMillis) : null;
        LoopSampler.joined(this);
        try {
            for (;;) {
                long clock = clock();
                if (clock != now) {
                    // Written only when it changes (once a millisecond at most): producers read
                    // this object's sleeping, closed and thread fields on every post, and a store
                    // per iteration to a field on their cache line would take it from them.
                    now = clock;
                }
                trimQueuesIfDue(); // microtasks are drained between iterations: the queue is empty
                runDueTimers();
                if (closeRequested) {
                    break;
                }
                runTasks();
                if (closeRequested) {
                    break;
                }
                if (!sleepUntilWork()) {
                    break;
                }
            }
        } catch (Throwable e) {
            // Every callback runs in a try: what reaches here came from the loop's own bookkeeping
            // or its reports (an OutOfMemoryError, a StackOverflowError), and ends the loop.
            fail(e);
        } finally {
            try {
                shutdown();
            } catch (Throwable e) {
                // Not fail(): shutdown may have given up the thread already. The first fatal error
                // is what the caller gets; this one goes on it.
                if (fatal == null) {
                    fatal = e;
                } else {
                    suppress(fatal, e);
                }
                thread = null;
                // Completing allocates; out of memory it may fail (the rest of the shutdown freed
                // what the queues held, so a retry may pass). It must not throw from here: run
                // throws the first fatal error, not this one.
                for (int attempt = 0; attempt < 3 && !termination.isDone(); attempt++) {
                    try {
                        termination.completeExceptionally(fatal);
                    } catch (Throwable noMemory) {
                        suppress(fatal, noMemory);
                    }
                }
            } finally {
                idleUnit();
                LoopSampler.left(this);
                if (watched != null) {
                    watched.gone = true;
                }
            }
        }
    }

    /**
     * The loop clock, in ms since the loop was made: the one place where the loop, its timers and
     * everything built on them (delay, timeout, retry, AbortSignal.timeout) read the time.
     */
    long clock() {
        LoopClock source = clockSource;
        return source == null ? (System.nanoTime() - originNanos) / 1_000_000L : source.millis();
    }

    void runDueTimers() {
        TimerEntry e;
        while ((e = timers.pollDue(now)) != null) {
            TimerTask t = null;
            Runnable callback;
            long start = now;
            if (e instanceof TimerTask task) {
                t = task;
                callback = t.callback;
                if (t.period == 0) {
                    if (!t.markFired()) {
                        continue; // cancelled from another thread; its removal task is queued
                    }
                    t.callback = null;
                } else if (!t.isActive()) {
                    continue;
                } else {
                    // Node reads the clock for an interval's next run before its callback, not at
                    // `now`: earlier callbacks of this iteration may have taken a while.
                    start = clock();
                }
            } else {
                callback = (Delay) e; // its own timer: fulfils it unless something settled it first
            }
            startUnit(TurnMark.TIMER);
            if (recorder != null) {
                recorder.turnStart(e);
            }
            try {
                callback.run();
            } catch (Throwable error) {
                taskError(error);
            }
            if (t != null && t.period > 0 && t.isActive()) {
                timers.add(t, due(start, t.period));
            }
            checkpoint();
            if (recorder != null) {
                recorder.turnEnd();
            }
            if (closeRequested) {
                return;
            }
        }
    }

    void runTasks() {
        for (int i = 0; i < TASK_BATCH; i++) {
            Object task = tasks.poll();
            if (task == null) {
                return;
            }
            startUnit(TurnMark.TASK);
            if (recorder != null) {
                recorder.turnStart(task);
            }
            try {
                if (task instanceof PromiseImpl<?> promise) {
                    promise.dispatchSettling();
                } else {
                    ((Runnable) task).run();
                }
            } catch (Throwable e) {
                taskError(e);
            }
            checkpoint();
            if (recorder != null) {
                recorder.turnEnd();
            }
            if (closeRequested) {
                return;
            }
        }
    }

    /** A unit of work of {@code kind} starts: for the watchdog (TurnMark) and JFR (LongTurns). */
    private void startUnit(int kind) {
        mark.start(kind);
        longTurns.next(kind);
    }

    /** The loop goes idle (or stops): the unit in progress has ended. */
    private void idleUnit() {
        mark.idle();
        longTurns.next(TurnMark.IDLE);
    }

    /** The microtask checkpoint: drain, report unhandled rejections, repeat while either has work. */
    void checkpoint() {
        if (!microtasks.isEmpty()) {
            startUnit(TurnMark.MICROTASKS);
            if (recorder != null) {
                recorder.checkpointStart();
            }
        }
        for (;;) {
            microtasks.drain(this);
            if (!rejections.hasPending() || !rejections.process() || microtasks.isEmpty()) {
                return;
            }
        }
    }

    /**
     * Sleeps until a task, a due timer, a close request or (run mode) a change of keep-alives.
     * Returns false when a run-mode loop has nothing left that could produce a callback.
     */
    private boolean sleepUntilWork() {
        if (tasks.hasReadable()) {
            return true; // runTasks stopped at its batch limit, or a task came since its last poll
        }
        idleUnit();
        long spinEnd = System.nanoTime() + IDLE_SPIN_NANOS; // see IDLE_SPIN_NANOS
        do {
            Thread.onSpinWait();
            if (tasks.hasReadable() || closeRequested) {
                return true;
            }
        } while (System.nanoTime() - spinEnd < 0);
        SLEEPING.setVolatile(this, 1);
        try {
            if (closeRequested) {
                return true;
            }
            // Run mode: whether anything keeps the loop alive is read BEFORE the task queue. A
            // thread posts its work (the queue's getAndAdd claim) before it releases the keep-alive
            // it posts under (getAndAdd -1). Both reads and both writes are volatile, so sequentially
            // consistent: if this read sees the last release, the claim came before it and the
            // queue read below sees the task; the other order can miss both (queue read, then claim
            // and release, then this read) and end the loop with the task unrun.
            boolean nothingKeepsAlive = exitWhenIdle && timers.referencedCount() == 0
                    && (int) KEEP_ALIVES.getVolatile(this) == 0;
            if (idleCheckForTest != null) {
                idleCheckForTest.run();
            }
            if (!tasks.isEmpty()) {
                if (!tasks.hasReadable()) {
                    // Claimed, unwritten after the spin: its producer may need this core. Not
                    // sleeping while yielding, so that posters meanwhile send no unpark (its
                    // permit would make the next real park return at once).
                    SLEEPING.setVolatile(this, 0);
                    tasks.appendForStuckProducer(); // in case its producer failed to append a segment
                    Thread.yield();
                }
                return true;
            }
            if (nothingKeepsAlive) {
                return false;
            }
            tasks.releaseTaken(); // an idle loop keeps no task that ran reachable
            boolean trimDue = microtasks.canShrink() || timers.canShrink();
            if (timers.size() == 0 && !trimDue) {
                LockSupport.park(this);
            } else {
                long wakeAt = timers.size() == 0 ? Long.MAX_VALUE : timers.nextDeadline();
                if (trimDue) {
                    wakeAt = Math.min(wakeAt, trimWindowStart + TRIM_WINDOW_MILLIS); // to let go of a burst's arrays
                }
                long waitMillis = wakeAt - clock();
                if (waitMillis > 0) {
                    // Capped: nanoseconds of a wait past 292 years would overflow to a negative
                    // park, which returns at once, and the loop would spin until the deadline.
                    LockSupport.parkNanos(this, Math.min(waitMillis, MAX_PARK_MILLIS) * 1_000_000L);
                }
            }
            return true;
        } finally {
            SLEEPING.setVolatile(this, 0);
        }
    }

    /** At the end of a trim window (loop clock), trims the queues; between iterations only. */
    void trimQueuesIfDue() {
        if (now - trimWindowStart >= TRIM_WINDOW_MILLIS) {
            trimQueues();
        }
    }

    /** Ends the trim window: each queue shrinks if it used under a quarter of its capacity. */
    private void trimQueues() {
        microtasks.trim();
        timers.trim();
        trimWindowStart = now;
    }

    /** Held KeepAlive references (outside work in flight); any thread. */
    int keepAliveCount() {
        return (int) KEEP_ALIVES.getVolatile(this);
    }

    /**
     * Parks the loop thread for at most {@code nanos}, or until a task is posted, a KeepAlive is
     * released or a close is requested (the sleep protocol above, for {@link LoopDriver}).
     */
    void parkForWork(long nanos) {
        SLEEPING.setVolatile(this, 1);
        try {
            if (tasks.isEmpty() && !closeRequested) {
                LockSupport.parkNanos(this, nanos);
            }
        } finally {
            SLEEPING.setVolatile(this, 0);
        }
    }

    private void wake() {
        if ((int) SLEEPING.getVolatile(this) == 1 && SLEEPING.compareAndSet(this, 1, 0)) {
            LockSupport.unpark(thread);
        }
    }

    /** Stops the loop after the current checkpoint with {@code failure} (kept if first). */
    void fail(Throwable failure) {
        assert inEventLoop();
        if (fatal == null) {
            fatal = failure;
        } else {
            suppress(fatal, failure);
        }
        closeRequested = true;
    }

    /** Adds {@code later} to {@code first}'s suppressed errors; never throws (the loop is failing). */
    static void suppress(Throwable first, Throwable later) {
        if (first != later) { // addSuppressed(itself) throws
            try {
                first.addSuppressed(later);
            } catch (Throwable noMemory) {
                // The list could not grow: the first error still stands, and it is the one that matters.
            }
        }
    }

    void shutdown() {
        closed = true;
        if (recorder != null) {
            recorder.loopClosed();
            recorder = null;
        }
        if (bodies != null) {
            bodies.closeAll(); // suspended async bodies end now: their await throws EventLoopClosedException
        }
        try {
            rejections.close(); // rejections held by callers on other threads that nobody handled
        } catch (Throwable e) {
            fail(e); // its report failed (see taskError): the rest of the shutdown must still run
        }
        int droppedMicrotasks = microtasks.clear();
        int droppedTimers = timers.clear();
        int droppedTasks = 0;
        Object task;
        while ((task = tasks.pollSpinning()) != null) {
            // Handoffs of promise outcomes still tell callers outside the loop; other tasks are lost.
            if (task instanceof PromiseImpl<?> promise) {
                promise.resultOrClosed();
            } else if (task instanceof ScheduledReaction scheduled) {
                scheduled.runExternal();
            } else if (task instanceof Bookkeeping books) {
                droppedTimers += books.timersNotStarted(); // the loop's own books: not a user task
            } else {
                droppedTasks++;
            }
        }
        tasks.releaseTaken();
        for (Hook hook : closeHooks) {
            hook.runIfRemoved();
        }
        keepAliveHolders.clear(); // describe() lists none once closed; a leaked one retains nothing
        for (PromiseImpl<?> promise : watched) {
            promise.resultOrClosed();
        }
        watched.clear();
        if (droppedTasks + droppedTimers + droppedMicrotasks > 0 && fatal == null) {
            Report.log(System.Logger.Level.WARNING, "[eventual] event loop '" + name + "' closed with " + droppedTasks
                    + " task(s), " + droppedTimers + " timer(s) and " + droppedMicrotasks + " microtask(s) not run", null);
        }
        // No thread is this loop's anymore: late settles on the old thread take the closed path.
        thread = null;
        if (fatal != null) {
            termination.completeExceptionally(fatal);
        } else {
            termination.complete(null);
        }
    }

    // ------------------------------------------------------------------ internal services

    /** Queues a reaction as a microtask; from another thread, through one task. */
    void schedule(Reaction reaction, Object result) {
        if (inEventLoop() && !closed) {
            Trace trigger = trace; // null unless traces are on and traced work runs
            microtasks.add(trigger == null ? reaction : reaction.triggeredBy(this, trigger), result);
        } else if (!post(new ScheduledReaction(this, reaction, result)) && reaction.external()) {
            reaction.react(result); // the loop is gone; tell the outside caller from here
        }
    }

    /** Queues an internal task; false (and nothing queued) once the loop has closed. */
    boolean post(Object task) {
        if (closed) {
            return false;
        }
        tasks.offer(task);
        wake();
        return true;
    }

    /** Runs {@code action} now if on the loop thread, else as a task; dropped if closed. */
    void runOnLoop(Runnable action) {
        if (inEventLoop()) {
            action.run();
        } else {
            post(action);
        }
    }

    void watch(PromiseImpl<?> promise) {
        watched.add(promise);
        int size = watched.size();
        if (size > pruneWatchedAt) {
            watched.removeIf(p -> p.isSettled());
            pruneWatchedAt = Math.max(64, 2 * watched.size());
        }
    }

    void taskError(Throwable error) {
        if (taskErrorHandler != null) {
            try {
                taskErrorHandler.accept(error);
                return;
            } catch (Throwable t) {
                if (t != error) { // a handler may rethrow the error itself; addSuppressed(itself) throws
                    error.addSuppressed(t);
                }
            }
        }
        try {
            // runs outside any callback's try: must not throw for the error's sake (see Report)
            Report.log(System.Logger.Level.WARNING, "[eventual] Uncaught exception in a callback on event loop '" + name + "':", error);
        } catch (Throwable reportFailed) {
            // The report itself failed (an OutOfMemoryError): the loop's own error, which ends it
            // (see loop). If the error being reported is itself one the JVM raises when it runs
            // out of memory or stack, that one came first and is the cause: it ends the loop,
            // with the report's failure on it; otherwise the report's failure does, with it.
            if (error instanceof VirtualMachineError first) {
                suppress(first, reportFailed);
                throw first;
            }
            suppress(reportFailed, error);
            throw reportFailed;
        }
    }

    /** For work that waits for a promise of another loop; null once closed. */
    KeepAlive keepAliveOrNull() {
        return keepAliveOrNull("waiting for a promise of another event loop");
    }

    /** A keep-alive held for {@code what} (a label, or the stage waited for), or null once closed. */
    KeepAlive keepAliveOrNull(Object what) {
        return closed ? null : keepAlive(what);
    }

    private void checkLoopThread(String what) {
        if (!inEventLoop()) {
            throw new IllegalStateException(what + " must be called on the thread of event loop '" + name
                    + "', but was called on thread '" + Thread.currentThread().getName()
                    + "'. From other threads use execute(...) to run code on the loop");
        }
    }

    private RejectedExecutionException closedError(String what) {
        return new RejectedExecutionException(new EventLoopClosedException(
                what + " refused: event loop '" + name + "' is closed"));
    }

    // ------------------------------------------------------------------ EventLoop

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean inEventLoop() {
        Thread t = Thread.currentThread();
        if (t == thread) {
            return true;
        }
        AsyncBody<?> body = turn; // an async body that has the turn acts as the loop thread
        return body != null && body.thread == t;
    }

    @Override
    public void execute(Runnable task) {
        Objects.requireNonNull(task, "task");
        execute(task, traces ? Traces.site(this, "execute", task) : null);
    }

    /** {@link #execute(Runnable)} with its async-stack site (null when traces are off). */
    void execute(Runnable task, Trace site) {
        Runnable r = AsyncContext.capture(task);
        if (!post(site == null ? r : new TracedRun(this, r, site))) {
            throw closedError("execute");
        }
    }

    @Override
    public <T> Promise<T> submit(Callable<T> task) {
        Objects.requireNonNull(task, "task");
        PromiseImpl<T> promise = inEventLoop() ? new PromiseImpl<>(this) : new OutsidePromise<>(this);
        execute(() -> {
            try {
                promise.fulfilAsIs(task.call()); // typed as T: a returned promise is a value
            } catch (Throwable t) {
                promise.tryReject(t);
            }
        }, traces ? Traces.site(this, "submit", task) : null);
        return promise;
    }

    @Override
    public void queueMicrotask(Runnable callback) {
        Objects.requireNonNull(callback, "callback");
        checkLoopThread("queueMicrotask");
        Runnable r = AsyncContext.capture(callback);
        microtasks.add(traces ? new TracedRun(this, r, Traces.site(this, "queueMicrotask", callback)) : r, null);
    }

    @Override
    public Timeout setTimeout(Runnable callback, long delayMillis) {
        return addTimer(callback, delayMillis, false, "delayMillis", "setTimeout");
    }

    @Override
    public Timeout setInterval(Runnable callback, long periodMillis) {
        return addTimer(callback, periodMillis, true, "periodMillis", "setInterval");
    }

    /**
     * The loop-clock time {@code delay} ms (at least 1) after {@code from}; a sum past
     * Long.MAX_VALUE saturates there (never due) instead of wrapping to a negative, long-past
     * deadline that would fire at once.
     */
    private static long due(long from, long delay) {
        long deadline = from + delay;
        return deadline < from ? Long.MAX_VALUE : deadline;
    }

    /** For a timer set from another thread: due {@code delay} ms after this iteration's clock. */
    long dueAfter(long delay) {
        return due(now, delay);
    }

    /** setTimeout / setInterval; {@code kind} names the registration in async stack traces. */
    Timeout addTimer(Runnable callback, long millis, boolean repeat, String parameter, String kind) {
        Objects.requireNonNull(callback, "callback");
        if (millis < 0) {
            throw new IllegalArgumentException(parameter + " must be >= 0: " + millis);
        }
        long delay = Math.max(1, millis); // Node: a delay below 1 ms is 1 ms
        Runnable r = AsyncContext.capture(callback);
        if (traces) {
            r = new TracedRun(this, r, Traces.site(this, kind, callback));
        }
        TimerTask t = new TimerTask(this, r, repeat ? delay : 0);
        if (inEventLoop()) {
            // A fresh clock read, not the iteration's `now`: Node counts from the call (see overview).
            timers.add(t, due(clock(), delay));
            if (recorder != null) {
                recorder.timerSet(t, t.period, delay);
            }
        } else if (!post(t.queueing(delay))) {
            throw closedError(repeat ? "setInterval" : "setTimeout");
        }
        return t;
    }

    /**
     * Promise.delay: queues {@code d} as its own timer (see {@link Delay}), due {@code millis} ms
     * (at least 1, as setTimeout) from now.
     */
    void addDelay(Delay d, long millis) {
        long delay = Math.max(1, millis);
        if (inEventLoop()) {
            timers.add(d, due(clock(), delay)); // a fresh clock read, as addTimer
            if (recorder != null) {
                recorder.timerSet(d, 0, delay);
            }
        } else if (!post(d.queueing(delay))) {
            throw closedError("Promise.delay");
        }
    }

    @Override
    public void startRecording(dev.eventual.Timeline timeline) {
        TimelineLog log = TimelineAccess.logOf(Objects.requireNonNull(timeline, "timeline"));
        boolean onLoop = inEventLoop();
        Runnable start = () -> {
            if (recorder != null) {
                recorder.stop();
            }
            recorder = new TimelineRecorder(log, name, false);
        };
        if (onLoop) {
            start.run();
        } else if (!post(start)) {
            throw closedError("startRecording");
        }
    }

    @Override
    public void stopRecording() {
        runOnLoop(() -> {
            if (recorder != null) {
                recorder.stop();
                recorder = null;
            }
        });
    }

    @Override
    public <T> Deferred<T> withResolvers() {
        return new PromiseImpl<>(this);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> Promise<T> resolved(T value) {
        if (value instanceof PromiseImpl<?> p && p.loop == this) {
            return (Promise<T>) p;
        }
        if (value instanceof Promise<?> || value instanceof CompletionStage<?>) {
            PromiseImpl<T> promise = new PromiseImpl<>(this);
            promise.tryResolve(value);
            return promise;
        }
        return new PromiseImpl<>(this, PromiseImpl.encode(value));
    }

    @Override
    public <T> Promise<T> rejected(Throwable reason) {
        Objects.requireNonNull(reason, "reason");
        PromiseImpl<T> promise = new PromiseImpl<>(this);
        promise.tryReject(reason);
        return promise;
    }

    @Override
    public <T> Promise<T> from(CompletionStage<? extends T> stage) {
        return StageBridge.from(this, stage);
    }

    @Override
    public KeepAlive keepAlive() {
        return keepAlive((Object) null);
    }

    @Override
    public KeepAlive keepAlive(String label) {
        return keepAlive((Object) Objects.requireNonNull(label, "label"));
    }

    /** A keep-alive held for {@code what} (see KeepAliveHolder); refused once closed. */
    KeepAlive keepAlive(Object what) {
        if (closed) {
            throw closedError("keepAlive");
        }
        KeepAliveHolder holder = new KeepAliveHolder(this, what);
        keepAliveHolders.add(holder);
        KEEP_ALIVES.getAndAdd(this, 1);
        return holder;
    }

    /** KeepAliveHolder's release, once per holder. */
    void releaseKeepAlive(KeepAliveHolder holder) {
        keepAliveHolders.remove(holder);
        KEEP_ALIVES.getAndAdd(this, -1);
        wake(); // a run-mode loop re-checks whether anything is left
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    /** Run mode (EventLoop.run): ends when nothing keeps it alive. */
    boolean endsWhenIdle() {
        return exitWhenIdle;
    }

    @Override
    public String describe() {
        return LoopDescription.of(this);
    }

    @Override
    public CloseHook onClose(Runnable action) {
        Hook hook = new Hook(Objects.requireNonNull(action, "action"));
        closeHooks.add(hook);
        if (closed) {
            hook.runIfRemoved(); // shutdown may have passed it already; see the overview
        }
        return hook;
    }

    /** An onClose registration: identity-keyed in closeHooks. */
    private final class Hook implements CloseHook {
        private final Runnable action;

        Hook(Runnable action) {
            this.action = action;
        }

        @Override
        public boolean remove() {
            return closeHooks.remove(this);
        }

        void runIfRemoved() {
            if (closeHooks.remove(this)) {
                try {
                    action.run();
                } catch (Throwable e) {
                    taskError(e);
                }
            }
        }
    }

    @Override
    public void close() {
        closeRequested = true;
        if (inEventLoop()) {
            return;
        }
        wake();
        if (current() != null) {
            // A thread of another loop (or its async body) must not wait: that would block its own
            // loop, and two loops closing each other from callbacks would wait for each other forever.
            return;
        }
        try {
            termination.join();
        } catch (RuntimeException e) {
            // The loop ended with a failure; it is closed all the same, and terminationFuture says why.
        }
    }

    @Override
    public boolean close(java.time.Duration timeout) {
        long nanos = saturatedNanos(java.util.Objects.requireNonNull(timeout, "timeout"));
        closeRequested = true;
        if (inEventLoop() || current() != null) {
            return termination.isDone(); // must not wait here: see close()
        }
        wake();
        try {
            termination.get(Math.max(0, nanos), java.util.concurrent.TimeUnit.NANOSECONDS);
            return true;
        } catch (java.util.concurrent.ExecutionException e) {
            return true; // ended with a failure: closed all the same, terminationFuture says why
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return termination.isDone();
        } catch (java.util.concurrent.TimeoutException e) {
            if (termination.isDone()) {
                return true;
            }
            LoopThreadStack stack = LoopThreadStack.of(this);
            Report.log(System.Logger.Level.WARNING, "[eventual] event loop '" + name + "' did not stop within "
                    + timeout.toMillis() + " ms of close: " + LoopThreadStack.what(this, TurnMark.kind(mark.read()))
                    + " still holds it. What the loop holds:\n" + LoopDescription.approximate(this)
                    + (stack == null ? "" : "The thread holding it is at:"), stack);
            return false;
        }
    }

    private static long saturatedNanos(java.time.Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException tooLong) {
            return d.isNegative() ? 0 : Long.MAX_VALUE; // more than 292 years: as good as for ever
        }
    }

    @Override
    public CompletableFuture<Void> terminationFuture() {
        return termination.copy();
    }

    @Override
    public String toString() {
        return "EventLoop['" + name + "', " + (closed ? "closed" : closeRequested ? "closing" : "running") + "]";
    }
}
