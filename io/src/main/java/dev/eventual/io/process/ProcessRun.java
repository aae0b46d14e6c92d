package dev.eventual.io.process;

import dev.eventual.AbortSignal;
import dev.eventual.CloseHook;
import dev.eventual.EventLoop;
import dev.eventual.KeepAlive;
import dev.eventual.Promise;
import dev.eventual.Timeout;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.ProcessBuilder.Redirect;
import java.time.Duration;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One run of a {@link Command}: starts the process off the loop, lets an {@link OutputPlan}
 * consume its output, settles a promise of the loop with the plan's value, and kills the process
 * when the run is stopped first (cancel, abort, time limit, a failing line consumer, the loop
 * closing).
 *
 * <h2>Threads</h2>
 * {@link #start} runs on the loop thread: it creates the {@link RunFuture}, turns it into the
 * promise with {@code loop.from} (which holds the loop alive until the future completes, and
 * calls {@link RunFuture#cancel} when the promise is cancelled), arms the time limit and starts
 * the start thread. The start thread runs {@link #launch}: {@code ProcessBuilder.start()} (a
 * fork/exec, which may block), the standard input feeder, then {@link OutputPlan#drain}, whose
 * reader threads and the JDK's process reaper complete the future. Any thread may
 * {@link #stop()} the run.
 *
 * <h2>State</h2>
 * {@code future} settles once, by whichever of completion, failure or cancellation comes first.
 * {@code stopped} goes from false to true once, by the first {@link #stop()}: then the stop
 * actions run, and the process is killed as soon as it is known. {@code process} is written once
 * by the start thread. {@link #stop()} writes {@code stopped} then reads {@code process}; the
 * start thread writes {@code process} then reads {@code stopped}: both volatile, so at least one
 * of the two sees the other's write and the process is killed (by one of them only: {@code killing}).
 * Before its CAS of {@code stopped}, a stop registers {@code members} with {@link KillOnExit}
 * and writes {@code exiting} (a losing stop closes its registration), so the start thread, which
 * reads {@code stopped} before {@code exiting}, kills the way the JVM's state requires. Once
 * stopped, the plan's value no longer settles the future: only the stopper does (at once, or a
 * time-out once {@code killed} completes; a loop's close leaves it to the closed loop).
 *
 * <h2>The loop</h2>
 * While the future is pending, {@code loop.from} keeps the loop alive. A stop takes a
 * {@link KeepAlive} of its own, synchronously (before the stopper settles the future, or inside
 * the loop task that cancels it), and releases it when {@code killed} completes: when the
 * {@link ProcessKiller} has seen every process of the tree gone, or at once if no process
 * started. So {@link EventLoop#run} cannot return while a tree is being killed. A time-out
 * rejects only then, saying how the tree ended; a cancel and an abort reject at once. A
 * {@link CloseHook} stops the run when the loop closes (the loop then keeps nothing alive: the
 * kill finishes on its thread and releases the pipes); it is removed when the future settles.
 *
 * @param <T> the type of the run's value
 */
final class ProcessRun<T> {
    /** How long a process may take to exit after {@code SIGTERM} before it gets {@code SIGKILL}. */
    static final Duration KILL_GRACE = Duration.ofSeconds(2);
    /** The system's description after the JDK's {@code error=2, } or {@code error: 2 (...)}. */
    private static final Pattern ERRNO = Pattern.compile("error(?:=|: )\\d+(?:, | \\()([^)]*)\\)?\\s*$");

    private final Command command;
    private final OutputPlan<T> plan;
    private final RunFuture future = new RunFuture();
    /** Completed by the first {@link #stop()}; what is registered with {@link #onStop} runs then. */
    private final CompletableFuture<Void> stopActions = new CompletableFuture<>();
    /** False until the first {@link #stop()}; CAS only. */
    private final AtomicBoolean stopped = new AtomicBoolean();
    /** False until the process is handed to the killer; CAS only. */
    private final AtomicBoolean killing = new AtomicBoolean();
    /**
     * Completed, once a stop was requested, when the kill has ended (or with
     * {@link ProcessKiller.Outcome#NOT_STARTED} when no process started): by the killer's future,
     * or by the start thread.
     */
    private final CompletableFuture<ProcessKiller.Outcome> killed = new CompletableFuture<>();
    private final EventLoop loop;
    /**
     * The processes of the tree, for the kill and {@link KillOnExit}'s hook: empty until a kill
     * is requested and the process known; a concurrent queue (see {@link ProcessKiller}).
     */
    private final Queue<ProcessHandle> members = new ConcurrentLinkedQueue<>();
    /** Whether the JVM was exiting when a stop registered the kill; written before {@code stopped} (see State). */
    private volatile boolean exiting;
    /** Registered by {@link #start} on the loop thread before any other thread sees the run. */
    private volatile CloseHook closeHook;
    /** Null until started; written once by the start thread (see the overview). */
    private volatile Process process;

    private ProcessRun(EventLoop loop, Command command, OutputPlan<T> plan) {
        this.loop = loop;
        this.command = command;
        this.plan = plan;
    }

    /**
     * Starts a run of {@code command} on {@code loop}; loop thread.
     *
     * @param loop the loop that receives the outcome
     * @param command what to run
     * @param plan what to do with the output
     * @param <T> the type of the value
     * @return a promise of {@code loop} of the plan's value; cancelling it stops the run; with the
     *     command's signal, it rejects with the signal's reason when the signal aborts (and
     *     cancels the run), or at once, before anything is started, when it was aborted already
     */
    static <T> Promise<T> start(EventLoop loop, Command command, OutputPlan<T> plan) {
        assert loop.inEventLoop() : "ProcessRun.start off the loop thread";
        AbortSignal signal = command.signal().orElse(null);
        if (signal == null) {
            return startRun(loop, command, plan);
        }
        if (signal.aborted()) {
            return loop.rejected(signal.reason()); // as an aborted signal stops fetch: before any work
        }
        return startRun(loop, command, plan).withSignal(signal);
    }

    private static <T> Promise<T> startRun(EventLoop loop, Command command, OutputPlan<T> plan) {
        KillOnExit.install(); // before any kill can be requested, so that the JVM's exit finishes it
        ProcessRun<T> run = new ProcessRun<>(loop, command, plan);
        Promise<T> promise = dev.eventual.Timeline.track(
                dev.eventual.internal.Traces.operation(loop, "process", run.future), "process", command); // loop.from, traced and recorded
        run.closeHook = loop.onClose(run::stop);
        run.future.whenComplete((v, e) -> run.closeHook.remove());
        command.timeout().ifPresent(limit -> run.armTimeout(loop, limit));
        ProcessThreads.start("start", run::launch);
        return promise;
    }

    /** Returns the command being run. */
    Command command() {
        return command;
    }

    /** Whether the run was stopped: the output no longer matters and the stopper settles the promise. */
    boolean isStopped() {
        return stopped.get();
    }

    /**
     * Runs {@code action} when the run is stopped, on the stopping thread (at once if it already
     * was). It must be quick and must not block: it may run on the loop thread.
     *
     * @param action what to do
     */
    void onStop(Runnable action) {
        stopActions.thenRun(action);
    }

    /**
     * Fails the run with {@code reason} and stops it, unless it was stopped or has settled
     * already.
     *
     * @param reason the rejection reason of the run's promise
     */
    void fail(Throwable reason) {
        if (future.isDone() || !stop()) {
            return; // a late failure (a read error after a kill) changes nothing: the stopper settles
        }
        future.completeExceptionally(reason);
    }

    /**
     * Returns the failure of reading {@code stream} of this run.
     *
     * @param stream {@code "stdout"} or {@code "stderr"}
     * @param e what the read threw
     * @return a {@link ProcessException} naming the stream and the command
     */
    ProcessException readFailure(String stream, IOException e) {
        return new ProcessException(command.arguments(), "read " + stream + " of " + command + " failed: " + e, e);
    }

    /**
     * Stops the run: holds the loop until the kill has ended, runs the stop actions and kills the
     * process once it is known. Idempotent; returns whether this call stopped it.
     */
    boolean stop() {
        if (stopped.get()) {
            return false;
        }
        // Registered before stopped is set, so that a start thread that sees stopped sees exiting.
        KillOnExit.Registration registration = KillOnExit.register(members);
        if (registration == null) {
            exiting = true;
        }
        if (!stopped.compareAndSet(false, true)) {
            if (registration != null) {
                registration.close(); // another stop won: its registration stands
            }
            return false;
        }
        if (registration != null) {
            killed.whenComplete((outcome, e) -> registration.close());
        }
        holdLoopUntilKilled();
        stopActions.complete(null);
        Process p = process;
        if (p != null) {
            kill(p);
        }
        return true;
    }

    /** See The loop in the overview. */
    private void holdLoopUntilKilled() {
        KeepAlive hold;
        try {
            hold = loop.keepAlive("process " + command + ": until its kill completes");
        } catch (RejectedExecutionException e) {
            return; // the loop has closed (this is its close hook): there is nothing to hold
        }
        killed.whenComplete((outcome, e) -> hold.close());
    }

    private void kill(Process p) {
        if (killing.compareAndSet(false, true)) {
            ProcessKiller.kill(p, KILL_GRACE, members, exiting).whenComplete((outcome, e) -> {
                if (e == null) {
                    killed.complete(outcome);
                } else {
                    killed.completeExceptionally(e);
                }
            });
        }
    }

    /**
     * Loop thread: stops the run when it is still going after {@code limit}, and fails it once
     * the kill has ended, saying how.
     */
    private void armTimeout(EventLoop loop, Duration limit) {
        long millis = limit.toMillis();
        // Unreferenced: the pending promise already keeps the loop alive, and no longer once it settles.
        Timeout timer = loop.setTimeout(() -> {
            if (future.isDone() || !stop()) {
                return; // settled, or stopped by something else that settles it
            }
            killed.whenComplete((outcome, e) -> future.completeExceptionally(new ProcessException(
                    command.arguments(), command + " timed out after " + millis + " ms; "
                    + (outcome != null ? outcome.describe() : "the kill failed: " + e),
                    new TimeoutException("timed out after " + millis + " ms"))));
        }, millis).unref();
        future.whenComplete((v, e) -> timer.cancel());
    }

    /** The start thread: starts the process and hands its output to the plan. */
    private void launch() {
        Process p;
        try {
            if (stopped.get()) {
                killed.complete(ProcessKiller.Outcome.NOT_STARTED); // cancelled before it started
                return;
            }
            p = builder().start();
        } catch (IOException | RuntimeException e) {
            fail(new ProcessException(command.arguments(), "cannot start " + command
                    + command.directory().map(d -> " in " + d).orElse("") + ": " + reason(e), e));
            killed.complete(ProcessKiller.Outcome.NOT_STARTED);
            return;
        }
        process = p;
        if (stopped.get()) {
            kill(p); // stop() ran before the write above and could not see the process
            return;
        }
        feedStdin(p);
        CompletableFuture<T> value;
        try {
            value = plan.drain(p, this).toCompletableFuture();
        } catch (RuntimeException e) {
            fail(e);
            return;
        }
        value.whenComplete((v, e) -> {
            if (stopped.get()) {
                return; // the stopper settles the future (a killed program's exit is no result)
            } else if (e == null) {
                future.complete(v);
            } else {
                fail(e instanceof CompletionException && e.getCause() != null ? e.getCause() : e);
            }
        });
    }

    private ProcessBuilder builder() {
        ProcessBuilder builder = new ProcessBuilder(command.arguments());
        command.directory().ifPresent(d -> builder.directory(d.toFile()));
        Map<String, String> env = builder.environment();
        if (!command.inheritsEnvironment()) {
            env.clear();
        }
        env.putAll(command.environment());
        builder.redirectInput(Redirect.PIPE);
        plan.redirect(builder);
        return builder;
    }

    private void feedStdin(Process p) {
        OutputStream stdin = p.getOutputStream();
        String text = command.stdin().orElse(null);
        if (text == null) {
            try {
                stdin.close(); // end of input at once
            } catch (IOException e) {
                // the program exited already: nothing to end
            }
            return;
        }
        byte[] bytes = text.getBytes(command.charset());
        ProcessThreads.start(p.pid() + "-stdin", () -> {
            try (stdin) {
                stdin.write(bytes);
            } catch (IOException e) {
                // the program exited or closed its input without reading it all: documented, not a failure
            }
        });
    }

    /**
     * The JDK says {@code Cannot run program "x": error=2, No such file or directory}, or, with
     * its spawn helper, {@code Exec failed, error: 2 (No such file or directory)}: keep the
     * system's words.
     */
    private static String reason(Exception e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        if (message == null) {
            return root.toString();
        }
        Matcher m = ERRNO.matcher(message);
        return m.find() ? m.group(1).strip() : message.strip();
    }

    @Override
    public String toString() {
        Process p = process;
        return "ProcessRun[" + command + (p == null ? ", not started" : ", pid " + p.pid())
                + (stopped.get() ? ", stopped" : "") + ", " + (future.isDone() ? "settled" : "pending") + "]";
    }

    /**
     * The future behind the run's promise: cancelling it (what {@code promise.cancel()} does,
     * through {@code loop.from}) stops the run.
     */
    private final class RunFuture extends CompletableFuture<T> {
        /** What {@code loop.describe()} shows for the keep-alive of {@code loop.from(future)}. */
        @Override
        public String toString() {
            return "process " + command;
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            if (isDone()) {
                return false;
            }
            stop();
            return super.cancel(mayInterruptIfRunning);
        }
    }
}
