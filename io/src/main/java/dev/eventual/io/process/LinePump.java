package dev.eventual.io.process;

import dev.eventual.EventLoop;
import dev.eventual.EventLoopClosedException;
import dev.eventual.Promise;
import dev.eventual.io.internal.LineSplitter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Reads one output stream of a process on a thread of its own, splits it into lines, and hands
 * them to a consumer on the loop thread, in order, in batches, without reading far ahead of the
 * consumer.
 *
 * <h2>Lines</h2>
 * Text is decoded with the command's charset (bad bytes become U+FFFD) and split by the io
 * module's one {@link LineSplitter}, as a file's lines are: at {@code \n}, {@code \r\n} or
 * {@code \r}, which are dropped; a last line without a terminator is delivered too. A line
 * longer than the output limit is delivered in pieces of that many characters, so one line never
 * takes more memory than that.
 *
 * <h2>Backpressure</h2>
 * At most one batch is on the loop at a time ({@code idle} has one permit, taken by the reader
 * before it hands a batch over, released by the loop once the batch is delivered). While one is
 * on the loop, the reader goes on reading into the next batch only as long as more input is
 * ready at once and the batch is below {@link #BATCH_LINES} lines and {@link #BATCH_CHARS}
 * characters; then it waits for the loop. So the memory held is about two batches plus one line,
 * a chatty program blocks on its full pipe while the consumer lags, and a line is never kept
 * back while the loop is free and the program is silent.
 *
 * <h2>Stopping</h2>
 * When the run is stopped, batches on the loop deliver no more lines, and the reader is
 * interrupted out of its wait; the kill ends its read (end of input or a closed pipe). If the
 * loop closes, the reader stops the run (killing the process) instead of waiting for a loop that
 * will never deliver.
 *
 * <p>Fields: {@code splitter}, {@code pending} and {@code pendingChars} belong to the
 * reader thread; a batch, once handed over, belongs to the loop thread (published by the
 * loop's task queue). {@code done} is completed on the loop thread after the last line.
 */
final class LinePump {
    /** Lines a batch may hold before the reader waits for the loop. */
    static final int BATCH_LINES = 1024;
    /** Characters a batch may hold before the reader waits for the loop. */
    static final int BATCH_CHARS = 64 * 1024;
    private static final int CHUNK = 8 * 1024;
    /** How often a reader waiting for the loop checks that the loop is still open, in seconds. */
    private static final long CLOSED_CHECK_SECONDS = 1;

    private final EventLoop loop;
    private final Reader reader;
    private final String stream;
    private final Consumer<String> sink;
    /** Null for a callback stream; else asked after each batch, the permit waits for its promise. */
    private final Supplier<Promise<Void>> demand;
    private final ProcessRun<?> run;
    private final Semaphore idle = new Semaphore(1);
    private final CompletableFuture<Void> done = new CompletableFuture<>();

    private final LineSplitter splitter;
    private List<String> pending = new ArrayList<>();
    private int pendingChars;

    private LinePump(EventLoop loop, InputStream in, String stream, Consumer<String> sink,
                     Supplier<Promise<Void>> demand, ProcessRun<?> run) {
        this.loop = loop;
        this.demand = demand;
        this.reader = new InputStreamReader(in, run.command().charset());
        this.stream = stream;
        this.sink = sink;
        this.run = run;
        this.splitter = new LineSplitter(run.command().outputLimit());
    }

    /**
     * Starts pumping the lines of {@code in} to {@code sink}.
     *
     * @param loop the loop whose thread calls {@code sink}
     * @param process the process, for the thread's name
     * @param in its standard output or error
     * @param stream {@code "stdout"} or {@code "stderr"}
     * @param sink receives each line on the loop thread; if it throws, the run fails with that
     * @param demand null, or asked on the loop after each batch was delivered: the next batch is
     *     handed over only once its promise fulfils (an {@code AsyncIterator}'s pull)
     * @param run the run
     * @return a future completed on the loop thread once the last line was delivered; failed
     *     with the run's read failure if the read fails while the run was not stopped
     */
    static CompletableFuture<Void> start(EventLoop loop, Process process, InputStream in, String stream,
                                                Consumer<String> sink, Supplier<Promise<Void>> demand,
                                                ProcessRun<?> run) {
        LinePump pump = new LinePump(loop, in, stream, sink, demand, run);
        Thread reader = ProcessThreads.start(process.pid() + "-" + stream, pump::pump);
        run.onStop(reader::interrupt);
        return pump.done;
    }

    /** The reader thread. */
    private void pump() {
        char[] chunk = new char[CHUNK];
        try (reader) {
            int n;
            while ((n = reader.read(chunk)) != -1) {
                splitter.split(chunk, 0, n, this::addPending);
                if (!pending.isEmpty()) {
                    if (idle.tryAcquire()) {
                        hand(false);
                    } else if (pendingChars >= BATCH_CHARS || pending.size() >= BATCH_LINES || !reader.ready()) {
                        awaitIdle();
                        hand(false);
                    } // else: more input is ready at once; read it into this batch
                }
            }
            splitter.finish(this::addPending);
            awaitIdle();
            hand(true);
        } catch (IOException e) {
            if (!run.isStopped()) {
                done.completeExceptionally(run.readFailure(stream, e));
            }
        } catch (InterruptedException | RejectedExecutionException | EventLoopClosedException e) {
            // stopped (interrupted by stop(), or the loop closed and the run was failed): nothing to hand
        }
    }

    /** Reader thread: waits until no batch is on the loop; fails the run if the loop closed. */
    private void awaitIdle() throws InterruptedException {
        while (!idle.tryAcquire(CLOSED_CHECK_SECONDS, TimeUnit.SECONDS)) {
            if (loop.isClosed()) {
                throw loopClosed();
            }
        }
    }

    /** Reader thread, holding the permit: hands the pending lines to the loop. */
    private void hand(boolean last) {
        List<String> batch = pending;
        pending = new ArrayList<>();
        pendingChars = 0;
        try {
            loop.execute(() -> deliver(batch, last));
        } catch (RejectedExecutionException e) {
            idle.release();
            throw loopClosed();
        }
    }

    private EventLoopClosedException loopClosed() {
        EventLoopClosedException e = new EventLoopClosedException(
                "loop " + loop.name() + " closed while streaming " + stream + " of " + run.command());
        run.fail(e);
        return e;
    }

    /**
     * Loop thread: delivers one batch, unless the run was stopped; then gives the permit back,
     * with a {@code demand} only once its promise fulfilled (a stopped run's reader is
     * interrupted out of its wait, so a demand that never comes holds nothing).
     */
    private void deliver(List<String> batch, boolean last) {
        boolean waitForDemand = false;
        try {
            for (String s : batch) {
                if (run.isStopped()) {
                    return;
                }
                sink.accept(s);
            }
            if (last) {
                done.complete(null);
            } else {
                waitForDemand = demand != null;
            }
        } catch (Throwable t) {
            run.fail(t); // rejects the run with what the consumer threw, and kills the process
        } finally {
            if (waitForDemand) {
                demand.get().thenAccept(v -> idle.release());
            } else {
                idle.release();
            }
        }
    }

    /** Reader thread: adds a line to the pending batch. */
    private void addPending(String line) {
        pending.add(line);
        pendingChars += line.length();
    }
}
