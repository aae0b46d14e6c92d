package dev.eventual.io.file;

import dev.eventual.EventLoop;
import dev.eventual.KeepAlive;
import dev.eventual.Promise;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.CompletionHandler;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Streams a file's lines to a callback on the loop thread ({@code AsyncFiles.lines}), one chunk
 * in memory at a time. A pipe or FIFO is read sequentially (see {@link FileIo}).
 *
 * <p>Overview. A cycle per chunk: the loop (or, for the first chunk, the opening thread) starts
 * one read of up to a chunk into {@code buffer}; its completion, on a file thread, decodes the
 * bytes into lines with the {@link LineDecoder} and hands the list to the loop with
 * {@code execute}; the loop calls the callback once per line, in order, and only then starts the
 * next read. So at most one chunk of bytes and one chunk's lines are held, however large the
 * file (plus the text of one line, however long), and a slow callback slows the reading
 * (backpressure). Decoding happens on the file thread, not the loop.
 *
 * <p>Threads and fields. {@code buffer}, the channel's position and the decoder are touched by one
 * party at a time along that cycle (read completion, then loop, then the next read), each step
 * handed over by {@code execute}, which orders them. {@code delivered} and {@code onLine} are
 * the loop thread's. Each read in flight holds its own {@link KeepAlive}, released after its
 * completion handed its lines to the loop: after a cancel, the loop stays up until that
 * completion is done with it.
 *
 * <p>Ending. At the end of the file the completion closes the channel at once, then the loop
 * delivers the last lines and fulfils the promise with their count. A callback that throws and a
 * cancel of the promise (what an abort signal given through the promise does) end the job at
 * once ({@link #ended()}): the loop stops before the next line, no read is started, and the
 * channel is closed on a file thread.
 */
final class FileLines extends FileJob<Long, FileIo>
        implements CompletionHandler<Integer, KeepAlive> {
    /** Bytes per read. */
    static final int CHUNK = 64 * 1024;

    /** Receives the lines; loop thread only. */
    private final Consumer<? super String> onLine;
    /** Null for a callback stream; else asked after each chunk's lines, the next read waits for it. */
    private final Supplier<Promise<Void>> demand;
    private final LineDecoder decoder;
    /** Bytes read and not yet decoded (an incomplete character), then room for the next read. */
    private ByteBuffer buffer;
    private FileIo channel;
    /** Lines the callback returned from; loop thread only. */
    private long delivered;

    /** The label of each read's keep-alive, for {@code loop.describe()}. */
    private final String inFlightLabel;

    private FileLines(EventLoop loop, Path path, Charset charset, Consumer<? super String> onLine,
                       Supplier<Promise<Void>> demand, int chunkSize) {
        super(loop, "lines", path);
        this.inFlightLabel = "file lines " + path + ": a read in flight";
        this.onLine = onLine;
        this.demand = demand;
        this.decoder = new LineDecoder(charset, chunkSize);
        this.buffer = ByteBuffer.allocate(chunkSize);
    }

    /**
     * Starts streaming the lines of {@code path} to {@code onLine} and returns a promise of their
     * count; cancelling it stops the stream. Loop thread.
     */
    static Promise<Long> start(EventLoop loop, Path path, Charset charset, Consumer<? super String> onLine) {
        return start(loop, path, charset, onLine, null, CHUNK);
    }

    /**
     * {@link #start(EventLoop, Path, Charset, Consumer)} that asks {@code demand}
     * after each chunk's lines were handed over and reads the next chunk only once that promise
     * fulfils (an {@code AsyncIterator}'s pull). Loop thread.
     */
    static Promise<Long> startPulled(EventLoop loop, Path path, Charset charset,
                                     Consumer<? super String> onLine, Supplier<Promise<Void>> demand) {
        return start(loop, path, charset, onLine, demand, CHUNK);
    }

    /** {@link #start(EventLoop, Path, Charset, Consumer)} with another chunk size (tests). */
    static Promise<Long> start(EventLoop loop, Path path, Charset charset, Consumer<? super String> onLine,
                               Supplier<Promise<Void>> demand, int chunkSize) {
        if (chunkSize < 1) {
            throw new IllegalArgumentException("chunkSize must be >= 1: " + chunkSize);
        }
        return new FileLines(loop, path, charset, onLine, demand, chunkSize).launch();
    }

    @Override
    FileIo open(FileKind kind) throws IOException {
        return FileIo.open(path, kind, Set.of(StandardOpenOption.READ));
    }

    @Override
    String outOfMemoryAdvice() {
        return "a line longer than the heap holds; give the JVM more heap";
    }

    @Override
    void run(FileIo opened) {
        channel = opened;
        readNext();
    }

    /** Starts the next read, unless the job has ended. The opening thread, then the loop thread. */
    private void readNext() {
        if (ended()) {
            return;
        }
        KeepAlive inFlight = loop.keepAlive(inFlightLabel);
        try {
            channel.read(buffer, inFlight, this);
        } catch (Throwable t) {
            inFlight.close();
            throw t;
        }
    }

    @Override
    public void completed(Integer n, KeepAlive inFlight) {
        try {
            if (ended()) {
                return;
            }
            List<String> lines = new ArrayList<>();
            boolean end = n < 0;
            buffer.flip();
            if (end) {
                decoder.finish(buffer, lines);
                buffer = null;
                closeChannelHere();
            } else {
                decoder.decode(buffer, lines);
                buffer.compact();
                if (!buffer.hasRemaining()) { // a chunk smaller than one character: make room
                    buffer = ByteBuffer.allocate(2 * buffer.capacity()).put(buffer.flip());
                }
            }
            loop.execute(() -> deliver(lines, end));
        } catch (Throwable t) {
            failHere(t);
        } finally {
            inFlight.close(); // after execute: the loop never looks idle in between
        }
    }

    @Override
    public void failed(Throwable failure, KeepAlive inFlight) {
        try {
            failHere(failure);
        } finally {
            inFlight.close();
        }
    }

    /** Hands {@code lines} to the callback, then reads on or ends. Loop thread. */
    private void deliver(List<String> lines, boolean end) {
        assert loop.inEventLoop() : "not on the loop thread: " + Thread.currentThread();
        for (String line : lines) {
            if (ended()) {
                return; // cancelled or aborted, possibly by the callback itself
            }
            try {
                onLine.accept(line);
            } catch (Throwable t) {
                failLater(t);
                return;
            }
            delivered++;
        }
        if (end) {
            succeedLater(delivered);
        } else if (demand == null) {
            readOn();
        } else {
            demand.get().thenAccept(v -> readOn());
        }
    }

    /** Starts the next read, or fails the job with what starting it threw. Loop thread. */
    private void readOn() {
        try {
            readNext();
        } catch (Throwable t) {
            failLater(t);
        }
    }
}
