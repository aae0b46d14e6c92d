package dev.eventual.filefaults;

import dev.eventual.AbortController;
import dev.eventual.EventLoop;
import dev.eventual.Promise;
import dev.eventual.io.file.AsyncFiles;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Operations on a FIFO that nobody opens at the other end, each ended after 50 ms (a
 * {@code readString} timed out, a {@code lines} aborted, a {@code writeString} cancelled, in
 * turn, five per round on one FIFO, each in its own {@link EventLoop#run}), under CPU load: none
 * may fulfil, since no peer ever comes. One that does shows a release of a blocked open that
 * missed its own open (left blocked, it pairs with the next attempt's) or reached the next
 * attempt's. Prints each attempt that fulfilled, then the counts; exits with 1 if any did.
 * Linux ({@code mkfifo}). Not part of {@code mvn verify}.
 *
 * <pre>
 * mvn -B -q -pl stress -am package -DskipTests
 * java -cp stress/target/jcstress.jar dev.eventual.filefaults.FifoReleaseRetries 100 12
 * </pre>
 *
 * Arguments: rounds, and threads that spin meanwhile to load the machine (daemon, in this JVM).
 */
public final class FifoReleaseRetries {
    private FifoReleaseRetries() {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int spinners = args.length > 1 ? Integer.parseInt(args[1]) : 0;
        for (int i = 0; i < spinners; i++) {
            Thread spinner = new Thread(() -> {
                long x = 0;
                while (true) {
                    x++;
                    if (x == Long.MIN_VALUE) {
                        Thread.yield();
                    }
                }
            }, "spinner-" + i);
            spinner.setDaemon(true);
            spinner.start();
        }
        int attempts = 0;
        int fulfilled = 0;
        for (int round = 0; round < rounds; round++) {
            Path dir = Files.createTempDirectory("fifo-release");
            Path fifo = dir.resolve("nobody.fifo");
            if (new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start().waitFor() != 0) {
                throw new IOException("mkfifo " + fifo + " failed");
            }
            for (int attempt = 0; attempt < 5; attempt++) {
                int mode = attempt % 3;
                List<Throwable> failures = new ArrayList<>();
                EventLoop.run(() -> {
                    Promise<?> p = switch (mode) {
                        case 0 -> AsyncFiles.readString(fifo).timeout(Duration.ofMillis(50));
                        case 1 -> {
                            AbortController c = new AbortController();
                            EventLoop.current().setTimeout(c::abort, 50);
                            yield AsyncFiles.lines(fifo, line -> { }).withSignal(c.signal());
                        }
                        default -> {
                            Promise<Void> w = AsyncFiles.writeString(fifo, "nobody reads this");
                            EventLoop.current().setTimeout(w::cancel, 50);
                            yield w;
                        }
                    };
                    p.asCallback((error, value) -> failures.add(error));
                });
                attempts++;
                if (failures.size() != 1 || failures.get(0) == null) {
                    fulfilled++;
                    System.out.println("round " + round + " attempt " + attempt + " ("
                            + List.of("readString", "lines", "writeString").get(mode) + ") fulfilled: " + failures);
                }
            }
            // let go of an open left blocked (a defect), so that the next round starts clean
            FileChannel.open(fifo, StandardOpenOption.READ, StandardOpenOption.WRITE).close();
            Files.delete(fifo);
            Files.delete(dir);
        }
        System.out.println("attempts=" + attempts + " fulfilled=" + fulfilled);
        System.exit(fulfilled == 0 ? 0 : 1);
    }
}
