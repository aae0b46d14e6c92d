package dev.eventual.io.file;

import dev.eventual.EventLoop;
import dev.eventual.Promise;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.CompletionHandler;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;

/**
 * Writes a whole file ({@code writeString}, {@code writeBytes}): creates it or truncates it, then
 * writes the bytes from position 0 in {@link #CHUNK}-sized writes, each continuing where the last
 * one stopped (a write may be partial), and closes it; a failure to close rejects too, since the
 * data may not have reached the file. A pipe, FIFO or device is opened for writing as it is and
 * written sequentially (see {@link FileIo}).
 *
 * <p>{@code bytes} is read by one write at a time (each started by the previous completion);
 * {@code written} is touched the same way, so neither needs a guard.
 */
final class FileWrite extends FileJob<Void, FileIo> implements CompletionHandler<Integer, Void> {
    /** Bytes per write. */
    static final int CHUNK = 512 * 1024;

    private byte[] bytes;
    private FileIo channel;
    private int written;

    private FileWrite(EventLoop loop, String operation, Path path, byte[] bytes) {
        super(loop, operation, path);
        this.bytes = bytes;
    }

    /**
     * Starts writing {@code bytes} to {@code path}, replacing its content, and returns a promise of
     * the end. Loop thread. The array must not change until the promise settles.
     *
     * @param operation the public method's name, for failure messages
     */
    static Promise<Void> start(EventLoop loop, String operation, Path path, byte[] bytes) {
        return new FileWrite(loop, operation, path, bytes).launch();
    }

    @Override
    FileIo open(FileKind kind) throws IOException {
        return FileIo.open(path, kind, kind == FileKind.SEEKABLE
                ? Set.of(StandardOpenOption.WRITE, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING)
                : Set.of(StandardOpenOption.WRITE)); // a pipe or device: nothing to create or truncate
    }

    @Override
    boolean closeFailureMatters() {
        return true;
    }

    @Override
    void run(FileIo opened) {
        channel = opened;
        writeNextOrFinish();
    }

    private void writeNextOrFinish() {
        if (ended()) {
            return;
        }
        if (written == bytes.length) {
            bytes = null;
            succeedHere(null);
            return;
        }
        int length = Math.min(CHUNK, bytes.length - written);
        channel.write(ByteBuffer.wrap(bytes, written, length), null, this);
    }

    @Override
    public void completed(Integer n, Void unused) {
        try {
            written += n;
            writeNextOrFinish();
        } catch (Throwable t) {
            failHere(t);
        }
    }

    @Override
    public void failed(Throwable failure, Void unused) {
        failHere(failure);
    }
}
