package dev.eventual.io.file;

import dev.eventual.AbortSignal;
import dev.eventual.AsyncIterator;
import dev.eventual.EventLoop;
import dev.eventual.NodeCallback;
import dev.eventual.Promise;
import dev.eventual.io.internal.PullQueue;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Files, the Node way: read and write whole files as text or bytes, append, and stream a file's
 * lines, without ever blocking the event loop (Node's {@code fs.promises.readFile},
 * {@code writeFile}, {@code appendFile} and {@code readline}). Named so as not to clash with
 * {@link java.nio.file.Files}.
 *
 * <pre>{@code
 * EventLoop.run(() -> {
 *     AsyncFiles.readString(Path.of("in.txt"))
 *             .thenCompose(text -> AsyncFiles.writeString(Path.of("out.txt"), text.toUpperCase()))
 *             .thenAccept(done -> System.out.println("written"));
 *     AsyncFiles.lines(Path.of("big.log"), line -> { if (line.contains("ERROR")) System.out.println(line); })
 *             .thenAccept(count -> System.out.println(count + " lines"));
 * });
 * }</pre>
 *
 * <h2 id="callbacks">Callbacks</h2>
 * Every operation returns a {@link Promise}; a callback is passed through it, inline or by
 * reference. {@link Promise#thenAccept} takes one that receives the result (its returned
 * promise rejects with the operation's failure or what the callback threw, so a failure nobody
 * handles is reported as an unhandled rejection, never lost); {@link Promise#asCallback} takes a
 * Node-style {@link NodeCallback} that receives {@code (null, value)} or
 * {@code (error, null)}:
 * <pre>{@code
 * AsyncFiles.readString(path).thenAccept(this::show);
 * AsyncFiles.readString(path).asCallback((error, text) -> {
 *     if (error != null) log.warn("cannot read " + path, error); else show(text);
 * });
 * }</pre>
 * The operations that deliver many values ({@code lines}) take one {@link Consumer} for them and
 * return a promise of their end; {@code lineIterator} hands them out one {@code next()} at a
 * time instead.
 *
 * <h2>Threading</h2>
 * Call these methods on a loop thread (or in an {@code async} body): the result belongs to the
 * calling thread's loop ({@link EventLoop#current()}, which throws {@link IllegalStateException}
 * off a loop). The file is opened, read, written and closed on threads of Eventual's own (virtual
 * threads; {@link java.nio.channels.AsynchronousFileChannel} for reads and writes of regular
 * files; platform threads for those of pipes, see below), never on the loop thread. Every
 * callback (promise handlers, {@code asCallback}'s callback and {@code lines}' line consumer)
 * runs on the loop thread. An operation in flight keeps the loop
 * alive ({@link EventLoop#run} does not return before it ends) and nothing of it does afterwards.
 *
 * <h2>Failures</h2>
 * When the file system fails, the promise rejects with a {@link FileOperationException} that
 * names the operation and the path ({@code "readString /tmp/missing.txt failed: no such file or
 * directory (NoSuchFileException)"}) and whose cause is the original {@link java.io.IOException}
 * ({@link java.nio.file.NoSuchFileException}, {@link java.nio.file.AccessDeniedException}, ...;
 * reading a directory fails with the system's {@code "Is a directory"}). A file system provider
 * that cannot do the operation at all rejects it with what it threw (for example
 * {@link UnsupportedOperationException}).
 *
 * <h2>Cancellation</h2>
 * {@link Promise#cancel()} on a returned promise stops the work: it rejects the promise with a
 * {@link java.util.concurrent.CancellationException} and closes the file's channel (on a file
 * thread; the loop stays up until it is closed). A write or append cancelled midway leaves
 * the bytes written so far. An {@link AbortSignal} is given the same way for every operation,
 * on the returned promise: {@code AsyncFiles.lines(path, onLine).withSignal(signal)} (see
 * {@link Promise#withSignal(AbortSignal)}); when the signal aborts, that promise rejects with the
 * signal's reason and the operation is cancelled as above, so {@code lines} delivers no further
 * line, not even the rest of the current chunk. {@link Promise#timeout(java.time.Duration)}
 * cancels the same way.
 *
 * <h2>Loop close</h2>
 * When the loop closes with an operation in flight (waiting for a file, opening, reading,
 * writing, or between two batches of {@code lines}), its promise rejects with
 * {@link dev.eventual.EventLoopClosedException}, as every promise pending on a closing loop
 * does, and the operation stops: its file is closed during the close, before
 * {@link EventLoop#close()} returns to a thread that waits for it (a read or write of a regular
 * file in flight is let finish first; one blocked on a pipe is interrupted). A write or append
 * stopped so leaves the bytes written so far. No descriptor of the operation outlives its loop.
 *
 * <h2>Pipes, FIFOs and devices</h2>
 * A path that is not a regular file or directory ({@code /dev/stdin} fed by a pipe, a named pipe
 * made with {@code mkfifo}, a device) is read and written sequentially, from its start, with
 * blocking calls on platform threads of Eventual's own: {@code readString}, {@code readBytes}
 * and {@code lines} read until the writer closes its end; {@code writeString} and
 * {@code writeBytes} write without creating or truncating. Cancelling, aborting or closing the
 * loop interrupts a read or write blocked for want of a peer. Opening a named pipe blocks until
 * its other end is opened, as in Node; if the operation is cancelled, aborted, timed out or its
 * loop closes meanwhile, the promise rejects at once, the blocked open no longer keeps the loop
 * running, and Eventual opens the pipe for reading and writing and closes it again (which on
 * Linux never blocks), so that the blocked open returns and its thread ends. That also releases
 * any other open of the same pipe blocked at that moment, in this program or another, which
 * then sees an empty, closed pipe. On a system where opening a named pipe for reading and writing
 * blocks, or if the pipe is removed meanwhile, the open stays blocked (one thread and one of
 * the slots below) until a peer opens the pipe.
 *
 * <h2>Size limits and memory</h2>
 * {@code readBytes} returns one array: a file of more than {@code 2^31 - 9} bytes (about 2 GB)
 * rejects with a {@link FileOperationException} ({@code "file too large to read at once ...;
 * stream it instead"}) before anything is allocated, or, for a pipe, once that many were read.
 * {@code readString} has the same limit in bytes, and its text must fit in one string: at most
 * {@code 2^31 - 9} chars if all are below U+0100, half as many otherwise ({@code "text too long
 * for one string"}). It decodes the file piece by piece (at most 8 MiB) as it is read, so no
 * step of a big read holds up the JVM's other threads (their safepoints) for more than
 * milliseconds; its memory peaks at about twice the text (the pieces and the result), and
 * {@code readBytes}' at the file's size. {@code lines} holds one 64 KiB chunk and the longest
 * line, whatever the file's size. If the heap cannot hold what an operation reads, its promise
 * rejects with an {@link OutOfMemoryError} whose message names the operation and the path
 * ({@code "readString /data/big.log failed: out of memory (Java heap space); ..."}) and whose
 * cause is the JVM's error.
 *
 * <h2>Files open at once</h2>
 * The operations of all loops together keep at most 128 files open at once (the system property
 * {@code dev.eventual.io.maxOpenFiles}, read once, changes the number), so that many operations
 * started together stay within the process's descriptor limit (often 1,024) and leave room for
 * sockets: the others wait in line, in the order they were started, and start as files are
 * closed. A waiting operation is in flight as any other (it keeps its loop running); cancelling
 * it, aborting it or closing its loop takes it out of line. A {@code lines} stream holds its place
 * until it ends, so many streams that never end (named pipes nobody writes to) hold up the
 * file operations started after them.
 *
 * <h2>Text</h2>
 * The default charset is UTF-8. Bytes that are not valid in the charset are read as U+FFFD, as
 * {@code new String(bytes, charset)} and Node do; characters that the charset cannot encode are
 * written as its replacement (a {@code '?'} for most), as {@link String#getBytes(Charset)} does.
 * A byte order mark is kept, not stripped.
 *
 * <h2>Nulls</h2>
 * No argument may be {@code null}: a {@code null} fails at the call with a
 * {@link NullPointerException} naming the parameter, before any work starts.
 */
public final class AsyncFiles {
    private AsyncFiles() {}

    // ---------------------------------------------------------------- readString

    /**
     * Returns a promise of the whole content of {@code path} as text, decoded as UTF-8 (Node's
     * {@code fs.promises.readFile(path, "utf8")}). Handlers receive the string on the loop
     * thread, as microtasks after the file was read and closed. It rejects with a
     * {@link FileOperationException} naming {@code "readString"} and the path (a missing file,
     * a directory, no permission, a file larger than about 2 GB or text longer than a string
     * holds: see Size limits in the class javadoc); cancelling it closes the file and stops
     * reading. A pipe or device is read until its writer closes it. See the class javadoc for
     * threads, failures, loop close and pipes. A callback goes through the promise (see
     * <a href="#callbacks">Callbacks</a>):
     * <pre>{@code
     * AsyncFiles.readString(path).thenAccept(this::show);
     * AsyncFiles.readString(path).asCallback((error, text) -> ...);
     * }</pre>
     *
     * @param path the file
     * @return a promise of the text, on the calling thread's loop
     * @throws IllegalStateException if the calling thread runs no event loop
     */
    public static Promise<String> readString(Path path) {
        return readString(path, StandardCharsets.UTF_8);
    }

    /**
     * {@link #readString(Path)} with another charset; the bytes are decoded on a file thread,
     * not on the loop.
     *
     * @param path the file
     * @param charset how the file's bytes encode its text
     * @return a promise of the text, on the calling thread's loop
     */
    public static Promise<String> readString(Path path, Charset charset) {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(charset, "charset");
        return FileRead.text(EventLoop.current(), "readString", path, charset);
    }

    // ---------------------------------------------------------------- readBytes

    /**
     * Returns a promise of the whole content of {@code path} (Node's
     * {@code fs.promises.readFile(path)}), read in chunks into one array of the file's size.
     * Handlers receive a new array on the loop thread, as microtasks after the file was read
     * and closed. It rejects with a {@link FileOperationException} naming {@code "readBytes"}
     * and the path (as {@link #readString(Path)}); cancelling it closes the file and stops
     * reading.
     *
     * @param path the file
     * @return a promise of the bytes, on the calling thread's loop
     * @throws IllegalStateException if the calling thread runs no event loop
     */
    public static Promise<byte[]> readBytes(Path path) {
        Objects.requireNonNull(path, "path");
        return FileRead.bytes(EventLoop.current(), "readBytes", path);
    }

    // ---------------------------------------------------------------- writeString

    /**
     * Returns a promise that fulfils with {@code null} once {@code text}, encoded as UTF-8, is the
     * whole content of {@code path} and the file is closed (Node's {@code fs.promises.writeFile}):
     * the file is created if missing (not its directory), else truncated. The text is encoded
     * in this call, so it may change afterwards. Handlers run on the loop thread, as microtasks.
     * It rejects with a {@link FileOperationException} naming {@code "writeString"} and the path
     * (a missing directory, a directory, no permission, a failure to close); cancelling it closes
     * the file and stops writing, leaving what was written. A callback goes through the promise:
     * {@code writeString(path, text).thenAccept(done -> ...)} or
     * {@code .asCallback((error, done) -> ...)}.
     *
     * @param path the file
     * @param text the new content
     * @return a promise of the end, on the calling thread's loop
     * @throws IllegalStateException if the calling thread runs no event loop
     */
    public static Promise<Void> writeString(Path path, CharSequence text) {
        return writeString(path, text, StandardCharsets.UTF_8);
    }

    /**
     * {@link #writeString(Path, CharSequence)} with another charset.
     *
     * @param path the file
     * @param text the new content
     * @param charset how to encode it
     * @return a promise of the end, on the calling thread's loop
     */
    public static Promise<Void> writeString(Path path, CharSequence text, Charset charset) {
        Objects.requireNonNull(path, "path");
        byte[] bytes = encode(text, charset);
        return FileWrite.start(EventLoop.current(), "writeString", path, bytes);
    }

    // ---------------------------------------------------------------- writeBytes

    /**
     * Returns a promise that fulfils with {@code null} once {@code bytes} are the whole content of
     * {@code path} and the file is closed; as {@link #writeString(Path, CharSequence)}, with
     * {@code "writeBytes"} in failure messages. The array is not copied: do not change it until
     * the promise settles.
     *
     * @param path the file
     * @param bytes the new content
     * @return a promise of the end, on the calling thread's loop
     * @throws IllegalStateException if the calling thread runs no event loop
     */
    public static Promise<Void> writeBytes(Path path, byte[] bytes) {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(bytes, "bytes");
        return FileWrite.start(EventLoop.current(), "writeBytes", path, bytes);
    }

    // ---------------------------------------------------------------- appendString

    /**
     * Returns a promise that fulfils with {@code null} once {@code text}, encoded as UTF-8, was
     * added at the end of {@code path} and the file is closed (Node's
     * {@code fs.promises.appendFile}); the file is created if missing (not its directory). The
     * file is opened for appending ({@code O_APPEND}), so appends that overlap, from this program
     * or another process, never overwrite each other; their bytes may interleave, in blocks of
     * 512 KiB, so wait for one append before the next when order matters. Handlers run on the
     * loop thread, as microtasks. It rejects with a {@link FileOperationException} naming
     * {@code "appendString"} and the path; cancelling it closes the file, leaving what was written.
     *
     * @param path the file
     * @param text what to add
     * @return a promise of the end, on the calling thread's loop
     * @throws IllegalStateException if the calling thread runs no event loop
     */
    public static Promise<Void> appendString(Path path, CharSequence text) {
        return appendString(path, text, StandardCharsets.UTF_8);
    }

    /**
     * {@link #appendString(Path, CharSequence)} with another charset.
     *
     * @param path the file
     * @param text what to add
     * @param charset how to encode it
     * @return a promise of the end, on the calling thread's loop
     */
    public static Promise<Void> appendString(Path path, CharSequence text, Charset charset) {
        Objects.requireNonNull(path, "path");
        byte[] bytes = encode(text, charset);
        return FileAppend.start(EventLoop.current(), "appendString", path, bytes);
    }

    // ---------------------------------------------------------------- appendBytes

    /**
     * Returns a promise that fulfils with {@code null} once {@code bytes} were added at the end of
     * {@code path} and the file is closed; as {@link #appendString(Path, CharSequence)}, with
     * {@code "appendBytes"} in failure messages. The array is not copied: do not change it until
     * the promise settles.
     *
     * @param path the file
     * @param bytes what to add
     * @return a promise of the end, on the calling thread's loop
     * @throws IllegalStateException if the calling thread runs no event loop
     */
    public static Promise<Void> appendBytes(Path path, byte[] bytes) {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(bytes, "bytes");
        return FileAppend.start(EventLoop.current(), "appendBytes", path, bytes);
    }

    // ---------------------------------------------------------------- lines

    /**
     * Streams the lines of {@code path}, decoded as UTF-8, to {@code onLine} and returns a promise
     * of how many it received (Node's {@code readline} over {@code fs.createReadStream}).
     * {@code onLine} receives each line without its terminator ({@code "\n"}, {@code "\r\n"} or a
     * lone {@code "\r"}; a last line without one is a line, an empty file has none), in order, one
     * at a time, on the loop thread. The file is read 64 KiB at a time, and the next chunk is read
     * only after {@code onLine} returned from the lines of this one, so a file of any size streams
     * in bounded memory (one chunk, plus the longest line), and a slow callback slows the reading.
     * The lines of one chunk are delivered in one task of the loop, so microtasks they queue run
     * after that chunk's last line. The promise fulfils with the count, as a microtask, after the
     * last line; the file is closed by then.
     *
     * <p>If {@code onLine} throws, no further line is delivered, the file is closed and the promise
     * rejects with what it threw. If the file system fails, it rejects with a
     * {@link FileOperationException} naming {@code "lines"} and the path; the lines before the
     * failure were delivered. {@link Promise#cancel() Cancelling} the promise (even from
     * {@code onLine}) stops the stream before the next line and closes the file; so does an
     * {@link AbortSignal} given through the promise,
     * {@code lines(path, onLine).withSignal(signal)}, whose promise then rejects with the
     * signal's reason. The end goes through the promise:
     * {@code lines(path, onLine).thenAccept(count -> ...)} or
     * {@code .asCallback((error, count) -> ...)}.
     *
     * @param path the file
     * @param onLine receives each line
     * @return a promise of the number of lines delivered, on the calling thread's loop
     * @throws IllegalStateException if the calling thread runs no event loop
     */
    public static Promise<Long> lines(Path path, Consumer<? super String> onLine) {
        return lines(path, StandardCharsets.UTF_8, onLine);
    }

    /**
     * {@link #lines(Path, Consumer)} with another charset.
     *
     * @param path the file
     * @param charset how the file's bytes encode its text
     * @param onLine receives each line
     * @return a promise of the number of lines delivered, on the calling thread's loop
     */
    public static Promise<Long> lines(Path path, Charset charset, Consumer<? super String> onLine) {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(charset, "charset");
        Objects.requireNonNull(onLine, "onLine");
        return FileLines.start(EventLoop.current(), path, charset, onLine);
    }

    /**
     * Returns the lines of {@code path}, decoded as UTF-8, as an {@link AsyncIterator} to pull one
     * at a time: JavaScript's {@code for await (const line of readline.createInterface(...))}. In
     * an async body, read it with a plain {@code for} loop:
     * <pre>{@code
     * try (var lines = Async.iterate(AsyncFiles.lineIterator(path))) {
     *     for (String line : lines) {
     *         if (line.isEmpty()) break;      // the file is closed
     *     }
     * }
     * }</pre>
     * Lines are split as {@link #lines(Path, Consumer)} splits them. The file is opened and its
     * first chunk (64 KiB) read at once; each further chunk is read only once every line of the
     * one before was taken and {@code next()} asked for one more (back-pressure), so at most one
     * chunk's lines are held. {@code next()}'s promise, of the calling thread's loop, settles as a
     * microtask of that loop; it fulfils with the next line, or with an empty {@code Optional}
     * at the end (the file is then closed), or rejects with a {@link FileOperationException}
     * naming {@code "lines"} and the path (the lines before the failure are handed out first).
     * {@code close()} (a loop left early) closes the file at once and drops the lines read ahead.
     * A loop that closes ends the stream as it ends {@link #lines(Path, Consumer)}.
     *
     * @param path the file
     * @return an iterator over the lines, of the calling thread's loop
     * @throws IllegalStateException if the calling thread runs no event loop
     */
    public static AsyncIterator<String> lineIterator(Path path) {
        return lineIterator(path, StandardCharsets.UTF_8);
    }

    /**
     * {@link #lineIterator(Path)} with another charset.
     *
     * @param path the file
     * @param charset how the file's bytes encode its text
     * @return an iterator over the lines, of the calling thread's loop
     * @throws IllegalStateException if the calling thread runs no event loop
     */
    public static AsyncIterator<String> lineIterator(Path path, Charset charset) {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(charset, "charset");
        EventLoop loop = EventLoop.current();
        return PullQueue.<String>start(loop, (onItem, demand) ->
                FileLines.startPulled(loop, path, charset, onItem, demand));
    }

    // ---------------------------------------------------------------- private

    /** Encodes in the calling thread, so the caller may change a builder afterwards. */
    private static byte[] encode(CharSequence text, Charset charset) {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(charset, "charset");
        return text.toString().getBytes(charset);
    }
}
