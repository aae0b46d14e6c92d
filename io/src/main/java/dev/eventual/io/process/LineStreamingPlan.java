package dev.eventual.io.process;

import dev.eventual.EventLoop;
import dev.eventual.Promise;
import java.lang.ProcessBuilder.Redirect;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The plan of {@code Processes.stream}: the lines of standard output, and of standard error when
 * there is a consumer for them, pumped to their consumers on the loop by one {@link LinePump}
 * each; the value is the exit code, once both streams have ended, their last lines were
 * delivered, and the process has exited. Without a consumer for standard error, it is
 * redirected to the null device, so nothing needs to read it.
 */
final class LineStreamingPlan implements OutputPlan<Integer> {
    private final EventLoop loop;
    private final Consumer<String> onStdout;
    private final Consumer<String> onStderr; // null: standard error discarded
    private final Supplier<Promise<Void>> demand; // null: the standard output pump does not wait

    /**
     * Creates the plan.
     *
     * @param loop the loop whose thread calls the consumers
     * @param onStdout receives each line of standard output
     * @param onStderr receives each line of standard error, or null to discard it
     */
    LineStreamingPlan(EventLoop loop, Consumer<String> onStdout, Consumer<String> onStderr) {
        this(loop, onStdout, onStderr, null);
    }

    /**
     * Creates the plan whose standard output pump asks {@code demand} after each batch and hands
     * the next one over only once its promise fulfils (an {@code AsyncIterator}'s pull).
     *
     * @param loop the loop whose thread calls the consumers
     * @param onStdout receives each line of standard output
     * @param onStderr receives each line of standard error, or null to discard it
     * @param demand asked after each batch of standard output; null not to wait
     */
    LineStreamingPlan(EventLoop loop, Consumer<String> onStdout, Consumer<String> onStderr,
                       Supplier<Promise<Void>> demand) {
        this.loop = loop;
        this.onStdout = onStdout;
        this.onStderr = onStderr;
        this.demand = demand;
    }

    @Override
    public void redirect(ProcessBuilder builder) {
        if (onStderr == null) {
            builder.redirectError(Redirect.DISCARD);
        }
    }

    @Override
    public CompletionStage<Integer> drain(Process process, ProcessRun<Integer> run) {
        CompletableFuture<Void> out = LinePump.start(loop, process, process.getInputStream(), "stdout", onStdout, demand, run);
        CompletableFuture<Void> err = onStderr == null
                ? CompletableFuture.completedFuture(null)
                : LinePump.start(loop, process, process.getErrorStream(), "stderr", onStderr, null, run);
        return CompletableFuture.allOf(out, err, process.onExit()).thenApply(ignored -> process.exitValue());
    }
}
