/**
 * Programs run without blocking the event loop: {@link dev.eventual.io.process.Processes} runs a
 * {@link dev.eventual.io.process.Command} and collects its output into a
 * {@link dev.eventual.io.process.ProcessResult}, or hands the output over line by line as it
 * comes (Node's {@code child_process.execFile} and {@code spawn});
 * {@link dev.eventual.io.process.ProcessException} is how a run that cannot start, cannot be
 * read or times out fails.
 *
 * <p>Every operation returns a {@link dev.eventual.Promise} of the calling thread's loop; a
 * callback is given through that promise ({@code .thenAccept(this::show)},
 * {@code .asCallback((error, result) -> ...)}); how to run (directory, environment, input, time
 * limit, abort signal) is said once, in the {@code Command}.
 *
 * <p>Implementation, package-private: a {@code ProcessRun} starts the program on a thread of its
 * own ({@code ProcessThreads}) and hands its output to an {@code OutputPlan}:
 * {@code CollectingPlan} (one {@code OutputCollector} per stream) for {@code run},
 * {@code LineStreamingPlan} (one {@code LinePump} per stream) for {@code stream} and
 * {@code lineIterator}. A stopped run is killed, with its descendants, by {@code ProcessKiller}
 * ({@code ProcessSignals} sends the signals); {@code KillOnExit} finishes the kills under way
 * when the JVM exits.
 */
package dev.eventual.io.process;
