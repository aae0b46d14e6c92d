package dev.eventual.io.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.Channel;
import java.nio.channels.CompletionHandler;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.Set;

/**
 * A file open for whole-file reads and writes, one piece at a time, each ending in a completion
 * handler, whatever the kind of file ({@link FileKind}).
 *
 * <p>A seekable file is an {@link AsynchronousFileChannel} on {@link FileThreads}: each read or
 * write is at the position the previous one ended at. A stream (a pipe, a FIFO, a device) has no
 * position ({@code pread} fails there with "Illegal seek"), so it is a {@link FileChannel} read
 * and written sequentially, each blocking call on a {@link PipeThreads} platform thread, where
 * {@link #close()} from another thread interrupts it.
 *
 * <p>One read or write in flight at a time, each started by the previous one's completion (or
 * by a hand-over through an executor or the loop's queue, which orders them), so
 * {@code position} needs no guard. {@link #close()} is thread-safe, as the channels' are.
 */
final class FileIo implements Channel {
    private final AsynchronousFileChannel positional;
    private final FileChannel sequential;
    /** Where the next positional read or write starts. */
    private long position;

    private FileIo(AsynchronousFileChannel positional, FileChannel sequential) {
        this.positional = positional;
        this.sequential = sequential;
    }

    /** Opens {@code path} with {@code options}, as {@code kind} says; may block (a file thread). */
    static FileIo open(Path path, FileKind kind, Set<? extends OpenOption> options) throws IOException {
        if (kind == FileKind.SEEKABLE) {
            return new FileIo(AsynchronousFileChannel.open(path, options, FileThreads.executor()), null);
        }
        return new FileIo(null, FileChannel.open(path, options));
    }

    /** Whether this is a stream read and written sequentially. */
    boolean isStream() {
        return sequential != null;
    }

    /** The file's size when opened; 0 when it is a stream or reports none (as {@code /proc} files). */
    long size() throws IOException {
        return positional != null ? positional.size() : 0;
    }

    /** Reads into {@code dst}; {@code handler} receives the count, or -1 at the end. */
    <A> void read(ByteBuffer dst, A attachment, CompletionHandler<Integer, ? super A> handler) {
        if (positional != null) {
            positional.read(dst, position, attachment, advancing(handler));
        } else {
            PipeThreads.executor().execute(() -> {
                int n;
                try {
                    n = sequential.read(dst);
                } catch (Throwable t) {
                    handler.failed(t, attachment);
                    return;
                }
                handler.completed(n, attachment);
            });
        }
    }

    /** Writes from {@code src} (maybe not all of it); {@code handler} receives the count. */
    <A> void write(ByteBuffer src, A attachment, CompletionHandler<Integer, ? super A> handler) {
        if (positional != null) {
            positional.write(src, position, attachment, advancing(handler));
        } else {
            PipeThreads.executor().execute(() -> {
                int n;
                try {
                    n = sequential.write(src);
                } catch (Throwable t) {
                    handler.failed(t, attachment);
                    return;
                }
                handler.completed(n, attachment);
            });
        }
    }

    private <A> CompletionHandler<Integer, A> advancing(CompletionHandler<Integer, ? super A> handler) {
        return new CompletionHandler<>() {
            @Override
            public void completed(Integer n, A attachment) {
                if (n > 0) {
                    position += n;
                }
                handler.completed(n, attachment);
            }

            @Override
            public void failed(Throwable failure, A attachment) {
                handler.failed(failure, attachment);
            }
        };
    }

    @Override
    public boolean isOpen() {
        return positional != null ? positional.isOpen() : sequential.isOpen();
    }

    /**
     * Closes the file. A positional read or write in flight is waited for (it does not block for
     * long); a sequential one blocked on a peer is interrupted and fails, which its handler sees.
     */
    @Override
    public void close() throws IOException {
        if (positional != null) {
            positional.close();
        } else {
            sequential.close();
        }
    }
}
