package dev.eventual.io.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.eventual.AbortController;
import dev.eventual.AbortSignal;
import dev.eventual.EventLoop;
import dev.eventual.Promise;
import dev.eventual.UnhandledRejectionException;
import dev.eventual.UnhandledRejectionPolicy;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * AsyncFiles: what each form delivers, on which thread, how failures name the path, and that
 * cancelling or aborting stops the work and closes the file. Every program runs in
 * {@link EventLoop#run}, which returns only when nothing of it is left; assertions come after.
 * Line splitting at every chunk boundary is in {@code internal/LineStreamTest}.
 */
class AsyncFilesTest {
    /** A hang guard only; no test depends on timing. */
    private static final Duration HANG_GUARD = Duration.ofSeconds(60);
    private static final String TRICKY = "héllo wörld € 𝄞 世界\nsecond line\r\nthird";

    @TempDir
    Path dir;

    /** What a promise settled with, and where its handler ran. */
    private static final class Outcome<T> {
        volatile boolean settled;
        volatile T value;
        volatile Throwable error;
        volatile Thread thread;
    }

    private static <T> Outcome<T> record(Promise<T> promise) {
        Outcome<T> o = new Outcome<>();
        promise.asCallback((error, value) -> {
            o.error = error;
            o.value = value;
            o.thread = Thread.currentThread();
            o.settled = true;
        });
        return o;
    }

    /** Runs {@code main} on a new loop and returns once the loop ended. */
    private static void run(Runnable main) {
        assertTimeoutPreemptively(HANG_GUARD, () -> EventLoop.run(main));
    }

    /** Runs the operation {@code op} starts on a new loop and returns its outcome once the loop ended. */
    private static <T> Outcome<T> outcomeOf(Supplier<Promise<T>> op) {
        AtomicReference<Outcome<T>> outcome = new AtomicReference<>();
        run(() -> outcome.set(record(op.get())));
        assertThat(outcome.get().settled).as("settled before the loop ended").isTrue();
        return outcome.get();
    }

    /** {@code "line 0000042 "}: what line {@code i} of {@link #numberedLines} starts with. */
    private static String numbered(long i) {
        String digits = Long.toString(i);
        return "line " + "0".repeat(7 - digits.length()) + digits + " ";
    }

    /** Writes {@code lines} numbered lines ("line 0000000 xxx") of 13 to 73 bytes. */
    private static Path numberedLines(Path file, int lines) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (int i = 0; i < lines; i++) {
                w.write(numbered(i));
                w.write("x".repeat(i % 61));
                w.write('\n');
            }
        }
        return file;
    }

    // ---------------------------------------------------------------- round trips

    @Test
    void writeString_thenReadString_roundTripsMultiByteText() {
        Path file = dir.resolve("text.txt");
        Outcome<String> o = outcomeOf(() -> AsyncFiles.writeString(file, TRICKY)
                .thenCompose(done -> AsyncFiles.readString(file)));
        assertThat(o.error).isNull();
        assertThat(o.value).isEqualTo(TRICKY);
    }

    @Test
    void writeBytes_thenReadBytes_roundTripsEveryByteValueAcrossManyChunks() {
        byte[] data = new byte[3 * 512 * 1024 + 12345]; // several read and write chunks, and a partial one
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31 + (i >>> 8));
        }
        Path file = dir.resolve("data.bin");
        Outcome<byte[]> o = outcomeOf(() -> AsyncFiles.writeBytes(file, data)
                .thenCompose(done -> AsyncFiles.readBytes(file)));
        assertThat(o.error).isNull();
        assertThat(o.value).isEqualTo(data);
    }

    @Test
    void readString_withACharset_decodesThatCharset_andWriteStringEncodesIt() throws IOException {
        Path latin = dir.resolve("latin1.txt");
        Files.write(latin, "café".getBytes(StandardCharsets.ISO_8859_1));
        Path utf16 = dir.resolve("utf16.txt");
        Outcome<List<Object>> o = outcomeOf(() -> Promise.all(
                AsyncFiles.readString(latin, StandardCharsets.ISO_8859_1),
                AsyncFiles.writeString(utf16, TRICKY, StandardCharsets.UTF_16)
                        .thenCompose(done -> AsyncFiles.readString(utf16, StandardCharsets.UTF_16))));
        assertThat(o.value).containsExactly("café", TRICKY);
        assertThat(Files.readAllBytes(utf16)).isEqualTo(TRICKY.getBytes(StandardCharsets.UTF_16));
    }

    @Test
    void readString_ofInvalidUtf8_replacesTheBadBytes() throws IOException {
        Path file = dir.resolve("bad.txt");
        Files.write(file, new byte[] {'a', (byte) 0xC3, 'b', (byte) 0xFF});
        assertThat(outcomeOf(() -> AsyncFiles.readString(file)).value).isEqualTo("a\uFFFDb\uFFFD");
    }

    @Test
    void readString_andReadBytes_ofAnEmptyFile_areEmpty() throws IOException {
        Path file = Files.createFile(dir.resolve("empty"));
        assertThat(outcomeOf(() -> AsyncFiles.readString(file)).value).isEmpty();
        assertThat(outcomeOf(() -> AsyncFiles.readBytes(file)).value).isEmpty();
    }

    @Test
    void writeString_overALongerFile_replacesAllOfIt() throws IOException {
        Path file = dir.resolve("long.txt");
        Files.writeString(file, "a much longer previous content");
        Outcome<Void> o = outcomeOf(() -> AsyncFiles.writeString(file, "short"));
        assertThat(o.error).isNull();
        assertThat(Files.readString(file)).isEqualTo("short");
    }

    @Test
    void writeString_encodesTheTextAtTheCall_soABuilderChangedAfterwardsDoesNotMatter() throws IOException {
        Path file = dir.resolve("builder.txt");
        run(() -> {
            StringBuilder text = new StringBuilder("before");
            AsyncFiles.writeString(file, text);
            text.setLength(0);
            text.append("after, and longer");
        });
        assertThat(Files.readString(file)).isEqualTo("before");
    }

    @Test
    void writeBytes_ofNothing_createsAnEmptyFile() throws IOException {
        Path file = dir.resolve("nothing");
        assertThat(outcomeOf(() -> AsyncFiles.writeBytes(file, new byte[0])).error).isNull();
        assertThat(file).exists().isEmptyFile();
    }

    @Test
    void appendString_twice_addsBothInOrder_creatingTheFile() throws IOException {
        Path file = dir.resolve("log.txt");
        Outcome<Void> o = outcomeOf(() -> AsyncFiles.appendString(file, "one €\n")
                .thenCompose(done -> AsyncFiles.appendBytes(file, "two\n".getBytes(StandardCharsets.UTF_8))));
        assertThat(o.error).isNull();
        assertThat(Files.readString(file)).isEqualTo("one €\ntwo\n");
    }

    @Test
    void appendString_manyAtOnceWithoutWaiting_overwritesNothing() throws IOException {
        Path file = dir.resolve("concurrent.txt");
        int appends = 200;
        run(() -> {
            for (int i = 0; i < appends; i++) {
                AsyncFiles.appendString(file, String.format("entry %03d%n", i));
            }
        });
        List<String> entries = Files.readAllLines(file);
        assertThat(entries).hasSize(appends); // O_APPEND: no append lands on another's bytes
        assertThat(entries).allMatch(line -> line.matches("entry \\d{3}"));
        assertThat(new java.util.HashSet<>(entries)).hasSize(appends);
    }

    // ---------------------------------------------------------------- failures name the path

    @Test
    void readString_ofAMissingFile_rejectsNamingThePath() {
        Path missing = dir.resolve("missing.txt");
        Outcome<String> o = outcomeOf(() -> AsyncFiles.readString(missing));
        assertThat(o.error).isInstanceOf(FileOperationException.class)
                .hasMessage("readString " + missing + " failed: no such file or directory (NoSuchFileException)")
                .hasCauseInstanceOf(NoSuchFileException.class);
        FileOperationException e = (FileOperationException) o.error;
        assertThat(e.operation()).isEqualTo("readString");
        assertThat(e.path()).isEqualTo(missing);
    }

    @Test
    void readBytes_ofADirectory_rejectsNamingThePath() {
        Outcome<byte[]> o = outcomeOf(() -> AsyncFiles.readBytes(dir));
        assertThat(o.error).isInstanceOf(FileOperationException.class)
                .hasMessageStartingWith("readBytes " + dir + " failed: ")
                .hasCauseInstanceOf(IOException.class);
    }

    @Test
    void writeString_intoAMissingDirectory_rejectsNamingThePath_andCreatesNothing() {
        Path file = dir.resolve("no/such/dir/file.txt");
        Outcome<Void> o = outcomeOf(() -> AsyncFiles.writeString(file, "text"));
        assertThat(o.error).isInstanceOf(FileOperationException.class)
                .hasMessageContaining("writeString " + file + " failed")
                .hasCauseInstanceOf(NoSuchFileException.class);
        assertThat(dir.resolve("no")).doesNotExist();
    }

    @Test
    void writeString_ontoADirectory_rejectsNamingThePath() {
        Outcome<Void> o = outcomeOf(() -> AsyncFiles.writeString(dir, "text"));
        assertThat(o.error).isInstanceOf(FileOperationException.class)
                .hasMessageStartingWith("writeString " + dir + " failed: ");
    }

    @Test
    void appendString_toAReadOnlyFile_rejectsWithAccessDenied() throws IOException {
        Path file = Files.writeString(dir.resolve("readonly.txt"), "keep");
        assumeThat(file.toFile().setWritable(false)).isTrue();
        assumeThat(Files.isWritable(file)).as("not running as root").isFalse();
        Outcome<Void> o = outcomeOf(() -> AsyncFiles.appendString(file, "more"));
        assertThat(o.error).isInstanceOf(FileOperationException.class)
                .hasMessage("appendString " + file + " failed: permission denied (AccessDeniedException)")
                .hasCauseInstanceOf(AccessDeniedException.class);
    }

    @Test
    void readBytes_ofAFileLargerThanAnArrayHolds_rejectsBeforeReading() throws IOException {
        Path huge = dir.resolve("huge.bin");
        try (RandomAccessFile f = new RandomAccessFile(huge.toFile(), "rw")) {
            f.setLength(3L * 1024 * 1024 * 1024); // sparse: no disk space used
        }
        Outcome<byte[]> o = outcomeOf(() -> AsyncFiles.readBytes(huge));
        assertThat(o.error).isInstanceOf(FileOperationException.class)
                .hasMessageContaining("readBytes " + huge + " failed: file too large to read at once: 3221225472 bytes")
                .hasCauseInstanceOf(IOException.class);
    }

    // ---------------------------------------------------------------- cancellation

    @Test
    void readBytes_cancelledInFlight_rejectsWithCancellation_closesTheFile_andTheLoopEnds() throws IOException {
        Path file = dir.resolve("big.bin");
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(64L * 1024 * 1024);
        }
        Outcome<byte[]> o = outcomeOf(() -> {
            Promise<byte[]> read = AsyncFiles.readBytes(file);
            read.cancel();
            return read;
        });
        assertThat(o.error).isInstanceOf(CancellationException.class);
        assertThat(OpenDescriptors.on(file)).isZero();
    }

    /**
     * Wherever a cancel lands (before the open, during it, between reads or writes, after the
     * end), the file is closed once the loop ends and the promise is either cancelled or done.
     */
    @Test
    void readWriteAndAppend_cancelledAtAnyPoint_closeTheFile_andTheLoopEnds() throws IOException {
        byte[] data = new byte[8 * 1024 * 1024];
        Path source = Files.write(dir.resolve("source.bin"), data);
        Path target = dir.resolve("target.bin");
        Path log = dir.resolve("append.bin");
        List<Supplier<Promise<?>>> operations = List.of(
                () -> AsyncFiles.readBytes(source),
                () -> AsyncFiles.writeBytes(target, data),
                () -> AsyncFiles.appendBytes(log, data));
        for (Supplier<Promise<?>> operation : operations) {
            for (int delayMillis = -1; delayMillis <= 6; delayMillis++) {
                int delay = delayMillis;
                AtomicReference<Outcome<?>> outcome = new AtomicReference<>();
                run(() -> {
                    Promise<?> p = operation.get();
                    outcome.set(record(p));
                    if (delay < 0) {
                        p.cancel();
                    } else {
                        EventLoop.current().setTimeout(p::cancel, delay);
                    }
                });
                Outcome<?> o = outcome.get();
                assertThat(o.settled).isTrue();
                if (o.error != null) {
                    assertThat(o.error).isInstanceOf(CancellationException.class);
                }
                for (Path file : List.of(source, target, log)) {
                    if (Files.exists(file)) {
                        assertThat(OpenDescriptors.on(file)).as("%s, cancelled after %d ms", file, delay).isZero();
                    }
                }
            }
        }
    }

    // ---------------------------------------------------------------- lines

    /**
     * Backpressure: the callback empties the file while it handles the first line. Had the next
     * chunk been read already, its lines would still arrive; they do not: the stream ends with the
     * lines of the first chunk (the last of them cut where the chunk ended).
     */
    @Test
    void lines_readsTheNextChunkOnlyAfterTheCallbackHandledThisOne() throws IOException {
        Path file = numberedLines(dir.resolve("lines.txt"), 10_000);
        String firstChunk = new String(Files.readAllBytes(file), 0, 64 * 1024, StandardCharsets.UTF_8);
        List<String> expected = List.of(firstChunk.split("\n", -1));
        List<String> lines = new ArrayList<>();
        Outcome<Long> o = outcomeOf(() -> AsyncFiles.lines(file, line -> {
            if (lines.isEmpty()) {
                try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
                    f.setLength(0);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
            lines.add(line);
        }));
        assertThat(o.error).isNull();
        assertThat(firstChunk).doesNotEndWith("\n");
        assertThat(lines).isEqualTo(expected);
    }

    @Test
    void lines_splitsAtLfCrLfAndLoneCr_andKeepsALastLineWithoutTerminator() throws IOException {
        Path file = dir.resolve("mixed.txt");
        Files.writeString(file, "a\nb\r\nc\rd\n\n€𝄞\r\n\r\nlast");
        List<String> lines = new ArrayList<>();
        Outcome<Long> o = outcomeOf(() -> AsyncFiles.lines(file, lines::add));
        assertThat(lines).containsExactly("a", "b", "c", "d", "", "€𝄞", "", "last");
        assertThat(o.value).isEqualTo(8L);
    }

    @Test
    void lines_ofAnEmptyFile_deliversNothing_andOfATerminatedFileNoExtraEmptyLine() throws IOException {
        Path empty = Files.createFile(dir.resolve("empty"));
        Path terminated = Files.writeString(dir.resolve("terminated"), "only\n");
        List<String> lines = new ArrayList<>();
        assertThat(outcomeOf(() -> AsyncFiles.lines(empty, lines::add)).value).isZero();
        assertThat(outcomeOf(() -> AsyncFiles.lines(terminated, lines::add)).value).isOne();
        assertThat(lines).containsExactly("only");
    }

    @Test
    void lines_joinACrLfAndAMultiByteCharacterSplitBetweenTwoReads() throws IOException {
        int chunk = 64 * 1024;
        // Read 1 ends with "\r", read 2 starts with "\n"; a 4-byte character straddles reads 2 and 3.
        String first = "a".repeat(chunk - 1) + "\r\n";
        String second = "b".repeat(chunk - 1 - 2 - 1) + "\n" + "x𝄞y\n";
        Path file = Files.writeString(dir.resolve("boundaries.txt"), first + second + "tail");
        assertThat(Files.readAllBytes(file)[chunk - 1]).isEqualTo((byte) '\r');
        assertThat(Files.readAllBytes(file)[2 * chunk - 1]).isEqualTo((byte) 0xF0); // the first of 𝄞's 4 bytes
        List<String> lines = new ArrayList<>();
        outcomeOf(() -> AsyncFiles.lines(file, lines::add));
        assertThat(lines).containsExactly("a".repeat(chunk - 1), "b".repeat(chunk - 4), "x𝄞y", "tail");
    }

    @Test
    void lines_ofA50MegabyteFile_deliversEveryLineInOrder() throws IOException {
        int count = 1_200_000;
        Path file = numberedLines(dir.resolve("big.txt"), count);
        assertThat(Files.size(file)).isGreaterThan(40L * 1024 * 1024);
        AtomicLong expected = new AtomicLong();
        List<String> wrong = new ArrayList<>();
        Outcome<Long> o = outcomeOf(() -> AsyncFiles.lines(file, line -> {
            long i = expected.getAndIncrement();
            if (!line.startsWith(numbered(i)) || line.length() != 13 + (int) (i % 61)) {
                wrong.add(line);
            }
        }));
        assertThat(o.error).isNull();
        assertThat(wrong).isEmpty();
        assertThat(o.value).isEqualTo(count);
        assertThat(expected.get()).isEqualTo(count);
    }

    @Test
    void lines_whenTheCallbackThrows_stopsTheStream_andRejectsWithThatException() throws IOException {
        Path file = numberedLines(dir.resolve("lines.txt"), 100_000);
        RuntimeException boom = new IllegalStateException("boom");
        AtomicLong seen = new AtomicLong();
        Outcome<Long> o = outcomeOf(() -> AsyncFiles.lines(file, line -> {
            if (seen.incrementAndGet() == 5) {
                throw boom;
            }
        }));
        assertThat(o.error).isSameAs(boom);
        assertThat(seen.get()).isEqualTo(5);
        assertThat(OpenDescriptors.on(file)).isZero();
    }

    @Test
    void lines_cancelledMidStream_stopsBeforeTheNextLine_closesTheFile_andTheLoopEnds() throws IOException {
        Path file = numberedLines(dir.resolve("lines.txt"), 500_000);
        AtomicReference<Promise<Long>> stream = new AtomicReference<>();
        AtomicLong seen = new AtomicLong();
        AtomicReference<Outcome<Long>> outcome = new AtomicReference<>();
        run(() -> {
            stream.set(AsyncFiles.lines(file, line -> {
                if (seen.incrementAndGet() == 3000) { // beyond the first chunk
                    stream.get().cancel();
                }
            }));
            outcome.set(record(stream.get()));
        });
        assertThat(outcome.get().error).isInstanceOf(CancellationException.class);
        assertThat(seen.get()).isEqualTo(3000);
        assertThat(OpenDescriptors.on(file)).isZero();
    }

    @Test
    void lines_abortedMidStream_rejectsWithTheReason_andClosesTheFile() throws IOException {
        Path file = numberedLines(dir.resolve("lines.txt"), 100_000);
        RuntimeException reason = new RuntimeException("enough");
        AtomicLong seen = new AtomicLong();
        AtomicReference<Outcome<Long>> outcome = new AtomicReference<>();
        run(() -> {
            AbortController controller = new AbortController();
            outcome.set(record(AsyncFiles.lines(file, line -> {
                if (seen.incrementAndGet() == 10) {
                    controller.abort(reason);
                }
            }).withSignal(controller.signal())));
        });
        assertThat(outcome.get().error).isSameAs(reason);
        assertThat(seen.get()).isEqualTo(10);
        assertThat(OpenDescriptors.on(file)).isZero();
    }

    @Test
    void lines_abortedFromAnotherThread_rejectsWithTheReason_andTheLoopEnds() throws IOException {
        Path file = numberedLines(dir.resolve("lines.txt"), 100_000);
        RuntimeException reason = new RuntimeException("from outside");
        AtomicReference<Outcome<Long>> outcome = new AtomicReference<>();
        run(() -> {
            AbortController controller = new AbortController();
            AtomicLong seen = new AtomicLong();
            outcome.set(record(AsyncFiles.lines(file, line -> {
                if (seen.incrementAndGet() == 1) {
                    Thread.ofPlatform().start(() -> controller.abort(reason));
                }
            }).withSignal(controller.signal())));
        });
        assertThat(outcome.get().error).isSameAs(reason);
        assertThat(OpenDescriptors.on(file)).isZero();
    }

    @Test
    void lines_withAnAlreadyAbortedSignal_rejectsWithTheReason_andDeliversNoLine() {
        RuntimeException reason = new RuntimeException("before");
        List<String> lines = new ArrayList<>();
        Path missing = dir.resolve("never-opened");
        Outcome<Long> o = outcomeOf(() -> AsyncFiles.lines(missing, lines::add).withSignal(AbortSignal.abort(reason)));
        assertThat(o.error).isSameAs(reason); // not a NoSuchFileException: the signal wins at once
        assertThat(lines).isEmpty();
    }

    @Test
    void lines_ofAMissingFile_rejectsNamingThePath() {
        Path missing = dir.resolve("missing.log");
        Outcome<Long> o = outcomeOf(() -> AsyncFiles.lines(missing, line -> {}));
        assertThat(o.error).isInstanceOf(FileOperationException.class)
                .hasMessage("lines " + missing + " failed: no such file or directory (NoSuchFileException)");
    }

    // ---------------------------------------------------------------- callbacks and threads

    @Test
    void everyCallback_runsOnTheLoopThread() throws IOException {
        Path file = Files.writeString(dir.resolve("t.txt"), "1\n2\n");
        AtomicReference<Thread> loopThread = new AtomicReference<>();
        List<Thread> callbackThreads = Collections.synchronizedList(new ArrayList<>());
        run(() -> {
            loopThread.set(Thread.currentThread());
            AsyncFiles.lines(file, line -> callbackThreads.add(Thread.currentThread()))
                    .thenAccept(n -> callbackThreads.add(Thread.currentThread()));
            AsyncFiles.readString(file).thenAccept(text -> callbackThreads.add(Thread.currentThread()));
            AsyncFiles.readBytes(file).asCallback((error, bytes) -> callbackThreads.add(Thread.currentThread()));
            AsyncFiles.appendString(dir.resolve("other.txt"), "x")
                    .thenAccept(done -> callbackThreads.add(Thread.currentThread()));
            AsyncFiles.writeBytes(dir.resolve("missing/x"), new byte[1])
                    .asCallback((error, nothing) -> callbackThreads.add(Thread.currentThread()));
        });
        assertThat(callbackThreads).hasSize(7).containsOnly(loopThread.get());
    }

    @Test
    void thenAccept_receivesTheValue_andItsPromiseFulfilsAfterTheCallback() throws IOException {
        Path file = Files.writeString(dir.resolve("c.txt"), "content");
        List<String> log = new ArrayList<>();
        run(() -> AsyncFiles.readString(file).thenAccept(text -> log.add("got " + text))
                .thenAccept(nothing -> log.add("after")));
        assertThat(log).containsExactly("got content", "after");
    }

    /** A screen with one {@code show}, for method references. */
    private static final class Screen {
        final List<String> shown = new ArrayList<>();

        void show(String text) {
            shown.add(text);
        }
    }

    @Test
    void thenAccept_byMethodReference_compiles_andReceivesTheValue() throws IOException {
        Path file = Files.writeString(dir.resolve("r.txt"), "by reference");
        Screen screen = new Screen();
        run(() -> AsyncFiles.readString(file).thenAccept(screen::show));
        assertThat(screen.shown).containsExactly("by reference");
    }

    /**
     * {@code list::add} names a method overloaded with one and two parameters; with one form per
     * operation no overload of the operation can make such a reference ambiguous.
     */
    @Test
    void aReferenceToAnArityOverloadedMethod_compilesWithEveryOperationThatTakesACallback() throws IOException {
        Path file = Files.writeString(dir.resolve("l.txt"), "a\nb\n");
        List<String> texts = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        List<String> latin1Lines = new ArrayList<>();
        List<Long> counts = new ArrayList<>();
        run(() -> {
            AsyncFiles.readString(file).thenAccept(texts::add);
            AsyncFiles.readString(file, StandardCharsets.UTF_8).thenAccept(texts::add);
            AsyncFiles.lines(file, lines::add).thenAccept(counts::add);
            AsyncFiles.lines(file, StandardCharsets.ISO_8859_1, latin1Lines::add).thenAccept(counts::add);
        });
        assertThat(texts).containsExactly("a\nb\n", "a\nb\n");
        assertThat(lines).containsExactly("a", "b");
        assertThat(latin1Lines).containsExactly("a", "b");
        assertThat(counts).containsExactly(2L, 2L);
    }

    @Test
    void asCallback_receivesNullAndTheValue_orTheErrorAndNull() throws IOException {
        Path file = Files.writeString(dir.resolve("n.txt"), "node");
        Path missing = dir.resolve("missing");
        List<String> log = new ArrayList<>();
        run(() -> {
            AsyncFiles.readString(file).asCallback((error, text) -> log.add("ok: " + error + ", " + text));
            AsyncFiles.readString(missing)
                    .asCallback((error, text) -> log.add("fail: " + error.getClass().getSimpleName() + ", " + text));
            AsyncFiles.writeString(dir.resolve("w.txt"), "x")
                    .asCallback((error, nothing) -> log.add("write: " + error + ", " + nothing));
        });
        assertThat(log).containsExactlyInAnyOrder("ok: null, node", "fail: FileOperationException, null", "write: null, null");
    }

    @Test
    void thenAccept_aFailureNobodyHandles_isReportedAsAnUnhandledRejection() {
        Path missing = dir.resolve("missing.txt");
        assertThatThrownBy(() -> assertTimeoutPreemptively(HANG_GUARD, () -> EventLoop.builder()
                .unhandledRejections(UnhandledRejectionPolicy.THROW)
                .run(() -> AsyncFiles.readString(missing).thenAccept(text -> {}))))
                .isInstanceOf(UnhandledRejectionException.class)
                .cause().isInstanceOf(FileOperationException.class).hasMessageContaining(missing.toString());
    }

    @Test
    void thenAccept_aCallbackThatThrows_isReportedAsAnUnhandledRejection() throws IOException {
        Path file = Files.writeString(dir.resolve("x.txt"), "x");
        RuntimeException boom = new RuntimeException("callback failed");
        assertThatThrownBy(() -> assertTimeoutPreemptively(HANG_GUARD, () -> EventLoop.builder()
                .unhandledRejections(UnhandledRejectionPolicy.THROW)
                .run(() -> AsyncFiles.readString(file).thenAccept(text -> {
                    throw boom;
                }))))
                .isInstanceOf(UnhandledRejectionException.class)
                .cause().isSameAs(boom);
    }

    // ---------------------------------------------------------------- misuse

    @Test
    void anOperation_offALoopThread_failsAtTheCallWithTheLoopsMessage() {
        assertThatThrownBy(() -> AsyncFiles.readString(dir.resolve("x")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("EventLoop.current");
    }

    @Test
    void nullArguments_failAtTheCallNamingTheParameter() {
        Path p = dir.resolve("x");
        assertThatThrownBy(() -> AsyncFiles.readString(null)).hasMessage("path");
        assertThatThrownBy(() -> AsyncFiles.readString(p, (java.nio.charset.Charset) null)).hasMessage("charset");
        assertThatThrownBy(() -> AsyncFiles.readBytes(null)).hasMessage("path");
        assertThatThrownBy(() -> AsyncFiles.writeString(p, null)).hasMessage("text");
        assertThatThrownBy(() -> AsyncFiles.writeBytes(p, null)).hasMessage("bytes");
        assertThatThrownBy(() -> AsyncFiles.appendBytes(null, new byte[0])).hasMessage("path");
        assertThatThrownBy(() -> AsyncFiles.lines(p, null)).hasMessage("onLine");
        assertThatThrownBy(() -> AsyncFiles.lines(p, (java.nio.charset.Charset) null, line -> {})).hasMessage("charset");
    }
}
