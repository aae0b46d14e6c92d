package dev.eventual.io.process;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The reason a {@link Processes} run rejects, or what {@link ProcessResult#requireSuccess()}
 * throws: the program could not be started ({@code cannot start ["nosuchcmd", "--x"]: No such
 * file or directory}), its output could not be read, it ran past its
 * {@linkplain Command#timeout(java.time.Duration) time limit} ({@code ["sleep", "60"] timed out
 * after 100 ms; killed with SIGTERM}, caused by a {@link java.util.concurrent.TimeoutException}),
 * or it exited with a non-zero code where success was required
 * ({@code ["sh", "-c", "exit 3"] exited with code 3: ...}).
 *
 * <p>The message names the command, each argument quoted (see {@link Command#toString()});
 * {@link #getCause()} is the underlying exception where there is one. A non-zero exit code alone does not make a run reject (see {@link Processes}).
 */
public final class ProcessException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The program and its arguments; see {@link #command()}. */
    private final List<String> command;
    private final transient ProcessResult result; // null unless thrown by requireSuccess

    /**
     * Creates one.
     *
     * @param command the program and its arguments
     * @param message the whole message, naming the command
     * @param cause the underlying exception, or null
     */
    ProcessException(List<String> command, String message, Throwable cause) {
        super(message, cause);
        this.command = List.copyOf(Objects.requireNonNull(command, "command"));
        this.result = null;
    }

    ProcessException(ProcessResult result, String message) {
        super(message);
        this.command = result.command();
        this.result = result;
    }

    /**
     * Returns the program and its arguments.
     *
     * @return the program followed by its arguments; unmodifiable
     */
    public List<String> command() {
        return command;
    }

    /**
     * Returns the result of the run that failed {@link ProcessResult#requireSuccess()}; empty for
     * the other failures, where the program did not run to its end.
     *
     * @return the result of the run that exited with a non-zero code, or an empty {@code Optional}
     *     when the program did not run to its end
     */
    public Optional<ProcessResult> result() {
        return Optional.ofNullable(result);
    }
}
