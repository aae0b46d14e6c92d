package dev.eventual.io.file;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

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
     * Makes an open of the FIFO {@code path} that blocks for want of a peer return, and returns
     * once it has: once {@code openDone} is counted down by the opening thread (after it closed
     * what it opened). Runs on a pipe thread; blocks only that long.
     *
     * <p>How: opens the FIFO for reading and writing, which on Linux never blocks and counts as
     * both ends, and <em>holds</em> that descriptor until {@code openDone}: while it is open, every
     * open of the FIFO returns at once, so an opening thread that had not yet entered its open
     * when the release came (it decided to open, then was descheduled) returns too, instead of
     * blocking for ever after a release that came and went too early. Nothing is opened if the
     * open is done already. (That no open begun after the caller's loop ended is reached is
     * the caller's part: it ends the loop only once this returns, see {@code FileJob}.)
     *
     * <p>Any other open of the same FIFO blocked meanwhile, in this process or another, returns
     * too (it cannot be told apart). Best effort: a FIFO removed or replaced meanwhile (checked by
     * its file key each {@link #RELEASE_CHECK_MILLIS}) cannot be reached, and the release gives up;
     * failures are ignored.
     */
    static void releaseBlockedOpen(Path path, CountDownLatch openDone) {
        if (openDone.getCount() == 0) {
            return; // returned by itself (a peer came, or it failed): nothing to release
        }
        Object key = fifoKey(path);
        if (key == null) {
            return; // removed or replaced meanwhile: nothing to release, nothing to touch
        }
        boolean interrupted = false;
        try (FileChannel bothEnds = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            while (key.equals(fifoKey(path))) { // the descriptor we hold is the FIFO the opener opens
                try {
                    if (openDone.await(RELEASE_CHECK_MILLIS, TimeUnit.MILLISECONDS)) {
                        return;
                    }
                } catch (InterruptedException e) {
                    interrupted = true;
                    return;
                }
            }
        } catch (IOException | RuntimeException e) {
            // removed or replaced meanwhile: nothing this can do
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** How often a release that waits checks that the path still names the same FIFO. */
    static final long RELEASE_CHECK_MILLIS = 100;

    /** The file key (device and inode) of the FIFO {@code path}, or {@code null} if it is none. */
    private static Object fifoKey(Path path) {
        if (of(path) != FIFO) {
            return null;
        }
        try {
            Object key = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
            return key != null ? key : FIFO; // no file keys here: "still a FIFO" is all we can check
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return null;
        }
    }
}
