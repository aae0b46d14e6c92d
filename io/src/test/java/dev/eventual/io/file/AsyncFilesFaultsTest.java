package dev.eventual.io.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.eventual.AbortController;
import dev.eventual.EventLoop;
import dev.eventual.Promise;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * AsyncFiles under faults: a loop that closes with an operation in flight releases its file;
 * pipes and FIFOs are read and written sequentially; an out-of-memory failure names the
 * operation and the path; an open that blocks on a FIFO without a peer does not keep the loop
 * alive after an abort, nor leak its thread; many reads at once stay within the descriptor
 * budget. Linux only (descriptors are counted in {@code /proc/self/fd}, FIFOs made with
 * {@code mkfifo}); the cases that need a pipe as standard input, a small heap or a low descriptor
 * limit run {@link FileFaultChild} in a child JVM.
 */
class AsyncFilesFaultsTest {
    /** A hang guard only; no test depends on timing. */
    private static final Duration HANG_GUARD = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    // ---------------------------------------------------------------- helpers

    private static void assumeLinux() {
        OpenDescriptors.assumeCountable();
    }

    private Path fifo(String name) throws Exception {
        assumeLinux();
        Path fifo = dir.resolve(name);
        Process p = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assertThat(p.waitFor()).as("mkfifo %s", fifo).isZero();
        return fifo;
    }

    private static Path sparse(Path file, long size) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(size);
        }
        return file;
    }

    /** Runs {@code sh -c script} with its output collected; the caller waits for it. */
    private static Process sh(String script) throws IOException {
        return new ProcessBuilder("sh", "-c", script).redirectErrorStream(true).start();
    }

    /** The command that runs {@link FileFaultChild} with {@code args} in a JVM like this one. */
    private static List<String> javaCommand(String... args) {
        return javaCommand(List.of(), args);
    }

    /** {@link #javaCommand(String...)} with {@code jvmOptions}. */
    private static List<String> javaCommand(List<String> jvmOptions, String... args) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(childClassPath());
        command.add(FileFaultChild.class.getName());
        command.addAll(List.of(args));
        return command;
    }

    /**
     * The test's module path, class path and test classes as one class path: the child runs
     * them unnamed, which needs no module options.
     */
    private static String childClassPath() {
        List<String> entries = new ArrayList<>();
        for (String property : List.of("jdk.module.path", "java.class.path")) {
            String value = System.getProperty(property);
            if (value != null && !value.isEmpty()) {
                entries.add(value);
            }
        }
        try {
            entries.add(Path.of(FileFaultChild.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        return String.join(File.pathSeparator, entries);
    }

    private static String output(Process p) throws Exception {
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("child ended: %s", out).isTrue();
        return out;
    }

    private static String field(String output, String key) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(key) + ": (.*)$").matcher(output);
        assertThat(m.find()).as("%s in the child's output:%n%s", key, output).isTrue();
        return m.group(1);
    }

    // ---------------------------------------------------------------- loop close

    /**
     * Starts {@code operation} on a loop of its own, waits until it has {@code file} open, then
     * closes the loop from this thread: by the time {@code close()} returns, the file must be
     * closed. Tries a few times to catch the operation in flight; fails if it never did.
     */
    private static void closeTheLoopInFlight(Path file, Function<Path, Promise<?>> operation) throws Exception {
        assumeLinux();
        int caught = 0;
        for (int attempt = 0; attempt < 5 && caught < 2; attempt++) {
            EventLoop loop = EventLoop.start("close-in-flight");
            loop.execute(() -> operation.apply(file));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (OpenDescriptors.on(file) == 0 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            boolean inFlight = OpenDescriptors.on(file) > 0;
            loop.close();
            if (inFlight) {
                caught++;
                assertThat(OpenDescriptors.on(file)).as("descriptors on %s after close() returned", file).isZero();
            }
        }
        assertThat(caught).as("times the operation was caught in flight").isGreaterThan(0);
    }

    @Test
    void loopClose_duringReadString_closesTheFile() throws Exception {
        closeTheLoopInFlight(sparse(dir.resolve("big.txt"), 512L * 1024 * 1024), AsyncFiles::readString);
    }

    @Test
    void loopClose_duringReadBytes_closesTheFile() throws Exception {
        closeTheLoopInFlight(sparse(dir.resolve("big.bin"), 512L * 1024 * 1024), AsyncFiles::readBytes);
    }

    @Test
    void loopClose_duringWriteBytes_closesTheFile() throws Exception {
        byte[] data = new byte[256 * 1024 * 1024];
        Path file = Files.createFile(dir.resolve("out.bin"));
        closeTheLoopInFlight(file, f -> AsyncFiles.writeBytes(f, data));
    }

    @Test
    void loopClose_duringAppendBytes_closesTheFile() throws Exception {
        byte[] data = new byte[256 * 1024 * 1024];
        Path file = Files.createFile(dir.resolve("log.bin"));
        closeTheLoopInFlight(file, f -> AsyncFiles.appendBytes(f, data));
    }

    /** 20 loops closed while they stream lines: none may leave the file open. */
    @Test
    void loopClose_duringLines_closesTheFile_everyTime() throws Exception {
        assumeLinux();
        Path file = dir.resolve("lines.txt");
        byte[] line = "a line of text, long enough to fill a few chunks of the stream\n".getBytes(StandardCharsets.UTF_8);
        try (var out = Files.newOutputStream(file)) {
            for (int i = 0; i < 200_000; i++) {
                out.write(line);
            }
        }
        int leaked = 0;
        for (int i = 0; i < 20; i++) {
            CountDownLatch streaming = new CountDownLatch(1);
            EventLoop loop = EventLoop.start("lines-close");
            loop.execute(() -> AsyncFiles.lines(file, l -> streaming.countDown()));
            assertThat(streaming.await(20, TimeUnit.SECONDS)).as("the first line arrived").isTrue();
            Thread.sleep(i % 5); // land the close anywhere in the stream's cycle
            loop.close();
            if (OpenDescriptors.on(file) > 0) {
                leaked++;
            }
        }
        assertThat(leaked).as("loops of 20 whose close left the file open").isZero();
    }

    /** A pipe read blocked for want of data: the close must interrupt it, not wait for the writer. */
    @Test
    void loopClose_duringABlockedFifoRead_closesTheFile() throws Exception {
        Path fifo = fifo("blocked.fifo");
        Process writer = sh("exec 3>'" + fifo + "'; printf 'some' >&3; sleep 60");
        try {
            closeTheLoopInFlight(fifo, AsyncFiles::readString);
        } finally {
            writer.destroy();
        }
    }

    // ---------------------------------------------------------------- pipes and FIFOs

    @Test
    void readString_ofStdinFedByAPipe_readsEverything() throws Exception {
        assumeLinux();
        Process child = new ProcessBuilder(javaCommand("stdin")).redirectErrorStream(true).start();
        try (var in = child.getOutputStream()) {
            in.write("x\ny é\n".getBytes(StandardCharsets.UTF_8));
        }
        String out = output(child);
        assertThat(field(out, "text")).isEqualTo("x\\ny é\\n");
    }

    @Test
    void lines_ofAFifo_readsEveryLine() throws Exception {
        Path fifo = fifo("lines.fifo");
        Process writer = sh("i=0; while [ $i -lt 20000 ]; do echo \"line $i\"; i=$((i+1)); done > '" + fifo + "'");
        List<String> lines = new ArrayList<>();
        AtomicReference<Object> outcome = new AtomicReference<>();
        assertTimeoutPreemptively(HANG_GUARD, () -> EventLoop.run(() ->
                AsyncFiles.lines(fifo, lines::add).asCallback((error, count) -> outcome.set(error != null ? error : count))));
        output(writer);
        assertThat(outcome.get()).isEqualTo(20_000L);
        assertThat(lines).hasSize(20_000).startsWith("line 0", "line 1").endsWith("line 19999");
    }

    @Test
    void readBytes_andReadString_ofAFifo_readEverything_acrossManyChunks() throws Exception {
        Path fifo = fifo("bytes.fifo");
        String text = "ab€\n".repeat(600_000); // 3.6 MB: several chunks, characters split between them
        for (boolean asText : new boolean[] {false, true}) {
            Files.writeString(dir.resolve("source.txt"), text);
            Process writer = sh("cat '" + dir.resolve("source.txt") + "' > '" + fifo + "'");
            AtomicReference<Object> outcome = new AtomicReference<>();
            assertTimeoutPreemptively(HANG_GUARD, () -> EventLoop.run(() -> {
                Promise<?> read = asText ? AsyncFiles.readString(fifo) : AsyncFiles.readBytes(fifo);
                read.asCallback((error, value) -> outcome.set(error != null ? error : value));
            }));
            output(writer);
            Object expected = asText ? text : text.getBytes(StandardCharsets.UTF_8);
            assertThat(outcome.get()).as(asText ? "readString" : "readBytes").isEqualTo(expected);
        }
    }

    @Test
    void writeString_andAppendString_toAFifo_deliverEverything() throws Exception {
        Path fifo = fifo("write.fifo");
        String text = "zz€\n".repeat(400_000); // 2.4 MB: several chunks, more than a pipe holds
        Path received = dir.resolve("received.txt");
        for (boolean append : new boolean[] {false, true}) {
            Process reader = sh("cat '" + fifo + "' > '" + received + "'");
            AtomicReference<Throwable> failure = new AtomicReference<>();
            assertTimeoutPreemptively(HANG_GUARD, () -> EventLoop.run(() ->
                    (append ? AsyncFiles.appendString(fifo, text) : AsyncFiles.writeString(fifo, text))
                            .asCallback((error, done) -> failure.set(error))));
            output(reader);
            assertThat(failure.get()).as(append ? "appendString" : "writeString").isNull();
            assertThat(Files.readString(received)).isEqualTo(text);
        }
    }

    // ---------------------------------------------------------------- out of memory

    private void assertOutOfMemoryNamed(String operation, Path file) throws Exception {
        Process child = new ProcessBuilder(javaCommand(List.of("-Xmx64m"), "oom", operation, file.toString()))
                .redirectErrorStream(true).start();
        String out = output(child);
        assertThat(field(out, "class")).as(out).isEqualTo(OutOfMemoryError.class.getName());
        assertThat(field(out, "message")).as(out).contains(operation + " " + file).contains("out of memory");
        assertThat(field(out, "cause")).as(out).isEqualTo(OutOfMemoryError.class.getName());
    }

    @Test
    void outOfMemory_inReadString_readBytes_andLines_namesTheOperationAndThePath() throws Exception {
        assumeLinux();
        Path file = sparse(dir.resolve("one-huge-line.bin"), 256L * 1024 * 1024); // zeros: one line
        assertOutOfMemoryNamed("readBytes", file);
        assertOutOfMemoryNamed("readString", file);
        assertOutOfMemoryNamed("lines", file);
    }

    // ---------------------------------------------------------------- a FIFO without a peer

    /**
     * Threads of Eventual's file and pipe executors blocked in a native open now, from a thread
     * dump that lists virtual threads too ({@code jcmd Thread.dump_to_file}).
     */
    private long threadsBlockedOpening() throws Exception {
        Path dump = dir.resolve("threads-" + System.nanoTime() + ".txt");
        Path java = Path.of(ProcessHandle.current().info().command().orElseThrow());
        Process jcmd = new ProcessBuilder(java.resolveSibling("jcmd").toString(),
                Long.toString(ProcessHandle.current().pid()), "Thread.dump_to_file", "-format=text", dump.toString())
                .redirectErrorStream(true).start();
        String out = output(jcmd);
        assertThat(Files.exists(dump)).as("jcmd wrote a thread dump: %s", out).isTrue();
        String text = Files.readString(dump);
        Files.delete(dump);
        long blocked = 0;
        for (String thread : text.split("\\R\\R")) { // one block per thread: header, then its stack
            if ((thread.contains("\"eventual-file-") || thread.contains("\"eventual-pipe-"))
                    && thread.contains("UnixNativeDispatcher.open")) {
                blocked++;
            }
        }
        return blocked;
    }

    @Test
    void openOfAFifoWithoutPeer_abortedOrTimedOut_letsTheLoopEnd_andLeaksNoThread() throws Exception {
        Path fifo = fifo("nobody.fifo");
        // The probe: a thread blocked opening the FIFO is seen, then released as Eventual does.
        Thread probe = Thread.ofPlatform().name("eventual-pipe-probe").start(() -> {
            try {
                java.nio.channels.FileChannel.open(fifo, java.nio.file.StandardOpenOption.READ).close();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        long deadlineProbe = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (threadsBlockedOpening() == 0 && System.nanoTime() < deadlineProbe) {
            Thread.sleep(10);
        }
        assertThat(threadsBlockedOpening()).as("the probe, blocked opening the FIFO").isEqualTo(1);
        java.nio.channels.FileChannel.open(fifo, java.nio.file.StandardOpenOption.READ,
                java.nio.file.StandardOpenOption.WRITE).close();
        probe.join(TimeUnit.SECONDS.toMillis(20));
        assertThat(probe.isAlive()).as("the probe released").isFalse();

        for (int attempt = 0; attempt < 5; attempt++) {
            int mode = attempt % 3;
            List<Throwable> failures = new ArrayList<>();
            assertTimeoutPreemptively(Duration.ofSeconds(20), () -> EventLoop.run(() -> {
                Promise<?> p = switch (mode) {
                    case 0 -> AsyncFiles.readString(fifo).timeout(Duration.ofMillis(50));
                    case 1 -> {
                        AbortController c = new AbortController();
                        EventLoop.current().setTimeout(c::abort, 50);
                        yield AsyncFiles.lines(fifo, l -> { }).withSignal(c.signal());
                    }
                    default -> {
                        Promise<Void> w = AsyncFiles.writeString(fifo, "nobody reads this");
                        EventLoop.current().setTimeout(w::cancel, 50);
                        yield w;
                    }
                };
                p.asCallback((error, value) -> failures.add(error));
            }), "the loop ended after the abort (attempt " + attempt + ")");
            assertThat(failures).hasSize(1).doesNotContainNull();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (threadsBlockedOpening() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(threadsBlockedOpening()).as("threads left blocked opening the FIFO").isZero();
        assertThat(OpenDescriptors.on(fifo)).isZero();
    }

    // ---------------------------------------------------------------- descriptor budget

    /**
     * Many reads started at once under a low descriptor limit all succeed: 3,000 under
     * {@code ulimit -n 256}, the ratio of 10,000 under a common default of 1,024.
     */
    @Test
    void manyConcurrentReads_underALowDescriptorLimit_allSucceed() throws Exception {
        assumeLinux();
        Path files = Files.createDirectory(dir.resolve("many"));
        FileFaultChild.writeMany(files, 3000);
        List<String> command = new ArrayList<>(List.of("sh", "-c", "ulimit -n 256 && exec \"$@\"", "sh"));
        command.addAll(javaCommand("many", files.toString(), "3000"));
        String out = output(new ProcessBuilder(command).redirectErrorStream(true).start());
        assertThat(field(out, "ok")).as(out).isEqualTo("3000");
    }

    /**
     * Reads beyond the limit wait in line; half of them are cancelled at once (a read that won
     * the race and was already done stays done): every cancelled one rejects, every other reads
     * its file, and the loop ends.
     */
    @Test
    void readsWaitingForADescriptor_cancelled_rejectAndLetTheLoopEnd() throws Exception {
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            files.add(Files.writeString(dir.resolve("c" + i), "c" + i));
        }
        AtomicInteger cancelCalls = new AtomicInteger();
        AtomicInteger cancelled = new AtomicInteger();
        AtomicInteger read = new AtomicInteger();
        List<String> other = new ArrayList<>();
        assertTimeoutPreemptively(HANG_GUARD, () -> EventLoop.run(() -> {
            for (int i = 0; i < files.size(); i++) {
                int n = i;
                Promise<String> p = AsyncFiles.readString(files.get(i));
                p.asCallback((error, text) -> {
                    if (error instanceof CancellationException) {
                        cancelled.incrementAndGet();
                    } else if (("c" + n).equals(text)) {
                        read.incrementAndGet();
                    } else {
                        other.add(n + ": " + (error != null ? error : text));
                    }
                });
                if (i % 2 == 1 && p.cancel()) {
                    cancelCalls.incrementAndGet();
                }
            }
        }));
        assertThat(other).isEmpty();
        assertThat(cancelCalls.get()).as("cancels that won (most reach a read still in line)").isPositive();
        assertThat(cancelled.get()).isEqualTo(cancelCalls.get());
        assertThat(read.get()).isEqualTo(1000 - cancelCalls.get());
    }
}
