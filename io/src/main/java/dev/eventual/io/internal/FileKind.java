package dev.eventual.io.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * What kind of file a path names, as far as reading and writing it goes, found with
 * {@code stat} (following links: {@code /dev/stdin} is the pipe or terminal it points to).
 *
 * <ul>
 * <li>{@link #SEEKABLE}: a regular file, a directory (whose read then fails as it should), or a
 *     path that does not exist yet: read and written at positions.
 * <li>{@link #STREAM}: a pipe, a socket or a device: read and written sequentially, with
 *     blocking calls on {@link PipeThreads}.
 * <li>{@link #FIFO}: a named pipe ({@code mkfifo}): a stream whose open itself blocks until
 *     the other end is opened; see {@link #releaseBlockedOpen}.
 * </ul>
 */
enum FileKind {
    SEEKABLE, STREAM, FIFO;

    /** {@code S_IFMT} and {@code S_IFIFO} of {@code st_mode}. */
    private static final int TYPE_MASK = 0170000;
    private static final int FIFO_TYPE = 0010000;

    /** Finds the kind of {@code path}; may block (a file thread). */
    static FileKind of(Path path) {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(path, BasicFileAttributes.class);
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return SEEKABLE; // missing (a write creates it), or unknown: the open reports what is wrong
        }
        if (attributes.isRegularFile() || attributes.isDirectory()) {
            return SEEKABLE;
        }
        try {
            if (Files.getAttribute(path, "unix:mode") instanceof Integer mode && (mode & TYPE_MASK) == FIFO_TYPE) {
                return FIFO;
            }
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | SecurityException e) {
            // no "unix" view: a stream all the same
        }
        return STREAM;
    }

    /**
     * Makes an open of the FIFO {@code path} that blocks for want of a peer return: opens it for
     * reading and writing, which on Linux never blocks and counts as both ends, then closes it.
     * The blocked open then returns (and its reads see the end, its writes a closed pipe). Any
     * other open of the same FIFO blocked at that moment, in this process or another, returns
     * too. Best effort: a FIFO removed meanwhile cannot be reached, and failures are ignored.
     */
    static void releaseBlockedOpen(Path path) {
        if (of(path) != FIFO) {
            return; // removed or replaced meanwhile: nothing to release, nothing to touch
        }
        try {
            FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE).close();
        } catch (IOException | RuntimeException e) {
            // removed or replaced meanwhile: nothing this can do
        }
    }
}
