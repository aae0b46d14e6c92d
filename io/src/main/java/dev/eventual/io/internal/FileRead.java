package dev.eventual.io.internal;

import dev.eventual.EventLoop;
import dev.eventual.Promise;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.CompletionHandler;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads a whole file into one array ({@code readBytes}), then turns it into the value on the
 * same file thread ({@code readString} decodes there, not on the loop).
 *
 * <p>Overview: the file's size is read once when it opens. A file larger than an array can hold
 * fails at once, before anything is allocated. Otherwise the array has the file's size, and
 * {@link #CHUNK}-sized reads fill it until it is full or the file ends (a file that shrank
 * meanwhile gives a shorter array; one that grew gives the size it had at open, as Node's
 * {@code readFile} does). A file that reports size 0 (empty, or a {@code /proc} file) is read
 * until its end into an array that doubles as needed, up to the same limit. Reads are chunked so
 * that the JDK's temporary direct buffer for each read stays small.
 *
 * <p>Fields other than those of {@link FileJob} are touched by one read's completion at a time
 * (one read in flight; each is started by the previous completion), so they need no guard.
 *
 * @param <T> the type of the value
 */
public final class FileRead<T> extends FileJob<T, AsynchronousFileChannel> implements CompletionHandler<Integer, Void> {
    /** Bytes per read. */
    static final int CHUNK = 512 * 1024;
    /** The largest array the JVM reliably allocates (as {@code java.nio.file.Files} assumes). */
    static final int MAX_ARRAY = Integer.MAX_VALUE - 8;
    /** Initial capacity when the size is unknown (reported as 0). */
    private static final int UNKNOWN_SIZE_CAPACITY = 8 * 1024;

    /** Makes the value from the bytes; runs on the file thread. */
    private final Function<byte[], T> convert;
    private AsynchronousFileChannel channel;
    private byte[] buffer;
    private int filled;
    /** Whether the size at open was positive: the read then stops when the array is full. */
    private boolean sizeKnown;

    private FileRead(EventLoop loop, String operation, Path path, Function<byte[], T> convert) {
        super(loop, operation, path);
        this.convert = convert;
    }

    /**
     * Starts reading {@code path} and returns a promise of {@code convert}'s result. Loop thread.
     *
     * @param operation the public method's name, for failure messages
     */
    public static <T> Promise<T> start(EventLoop loop, String operation, Path path, Function<byte[], T> convert) {
        return new FileRead<>(loop, operation, path, convert).launch();
    }

    @Override
    AsynchronousFileChannel open() throws IOException {
        return AsynchronousFileChannel.open(path, Set.of(StandardOpenOption.READ), FileThreads.executor());
    }

    @Override
    void run(AsynchronousFileChannel opened) throws IOException {
        channel = opened;
        long size = opened.size();
        if (size > MAX_ARRAY) {
            throw tooLarge(size + " bytes");
        }
        sizeKnown = size > 0;
        buffer = new byte[sizeKnown ? (int) size : UNKNOWN_SIZE_CAPACITY];
        readNext();
    }

    private void readNext() {
        if (ended()) {
            return;
        }
        int length = Math.min(CHUNK, buffer.length - filled);
        channel.read(ByteBuffer.wrap(buffer, filled, length), filled, null, this);
    }

    @Override
    public void completed(Integer n, Void unused) {
        try {
            if (ended()) {
                return;
            }
            if (n > 0) {
                filled += n;
            }
            if (n < 0 || (sizeKnown && filled == buffer.length)) {
                byte[] bytes = filled == buffer.length ? buffer : Arrays.copyOf(buffer, filled);
                buffer = null;
                succeedHere(convert.apply(bytes));
                return;
            }
            if (filled == buffer.length) {
                grow();
            }
            readNext();
        } catch (Throwable t) {
            failHere(t);
        }
    }

    @Override
    public void failed(Throwable failure, Void unused) {
        failHere(failure);
    }

    private void grow() throws IOException {
        if (buffer.length >= MAX_ARRAY) {
            throw tooLarge("more than " + MAX_ARRAY + " bytes");
        }
        long doubled = Math.max(2L * buffer.length, (long) buffer.length + CHUNK);
        buffer = Arrays.copyOf(buffer, (int) Math.min(MAX_ARRAY, doubled));
    }

    private static IOException tooLarge(String size) {
        return new IOException("file too large to read at once: " + size
                + ", more than one array holds (" + MAX_ARRAY + " bytes); stream it instead");
    }
}
