package dev.eventual.io.process;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The plan of {@code Processes.run}: both output streams collected, each by an
 * {@link OutputCollector} on its own thread (both are drained at once, so the program never
 * blocks on either pipe), and a {@link ProcessResult} once both have ended and the process has
 * exited. Like Node's {@code 'close'} event, the result waits for the end of both streams: a
 * background child that keeps them open keeps the run going.
 */
final class CollectingPlan implements OutputPlan<ProcessResult> {

    @Override
    public CompletionStage<ProcessResult> drain(Process process, ProcessRun<ProcessResult> run) {
        CompletableFuture<OutputCollector.Collected> out =
                OutputCollector.start(process, process.getInputStream(), "stdout", run);
        CompletableFuture<OutputCollector.Collected> err =
                OutputCollector.start(process, process.getErrorStream(), "stderr", run);
        return CompletableFuture.allOf(out, err, process.onExit()).thenApply(ignored -> {
            OutputCollector.Collected o = out.join();
            OutputCollector.Collected e = err.join();
            return new ProcessResult(run.command().arguments(), process.exitValue(),
                    o.text(), e.text(), o.truncated(), e.truncated());
        });
    }
}
