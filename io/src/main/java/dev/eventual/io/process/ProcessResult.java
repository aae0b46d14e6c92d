package dev.eventual.io.process;

import java.util.List;
import java.util.Objects;

/**
 * What a program run by {@link Processes#run(Command)} left: its exit code and the text it wrote
 * to standard output and standard error, each kept up to the command's
 * {@linkplain Command#outputLimit(int) output limit} (16 MiB by default) and decoded with its
 * charset.
 *
 * <p>A non-zero exit code is a result, not a failure (as with Node's {@code spawn}); call
 * {@link #requireSuccess()} where it should fail. On Unix, a program killed by a signal exits
 * with 128 plus the signal's number (143 for {@code SIGTERM}), as the JDK reports it.
 *
 * @param command the program and its arguments
 * @param exitCode the exit code
 * @param stdout the standard output (possibly truncated), never null
 * @param stderr the standard error (possibly truncated), never null
 * @param stdoutTruncated whether standard output went past the limit, the rest being dropped
 * @param stderrTruncated whether standard error went past the limit, the rest being dropped
 */
public record ProcessResult(List<String> command, int exitCode, String stdout, String stderr,
                            boolean stdoutTruncated, boolean stderrTruncated) {

    /** Lines and characters of standard error quoted by {@link #requireSuccess()}. */
    private static final int TAIL_LINES = 20;
    private static final int TAIL_CHARS = 2000;

    /**
     * Checks the components; the command is copied.
     *
     * @throws NullPointerException if {@code command}, {@code stdout} or {@code stderr} is null
     */
    public ProcessResult {
        command = List.copyOf(Objects.requireNonNull(command, "command"));
        Objects.requireNonNull(stdout, "stdout");
        Objects.requireNonNull(stderr, "stderr");
    }

    /**
     * Whether the exit code is 0.
     *
     * @return {@code true} if the exit code is 0, else {@code false}
     */
    public boolean succeeded() {
        return exitCode == 0;
    }

    /**
     * Returns this result if the exit code is 0, else throws. Use it as a handler to make a
     * failed program reject: {@code Processes.run(cmd).then(ProcessResult::requireSuccess)}.
     *
     * @return this result
     * @throws ProcessException if the exit code is not 0; its message names the command, the
     *     exit code and ends with the last lines of standard error (at most 20 lines, 2,000
     *     characters); {@link ProcessException#result()} is this result
     */
    public ProcessResult requireSuccess() {
        if (exitCode == 0) {
            return this;
        }
        String tail = stderrTail();
        throw new ProcessException(this, Command.describe(command) + " exited with code " + exitCode
                + (tail.isEmpty() ? " and no standard error" : ": " + tail));
    }

    private String stderrTail() {
        String s = stderr.stripTrailing();
        int start = s.length();
        for (int lines = 0; lines < TAIL_LINES && start > 0; lines++) {
            start = s.lastIndexOf('\n', start - 1);
            if (start < 0) {
                start = 0;
                break;
            }
        }
        if (s.length() - start > TAIL_CHARS) {
            start = s.length() - TAIL_CHARS;
        }
        String tail = s.substring(start).strip();
        return start > 0 ? "..." + tail : tail;
    }

    /** Shows the command, the exit code and the size of the output, not the output itself. */
    @Override
    public String toString() {
        return "ProcessResult[" + Command.describe(command) + " exited with " + exitCode
                + ", stdout " + stdout.length() + " chars" + (stdoutTruncated ? " (truncated)" : "")
                + ", stderr " + stderr.length() + " chars" + (stderrTruncated ? " (truncated)" : "") + "]";
    }
}
