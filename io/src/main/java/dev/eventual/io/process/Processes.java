package dev.eventual.io.process;

import dev.eventual.AbortSignal;
import dev.eventual.AsyncIterator;
import dev.eventual.EventLoop;
import dev.eventual.NodeCallback;
import dev.eventual.Promise;
import dev.eventual.io.internal.PullQueue;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Runs programs: Node's {@code child_process.execFile} and {@code spawn}, with the outcome
 * delivered on the calling event loop. {@link #run(Command) run} collects the exit code and the
 * output; {@link #stream(Command, Consumer, Consumer) stream} hands the output over line by line
 * as it comes.
 *
 * <pre>{@code
 * Processes.run("git", "status", "--short")
 *         .then(ProcessResult::requireSuccess)
 *         .thenAccept(r -> System.out.print(r.stdout()));
 *
 * Processes.stream(Command.of("ping", "-c", "3", "localhost"), System.out::println, System.err::println)
 *         .thenAccept(code -> System.out.println("exit " + code));
 * }</pre>
 *
 * <h2 id="callbacks">Callbacks and signals</h2>
 * Each operation returns a {@link Promise}; a callback is passed through it, inline or by
 * reference: {@link Promise#thenAccept} takes one that receives the value (its returned promise
 * rejects with the run's failure or what the callback threw, so an ignored failure is reported
 * as an unhandled rejection), {@link Promise#asCallback} a Node-style {@link NodeCallback} called
 * once with {@code (null, value)} or {@code (error, null)}:
 * <pre>{@code
 * Processes.run(Command.of("git", "status")).thenAccept(this::show);
 * Processes.run(Command.of("git", "status")).asCallback((error, result) -> ...);
 * }</pre>
 * The lines of {@code stream} go to one consumer per output stream, the exit code to the
 * promise; {@code lineIterator} hands the lines out one {@code next()} at a time. How to run,
 * an {@link AbortSignal} included, is said once, in the {@link Command}:
 * {@code Processes.run(command.signal(controller.signal()))}.
 *
 * <h2>Threading</h2>
 * Call them on a loop thread (else {@link IllegalStateException}): the promise belongs to that
 * loop, and every callback (the result's handlers, the line consumers) runs on its thread. The
 * loop thread never blocks: the process is started (a fork/exec) on a virtual thread, its
 * standard input is written by another, and each output stream is read by its own, so both are
 * drained at once and the program never blocks on a full pipe. The promise keeps the loop alive
 * ({@link EventLoop#run} does not return) until it settles, and a kill (see Cancellation) until
 * it has ended. All those threads are virtual and named {@code eventual-process-...}.
 *
 * <h2>Exit codes</h2>
 * A program that runs to its end fulfils the promise, whatever its exit code, as Node's
 * {@code spawn} emits {@code 'close'}: a non-zero exit code is a result, not a failure. Use
 * {@link ProcessResult#requireSuccess()} to turn it into one. The promise settles once the
 * process has exited <em>and</em> both output streams have ended, so a background child that
 * inherited them keeps the run going until it exits or closes them.
 *
 * <h2>Output limit</h2>
 * {@code run} keeps at most the command's {@linkplain Command#outputLimit(int) output limit} of
 * each stream, {@link Command#DEFAULT_OUTPUT_LIMIT 16 MiB} (16,777,216 bytes) by default; the
 * rest is read and dropped, and the result's {@code stdoutTruncated}/{@code stderrTruncated}
 * flag says so. {@code stream} keeps no output: it holds at most about two batches of lines
 * (1,024 lines or 64 Ki characters each) plus one line, and while the consumer lags behind the
 * reader waits and the program blocks on its full pipe; a line longer than the limit is
 * delivered in pieces of that many characters.
 *
 * <h2>Failures</h2>
 * The promise rejects with a {@link ProcessException} naming the command, each argument quoted
 * (see {@link Command#toString()}), when the program cannot be started
 * ({@code cannot start ["nosuchcmd", "--x"]: No such file or directory}), when its output cannot
 * be read, or when it runs past the command's {@linkplain Command#timeout time limit}, caused by
 * a {@link java.util.concurrent.TimeoutException}: the program is then killed as below, and the
 * promise rejects once the kill has ended, saying how it ended:
 * {@code ["sleep", "60"] timed out after 100 ms; killed with SIGTERM}, or
 * {@code ...; killed with SIGKILL: 3 of 3 processes still running 2000 ms after SIGTERM}.
 *
 * <h2>Cancellation</h2>
 * {@link Promise#cancel()} on the returned promise (or an abort of the command's
 * {@linkplain Command#signal(AbortSignal) signal}, or its time limit, or a line consumer that
 * throws) kills the program and every process it started. What
 * you can rely on:
 * <ul>
 *   <li><b>Order.</b> On Unix the tree is first frozen ({@code SIGSTOP}, listing the descendants
 *   again until no new one appears, so none forks a child that escapes), then each process gets
 *   {@code SIGTERM} ({@code destroy()}) and {@code SIGCONT}; the pipes are closed; those still
 *   alive after {@link #KILL_GRACE_PERIOD} (2 s) are frozen again with their descendants and get
 *   {@code SIGKILL} ({@code destroyForcibly()}). No process is left stopped: every
 *   {@code SIGSTOP} is followed by {@code SIGCONT} or {@code SIGKILL}.</li>
 *   <li><b>The promise.</b> After a {@code cancel()} it rejects at once with a
 *   {@link java.util.concurrent.CancellationException}, after an abort at once with the signal's
 *   reason; after the time limit, once the kill has ended, with a {@link ProcessException} that
 *   says whether it took {@code SIGKILL} (see Failures). No line is delivered after the stop.</li>
 *   <li><b>The loop.</b> The kill is work that keeps the loop alive, as the run itself is:
 *   {@link EventLoop#run} does not return until every process of the tree is gone (exited, or a
 *   zombie left for its parent to reap), or, for one that does not die of {@code SIGKILL} (an
 *   uninterruptible wait), up to 5 s after the {@code SIGKILL}. So a program that ends when its
 *   loop ends leaves no process of the tree behind.</li>
 *   <li><b>The JVM.</b> If the JVM exits while a kill is under way ({@link System#exit}, the end
 *   of {@code main} after a loop was closed, {@code SIGINT} or {@code SIGTERM} to the JVM: every
 *   way that runs shutdown hooks), a shutdown hook, installed when the first program is run,
 *   sends {@code SIGKILL} to every process of the trees being killed. A JVM that ends without
 *   shutdown hooks ({@link Runtime#halt}, a crash, {@code SIGKILL}) cannot do that; only an end
 *   during a freeze (a few milliseconds) can then leave a process stopped. A program still
 *   running un-stopped when the JVM exits is left running, as in Node.</li>
 *   <li><b>Limits.</b> A process that left the tree before the kill (a daemon that
 *   double-forked, a child whose parent had already exited) is not reached; while it keeps the
 *   output pipes open, the reader threads stay blocked in their read (nothing waits for
 *   them).</li>
 * </ul>
 *
 * <h2>Loop close</h2>
 * A program still running when its loop {@linkplain EventLoop#close() closes} is stopped as on
 * {@code cancel()}: the tree is killed (frozen, {@code SIGTERM}, then {@code SIGKILL} after the
 * grace period) and its pipes are closed, so no process and no descriptor of the run outlives
 * the loop. The promise is rejected by the close (with
 * {@link dev.eventual.EventLoopClosedException}); no callback runs. The closed loop does not
 * wait for the kill: it finishes on its own thread, and the shutdown hook above finishes it if
 * the JVM exits first.
 *
 * <h2>Nulls</h2>
 * No parameter may be {@code null}: a {@code null} fails at the call with a
 * {@link NullPointerException} naming the parameter.
 */
public final class Processes {

    /**
     * How long a killed program and its descendants may take to exit after {@code destroy()}
     * before they get {@code destroyForcibly()}: 2 seconds.
     */
    public static final Duration KILL_GRACE_PERIOD = ProcessRun.KILL_GRACE;

    private Processes() {}

    // ---------------------------------------------------------------- run

    /**
     * Returns a promise of the result of running {@code command}: {@link #run(Command)} of
     * {@code Command.of(command)}, with the defaults.
     *
     * @param command the program and its arguments
     * @return a promise of the exit code and output, on the current loop
     * @throws IllegalArgumentException if {@code command} is empty
     * @throws IllegalStateException if the calling thread runs no loop
     */
    public static Promise<ProcessResult> run(String... command) {
        return run(Command.of(command));
    }

    /**
     * Returns a promise of the result of running {@code command}: its exit code and both output
     * streams, collected (up to the output limit) and decoded. Handlers receive the
     * {@link ProcessResult} on the loop thread, as microtasks after the program has exited and
     * both streams have ended, whatever the exit code. It rejects with a
     * {@link ProcessException} naming the command if the program cannot be started, its output
     * cannot be read or it times out. {@code cancel()} kills the program (see the class
     * javadoc) and rejects with a {@link java.util.concurrent.CancellationException}; an abort
     * of the command's {@linkplain Command#signal(AbortSignal) signal} kills it the same way and
     * rejects with the signal's reason (with a signal already aborted, at once, and nothing is
     * started). A callback goes through the promise (see <a href="#callbacks">Callbacks</a>):
     * {@code run(command).thenAccept(this::show)} or
     * {@code run(command).asCallback((error, result) -> ...)}.
     *
     * @param command what to run and how
     * @return a promise of the exit code and output, on the current loop
     * @throws IllegalStateException if the calling thread runs no loop
     */
    public static Promise<ProcessResult> run(Command command) {
        Objects.requireNonNull(command, "command");
        return ProcessRun.start(EventLoop.current(), command, new CollectingPlan());
    }

    // ---------------------------------------------------------------- stream

    /**
     * Runs {@code command} and hands each line of its standard output to {@code onStdoutLine}
     * as it comes; returns a promise of the exit code. Standard error is discarded (sent to the
     * null device): use {@link #stream(Command, Consumer, Consumer)} to see it.
     *
     * @param command what to run and how
     * @param onStdoutLine receives each line of standard output, on the loop thread
     * @return a promise of the exit code, on the current loop
     * @throws IllegalStateException if the calling thread runs no loop
     */
    public static Promise<Integer> stream(Command command, Consumer<? super String> onStdoutLine) {
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(onStdoutLine, "onStdoutLine");
        EventLoop loop = EventLoop.current();
        return ProcessRun.start(loop, command, new LineStreamingPlan(loop, onStdoutLine::accept, null));
    }

    /**
     * Runs {@code command} and returns the lines of its standard output as an
     * {@link AsyncIterator} to pull one at a time: Node's
     * {@code for await (const line of readline.createInterface({input: child.stdout}))}. In an
     * async body, read it with a plain {@code for} loop:
     * <pre>{@code
     * try (var lines = Async.iterate(Processes.lineIterator(Command.of("git", "log")))) {
     *     for (String line : lines) {
     *         if (line.startsWith("Merge")) break;   // the program is killed
     *     }
     * }
     * }</pre>
     * The program starts at once; standard error is discarded. Lines are decoded and split as
     * {@link #stream(Command, Consumer, Consumer)} splits them. Back-pressure: a batch of lines
     * is handed over only once every line of the one before was taken and {@code next()} asked
     * for one more, and the reading thread reads at most one batch ahead (then the program
     * blocks on its full pipe). {@code next()}'s promise, of the calling thread's loop, settles
     * as a microtask of that loop: it fulfils with the next line, or with an empty
     * {@code Optional} once the output has ended and the program has exited, whatever its exit
     * code (use {@link #run(Command)} or {@code stream} to see it); it rejects with a
     * {@link ProcessException} naming the command if the program cannot be started, its output
     * cannot be read or it times out (the lines before are handed out first). {@code close()}
     * (a loop left early) kills the program (see the class javadoc) and drops the lines read
     * ahead; so does an abort of the command's {@linkplain Command#signal(AbortSignal) signal},
     * after which {@code next()} rejects with the signal's reason.
     *
     * @param command what to run and how
     * @return an iterator over the lines of standard output, of the calling thread's loop
     * @throws IllegalStateException if the calling thread runs no loop
     */
    public static AsyncIterator<String> lineIterator(Command command) {
        Objects.requireNonNull(command, "command");
        EventLoop loop = EventLoop.current();
        return PullQueue.<String>start(loop, (onItem, demand) ->
                ProcessRun.start(loop, command, new LineStreamingPlan(loop, onItem::accept, null, demand)));
    }

    /**
     * Runs {@code command} and hands each line of its standard output to {@code onStdoutLine}
     * and each line of its standard error to {@code onStderrLine} as they come; returns a promise
     * of the exit code.
     *
     * <p>The consumers run on the loop thread, as tasks (lines come in batches, one task each),
     * each stream's lines in order; the two streams' lines interleave in no set order. Lines are
     * decoded with the command's charset and split at {@code \n}, {@code \r\n} or {@code \r}
     * (dropped); a last line without a terminator is delivered too. The promise fulfils with the
     * exit code, whatever it is, after the last line of both streams was delivered and the
     * program exited; its handlers run as microtasks then. If a consumer throws, no more lines
     * are delivered, the program is killed and the promise rejects with what it threw. It also
     * rejects with a {@link ProcessException} naming the command if the program cannot be
     * started, its output cannot be read or it times out. {@code cancel()} kills the program (see
     * the class javadoc), stops the delivery and rejects with a
     * {@link java.util.concurrent.CancellationException}; an abort of the command's
     * {@linkplain Command#signal(AbortSignal) signal} does the same and rejects with the signal's
     * reason. Memory stays bounded whatever the program writes (see Output limit in the class
     * javadoc). The exit code goes through the promise:
     * {@code stream(command, out::add, err::add).thenAccept(code -> ...)}.
     *
     * @param command what to run and how
     * @param onStdoutLine receives each line of standard output, on the loop thread
     * @param onStderrLine receives each line of standard error, on the loop thread
     * @return a promise of the exit code, on the current loop
     * @throws IllegalStateException if the calling thread runs no loop
     */
    public static Promise<Integer> stream(Command command, Consumer<? super String> onStdoutLine,
                                          Consumer<? super String> onStderrLine) {
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(onStdoutLine, "onStdoutLine");
        Objects.requireNonNull(onStderrLine, "onStderrLine");
        EventLoop loop = EventLoop.current();
        return ProcessRun.start(loop, command, new LineStreamingPlan(loop, onStdoutLine::accept, onStderrLine::accept));
    }

}
