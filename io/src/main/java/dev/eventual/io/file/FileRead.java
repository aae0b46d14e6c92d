package dev.eventual.io.file;

import dev.eventual.EventLoop;
import dev.eventual.Promise;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.CompletionHandler;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;

/**
 * Reads a whole file into one value: its bytes ({@code readBytes}) or its text
 * ({@code readString}), built by a {@link ReadTarget} one chunk at a time on file threads.
 *
 * <p>Overview: the file's size is read once when it opens. A file larger than an array can hold
 * fails at once, before anything is allocated. Otherwise reads of at most {@link #CHUNK} bytes
 * go on until the size is reached or the file ends (a file that shrank meanwhile gives less;
 * one that grew gives the size it had at open, as Node's {@code readFile} does). A file that
 * reports size 0 (empty, a {@code /proc} file, a pipe) is read until its end, up to the same
 * limit. Every step does bounded work: a chunk's read, a chunk's copy or decode. That bound is
 * what keeps a big read from delaying the JVM's safepoints (and so every thread) for seconds.
 *
 * <p>Fields other than those of {@link FileJob} are touched by one read's completion at a time
 * (one read in flight; each is started by the previous completion), so they need no guard.
 *
 * @param <T> the type of the value
 */
final class FileRead<T> extends FileJob<T, FileIo> implements CompletionHandler<Integer, Void> {
    /** Bytes per read. */
    static final int CHUNK = 512 * 1024;
    /** The largest array the JVM reliably allocates (as {@code java.nio.file.Files} assumes). */
    static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

    private ReadTarget<T> target;
    private FileIo channel;
    /** The size at open, if positive: the read then stops when it is reached. */
    private long size;
    private long read;

    private FileRead(EventLoop loop, String operation, Path path, ReadTarget<T> target) {
        super(loop, operation, path);
        this.target = target;
    }

    /**
     * Starts reading {@code path}'s bytes and returns a promise of them. Loop thread.
     *
     * @param operation the public method's name, for failure messages
     */
    static Promise<byte[]> bytes(EventLoop loop, String operation, Path path) {
        return new FileRead<>(loop, operation, path, new ReadTarget.Bytes()).launch();
    }

    /**
     * Starts reading {@code path}'s text and returns a promise of it. Loop thread.
     *
     * @param operation the public method's name, for failure messages
     */
    static Promise<String> text(EventLoop loop, String operation, Path path, Charset charset) {
        ReadTarget<String> target = ReadTarget.Text.handles(charset)
                ? new ReadTarget.Text(charset)
                : new ReadTarget.DecodedText(charset);
        return new FileRead<>(loop, operation, path, target).launch();
    }

    @Override
    FileIo open(FileKind kind) throws IOException {
        return FileIo.open(path, kind, Set.of(StandardOpenOption.READ));
    }

    @Override
    void run(FileIo opened) throws IOException {
        channel = opened;
        size = opened.size();
        if (size > MAX_ARRAY) {
            throw tooLarge(size + " bytes");
        }
        target.begin(size);
        readNext();
    }

    private void readNext() throws IOException {
        if (ended()) {
            return;
        }
        ByteBuffer room = target.room(CHUNK);
        if (size > 0 && room.remaining() > size - read) {
            room.limit(room.position() + (int) (size - read));
        }
        channel.read(room, null, this);
    }

    @Override
    public void completed(Integer n, Void unused) {
        try {
            if (ended()) {
                return;
            }
            if (n > 0) {
                read += n;
                if (read > MAX_ARRAY) {
                    throw tooLarge("more than " + MAX_ARRAY + " bytes");
                }
                target.took(n);
            }
            if (n < 0 || (size > 0 && read == size)) {
                T value = target.finish();
                target = null;
                succeedHere(value);
                return;
            }
            readNext();
        } catch (Throwable t) {
            target = null; // let its memory go before the failure is reported
            failHere(t);
        }
    }

    @Override
    public void failed(Throwable failure, Void unused) {
        target = null;
        failHere(failure);
    }

    static IOException tooLarge(String size) {
        return new IOException("file too large to read at once: " + size
                + ", more than one array holds (" + MAX_ARRAY + " bytes); stream it instead");
    }
}
