package dev.eventual.io.process;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.CompletableFuture;

/**
 * Reads one output stream of a process to its end on a thread of its own, keeping at most the
 * command's output limit in bytes and dropping the rest, so that the program never blocks on a
 * full pipe however much it writes. At the end it decodes what it kept with the command's charset
 * (on its own thread, not the loop's).
 *
 * <p>All fields but {@code result} belong to the reader thread.
 */
final class OutputCollector {
    private static final int CHUNK = 16 * 1024;

    /**
     * One stream's text.
     *
     * @param text what was kept, decoded
     * @param truncated whether bytes were dropped past the limit
     */
    record Collected(String text, boolean truncated) {}

    private final InputStream in;
    private final String stream;
    private final ProcessRun<?> run;
    private final int limit;
    /** Completed once by the reader thread; read by any. */
    private final CompletableFuture<Collected> result = new CompletableFuture<>();

    private OutputCollector(InputStream in, String stream, ProcessRun<?> run) {
        this.in = in;
        this.stream = stream;
        this.run = run;
        this.limit = run.command().outputLimit();
    }

    /**
     * Starts reading {@code in}.
     *
     * @param process the process, for the thread's name
     * @param in its standard output or error
     * @param stream {@code "stdout"} or {@code "stderr"}, for names and messages
     * @param run the run
     * @return a future of the text, failed with the run's read failure if the read fails while
     *     the run was not stopped
     */
    static CompletableFuture<Collected> start(Process process, InputStream in, String stream, ProcessRun<?> run) {
        OutputCollector c = new OutputCollector(in, stream, run);
        ProcessThreads.start(process.pid() + "-" + stream, c::read);
        return c.result;
    }

    private void read() {
        ByteArrayOutputStream kept = new ByteArrayOutputStream(Math.min(limit, CHUNK));
        boolean truncated = false;
        byte[] chunk = new byte[CHUNK];
        try (in) {
            int n;
            while ((n = in.read(chunk)) != -1) {
                int room = limit - kept.size();
                if (n > room) {
                    truncated = true;
                }
                if (room > 0) {
                    kept.write(chunk, 0, Math.min(n, room));
                }
            }
            result.complete(new Collected(kept.toString(run.command().charset()), truncated));
        } catch (IOException e) {
            if (run.isStopped()) {
                result.cancel(false); // the kill closed the pipe: the run has settled already
            } else {
                result.completeExceptionally(run.readFailure(stream, e));
            }
        }
    }
}
