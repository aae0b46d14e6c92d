package dev.eventual.io.process;

import java.util.concurrent.CompletionStage;

/**
 * What a {@link ProcessRun} does with the output of its process, and what its value is: the
 * whole output collected ({@link CollectingPlan}), or lines handed to consumers
 * ({@link LineStreamingPlan}).
 *
 * @param <T> the type of the run's value
 */
interface OutputPlan<T> {

    /**
     * Sets up the redirects before the process starts; on the run's start thread. By default
     * standard output and error are pipes.
     *
     * @param builder the builder of the process
     */
    default void redirect(ProcessBuilder builder) {}

    /**
     * Starts reading the output of the started {@code process} on threads of its own and returns
     * a stage of the run's value, completed once the output is consumed and the process has
     * exited, or completed exceptionally when the output cannot be read. Called once, on the
     * run's start thread, unless the run was stopped before the process started.
     *
     * @param process the started process
     * @param run the run, to check and request {@link ProcessRun#isStopped() stopping}
     * @return the run's value
     */
    CompletionStage<T> drain(Process process, ProcessRun<T> run);
}
