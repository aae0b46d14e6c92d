package dev.eventual.io.file;

import dev.eventual.EventLoop;
import dev.eventual.Promise;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Appends bytes to a file ({@code appendString}, {@code appendBytes}), creating it if needed.
 *
 * <p>Why not {@code AsynchronousFileChannel} like the other file operations: it refuses
 * {@code APPEND}, and the substitute (write at the position {@code size()} returned) loses data
 * when two appends overlap, even two of the same program started without waiting for each other:
 * both read the same size and the second overwrites the first. So this opens a
 * {@link FileChannel} with {@code APPEND} ({@code O_APPEND}: the system moves every write to the
 * end of the file atomically) and writes with blocking calls on its own {@link FileThreads}
 * thread, which is never the loop's. Appends that overlap (from this program or another process)
 * then never overwrite each other; they may interleave, at the granularity of one {@link #CHUNK}.
 *
 * <p>A pipe, FIFO or device is written the same way, but on a {@link PipeThreads} platform
 * thread, where a write blocked on a full pipe can be interrupted by closing the channel.
 *
 * <p>Cancelling closes the channel from another file thread; the blocked write then fails with
 * {@code AsynchronousCloseException}, which is ignored because the job has ended.
 */
final class FileAppend extends FileJob<Void, FileChannel> {
    /** Bytes per write. */
    static final int CHUNK = 512 * 1024;

    /** Read only by the file thread that runs the job. */
    private final byte[] bytes;

    private FileAppend(EventLoop loop, String operation, Path path, byte[] bytes) {
        super(loop, operation, path);
        this.bytes = bytes;
    }

    /**
     * Starts appending {@code bytes} to {@code path} and returns a promise of the end. Loop
     * thread. The array must not change until the promise settles.
     *
     * @param operation the public method's name, for failure messages
     */
    static Promise<Void> start(EventLoop loop, String operation, Path path, byte[] bytes) {
        return new FileAppend(loop, operation, path, bytes).launch();
    }

    @Override
    FileChannel open(FileKind kind) throws IOException {
        return FileChannel.open(path, StandardOpenOption.WRITE, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    @Override
    boolean closeFailureMatters() {
        return true;
    }

    @Override
    void run(FileChannel channel) throws IOException {
        if (kind() == FileKind.SEEKABLE) {
            writeAll(channel);
        } else {
            PipeThreads.executor().execute(() -> {
                try {
                    writeAll(channel);
                } catch (Throwable t) {
                    failHere(t);
                }
            });
        }
    }

    private void writeAll(FileChannel channel) throws IOException {
        int written = 0;
        while (written < bytes.length && !ended()) {
            written += channel.write(ByteBuffer.wrap(bytes, written, Math.min(CHUNK, bytes.length - written)));
        }
        succeedHere(null);
    }
}
