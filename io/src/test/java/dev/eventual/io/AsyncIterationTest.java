package dev.eventual.io;

import static dev.eventual.Async.async;
import static dev.eventual.Async.iterate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.eventual.AsyncIteration;
import dev.eventual.EventLoop;
import dev.eventual.Promise;
import dev.eventual.UnhandledRejectionPolicy;
import dev.eventual.io.fetch.Fetch;
import dev.eventual.io.fetch.Response;
import dev.eventual.io.fetch.TestServer;
import dev.eventual.io.file.AsyncFiles;
import dev.eventual.io.file.FileOperationException;
import dev.eventual.io.process.Command;
import dev.eventual.io.process.Processes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plain for loop over a file's lines and a response body's chunks in an async body: every item
 * in order on the loop, and the source released when the loop is left early (break, an
 * exception, a cancelled body), as JavaScript's for await calls return().
 */
class AsyncIterationTest {
    @TempDir
    Path dir;
    private TestServer server;
    /** Counted down by the endless body's handler once the client closed the connection. */
    private final CountDownLatch clientClosed = new CountDownLatch(1);
    private final List<String> log = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void startServer() {
        server = new TestServer()
                .route("/big", ex -> {
                    ex.getResponseHeaders().set("Content-Type", "application/octet-stream");
                    ex.sendResponseHeaders(200, BIG);
                    try (OutputStream out = ex.getResponseBody()) {
                        out.write(pattern(BIG));
                    }
                })
                .route("/endless", ex -> {
                    ex.sendResponseHeaders(200, 0); // chunked, never ends on its own
                    byte[] chunk = new byte[16 * 1024];
                    try (OutputStream out = ex.getResponseBody()) {
                        while (true) {
                            out.write(chunk);
                            out.flush();
                        }
                    } catch (IOException closedByClient) {
                        clientClosed.countDown();
                    }
                });
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    private static final int BIG = 3 * 1024 * 1024 + 17;

    private static byte[] pattern(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + 7);
        }
        return b;
    }

    private static void run(Runnable main) {
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> EventLoop.builder()
                .unhandledRejections(UnhandledRejectionPolicy.THROW).run(main), "EventLoop.run did not return");
    }

    private Path fileOfLines(int count) throws IOException {
        Path file = dir.resolve("lines.txt");
        Files.write(file, IntStream.range(0, count).mapToObj(i -> "line " + i).toList());
        return file;
    }

    /** How many of this process's file descriptors point at {@code file} (Linux). */
    private static long openDescriptors(Path file) throws IOException {
        Path real = file.toRealPath();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).equals(real);
                } catch (IOException gone) {
                    return false;
                }
            }).count();
        }
    }

    @Test
    void forLoopOverAFilesLines_readsEveryLineInOrder_acrossChunks_onTheLoop() throws Exception {
        Path file = fileOfLines(30_000); // several 64 KiB chunks
        List<String> lines = new ArrayList<>();
        AtomicBoolean allOnLoop = new AtomicBoolean(true);
        run(() -> async(() -> {
            try (var it = iterate(AsyncFiles.lineIterator(file))) {
                for (String line : it) {
                    lines.add(line);
                    allOnLoop.compareAndSet(true, EventLoop.current().inEventLoop());
                }
            }
        }));
        assertThat(lines).isEqualTo(Files.readAllLines(file));
        assertThat(allOnLoop).isTrue();
        assertThat(openDescriptors(file)).isZero();
    }

    @Test
    void breakOutOfTheLinesLoop_closesTheFileAtOnce() throws Exception {
        Path file = fileOfLines(30_000);
        AtomicReference<Long> openInside = new AtomicReference<>();
        AtomicReference<Long> openAfterBreak = new AtomicReference<>();
        run(() -> async(() -> {
            try (var it = iterate(AsyncFiles.lineIterator(file))) {
                for (String line : it) {
                    openInside.set(openDescriptors(file));
                    if (line.equals("line 3")) {
                        break;
                    }
                }
            }
            // The close runs on a file thread: wait for it with a liveness bound, on the loop's terms.
            for (int i = 0; i < 500 && openDescriptors(file) > 0; i++) {
                dev.eventual.Async.await(Promise.delay(Duration.ofMillis(10)));
            }
            openAfterBreak.set(openDescriptors(file));
        }));
        assertThat(openInside.get()).isEqualTo(1);
        assertThat(openAfterBreak.get()).isZero();
    }

    @Test
    void anExceptionInTheLinesLoop_closesTheFile_andRejectsTheBodyWithIt() throws Exception {
        Path file = fileOfLines(30_000);
        AtomicReference<Throwable> reason = new AtomicReference<>();
        run(() -> async(() -> {
            try (var it = iterate(AsyncFiles.lineIterator(file))) {
                for (String line : it) {
                    if (line.equals("line 5")) {
                        throw new IllegalStateException("bad line " + line);
                    }
                }
            }
        }).caught(e -> {
            reason.set(e);
            return null;
        }));
        assertThat(reason.get()).isInstanceOf(IllegalStateException.class).hasMessage("bad line line 5");
        long open = openDescriptors(file);
        for (int i = 0; i < 500 && open > 0; i++) {
            Thread.sleep(10);
            open = openDescriptors(file);
        }
        assertThat(open).isZero();
    }

    @Test
    void aMissingFile_failsTheFirstStep_withTheFilesError() {
        Path missing = dir.resolve("missing.txt");
        AtomicReference<Throwable> reason = new AtomicReference<>();
        run(() -> async(() -> {
            try (var it = iterate(AsyncFiles.lineIterator(missing))) {
                for (String line : it) {
                    log.add(line);
                }
            }
        }).caught(e -> {
            reason.set(e);
            return null;
        }));
        assertThat(log).isEmpty();
        assertThat(reason.get()).isInstanceOf(FileOperationException.class).hasMessageContaining("lines")
                .hasMessageContaining(missing.toString());
    }

    @Test
    void forLoopOverAResponsesChunks_deliversEveryByteInOrder() {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        AtomicReference<Integer> chunks = new AtomicReference<>(0);
        run(() -> async(() -> {
            Response response = dev.eventual.Async.await(Fetch.fetch(server.url("/big")));
            try (var it = iterate(response.chunks())) {
                for (ByteBuffer chunk : it) {
                    byte[] b = new byte[chunk.remaining()];
                    chunk.get(b);
                    got.writeBytes(b);
                    chunks.set(chunks.get() + 1);
                }
            }
            log.add("bodyUsed " + response.bodyUsed());
        }));
        assertThat(got.toByteArray()).isEqualTo(pattern(BIG));
        assertThat(chunks.get()).isGreaterThan(1);
        assertThat(log).containsExactly("bodyUsed true");
    }

    @Test
    void breakOutOfTheChunksLoop_closesTheConnection() throws Exception {
        run(() -> async(() -> {
            Response response = dev.eventual.Async.await(Fetch.fetch(server.url("/endless")));
            try (var it = iterate(response.chunks())) {
                int n = 0;
                for (ByteBuffer chunk : it) {
                    if (++n == 3) {
                        break;
                    }
                }
            }
        }));
        assertThat(clientClosed.await(20, TimeUnit.SECONDS)).as("the server saw the connection closed").isTrue();
    }

    @Test
    void cancellingTheBodyWhileItAwaitsAChunk_closesTheConnection() throws Exception {
        AtomicReference<Throwable> reason = new AtomicReference<>();
        AtomicReference<Throwable> inLoop = new AtomicReference<>();
        run(() -> {
            Promise<Void> reader = async(() -> {
                Response response = dev.eventual.Async.await(Fetch.fetch(server.url("/endless")));
                // No try-with-resources: the body only awaits in hasNext, which closes the source when
                // its await throws.
                AsyncIteration<ByteBuffer> it = iterate(response.chunks());
                try {
                    for (ByteBuffer chunk : it) {
                        log.add("chunk");
                    }
                } catch (CancellationException e) {
                    inLoop.set(e);
                    throw e;
                }
            });
            reader.caught(e -> {
                reason.set(e);
                return null;
            });
            EventLoop.current().setTimeout(reader::cancel, 100);
        });
        assertThat(reason.get()).isInstanceOf(CancellationException.class);
        assertThat(inLoop.get()).isInstanceOf(CancellationException.class);
        assertThat(clientClosed.await(20, TimeUnit.SECONDS)).as("the server saw the connection closed").isTrue();
    }

    @Test
    void forLoopOverAProcesssOutputLines_readsEveryLineInOrder() {
        List<String> lines = new ArrayList<>();
        run(() -> async(() -> {
            try (var it = iterate(Processes.lineIterator(Command.of("seq", "1", "50000")))) {
                for (String line : it) {
                    lines.add(line);
                }
            }
        }));
        assertThat(lines).isEqualTo(IntStream.rangeClosed(1, 50_000).mapToObj(Integer::toString).toList());
    }

    @Test
    void breakOutOfTheProcessLinesLoop_killsTheProgram() {
        AtomicReference<Long> pid = new AtomicReference<>();
        run(() -> async(() -> {
            // A program that never ends on its own: the loop can only end if the break kills it.
            try (var it = iterate(Processes.lineIterator(Command.of("sh", "-c", "echo $$; exec yes")))) {
                for (String line : it) {
                    if (pid.get() == null) {
                        pid.set(Long.parseLong(line));
                    } else {
                        break;
                    }
                }
            }
        }));
        java.util.Optional<ProcessHandle> program = ProcessHandle.of(pid.get());
        program.ifPresent(p -> p.onExit().orTimeout(20, TimeUnit.SECONDS).join());
        assertThat(program.map(ProcessHandle::isAlive)).isNotEqualTo(java.util.Optional.of(true));
    }
}
