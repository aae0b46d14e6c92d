package dev.eventual.io.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.eventual.EventLoop;
import dev.eventual.Promise;
import dev.eventual.Timeout;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * A FIFO open released by a cancel reaches its own open even when the opening thread had not yet
 * entered the native open when the cancel came (it had decided to open, then was descheduled):
 * the release holds both ends of the FIFO open until that open is done, and the loop ends only
 * then, so when {@link EventLoop#run} returns the opener has returned, closed what it opened and
 * done none of the job's I/O, and no descriptor on the FIFO is left. Linux only ({@code mkfifo},
 * {@code /proc/self/fd}).
 */
class FifoOpenReleaseTest {
    /** A hang guard only; no assertion depends on timing. */
    private static final Duration HANG_GUARD = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    enum Direction { READ, WRITE }

    /**
     * A job whose opening thread, once it has decided to open the FIFO (the job had not ended),
     * stops before the native open until the job has been cancelled and the release has begun
     * (its descriptor on the FIFO is seen), or a generous while has passed: the schedule of a
     * thread descheduled at the worst moment.
     */
    private static final class LateOpener extends FileJob<Void, FileIo> {
        private final Direction direction;
        final CountDownLatch decided = new CountDownLatch(1);
        volatile boolean cancelled;
        volatile boolean openReturned;
        final AtomicBoolean ran = new AtomicBoolean();

        LateOpener(EventLoop loop, Path fifo, Direction direction) {
            super(loop, "late-" + direction, fifo);
            this.direction = direction;
        }

        @Override
        FileIo open(FileKind kind) throws IOException {
            assertThat(kind).isEqualTo(FileKind.FIFO);
            decided.countDown();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!(cancelled && OpenDescriptors.on(path) > 0) && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            FileIo opened = FileIo.open(path, kind, Set.of(direction == Direction.READ
                    ? StandardOpenOption.READ : StandardOpenOption.WRITE));
            openReturned = true;
            return opened;
        }

        @Override
        void run(FileIo channel) {
            ran.set(true); // must not happen: the job ended before its open returned
            succeedHere(null);
        }
    }

    @ParameterizedTest
    @EnumSource(Direction.class)
    void aReleaseThatComesBeforeTheNativeOpen_stillReleasesIt_andTheLoopEndsAfterIt(Direction direction)
            throws Exception {
        OpenDescriptors.assumeCountable();
        Path fifo = dir.resolve("late.fifo");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assertThat(mkfifo.waitFor()).as("mkfifo %s", fifo).isZero();
        try {
            for (int round = 0; round < ROUNDS; round++) {
                cancelLateOpen(fifo, direction, round);
            }
        } finally {
            // a release that failed leaves the opener blocked: let it go, so that no thread outlives the test
            FileChannel.open(fifo, StandardOpenOption.READ, StandardOpenOption.WRITE).close();
        }
    }

    /**
     * Rounds per direction: one shows a release that came too early; the window in which the
     * loop could end while the release still held the FIFO open is short, so several rounds.
     */
    private static final int ROUNDS = 20;

    private static void cancelLateOpen(Path fifo, Direction direction, int round) throws Exception {
        List<LateOpener> job = new ArrayList<>();
        List<Throwable> failures = new ArrayList<>();
        assertTimeoutPreemptively(HANG_GUARD, () -> EventLoop.run(() -> {
            EventLoop loop = EventLoop.current();
            LateOpener opener = new LateOpener(loop, fifo, direction);
            job.add(opener);
            Promise<Void> p = opener.launch();
            p.asCallback((error, value) -> failures.add(error));
            Timeout[] poll = new Timeout[1];
            poll[0] = loop.setInterval(() -> {
                if (opener.decided.getCount() == 0) { // it decided to open, and has not opened
                    loop.clearInterval(poll[0]);
                    opener.cancelled = true; // (set first: cancel starts the release)
                    p.cancel();
                }
            }, 1);
        }), "the loop ended after the cancel (" + direction + ", round " + round + ")");
        LateOpener opener = job.get(0);
        assertThat(failures).as("the promise of the cancelled %s", direction).hasSize(1);
        assertThat(failures.get(0)).isInstanceOf(CancellationException.class);
        assertThat(opener.openReturned)
                .as("the late open of the FIFO (%s) had returned when the loop ended", direction).isTrue();
        assertThat(opener.ran).as("the released %s did its I/O", direction).isFalse();
        assertThat(OpenDescriptors.on(fifo))
                .as("descriptors on the FIFO when the loop ended (the release's: an open begun now would"
                        + " go through it; %s, round %d)", direction, round).isZero();
    }
}
