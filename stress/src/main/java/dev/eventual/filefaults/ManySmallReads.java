package dev.eventual.filefaults;

import dev.eventual.EventLoop;
import dev.eventual.io.file.AsyncFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Many {@code AsyncFiles.readString} of small files started at once, under a descriptor limit:
 * how many succeed, how the failures read, and the most descriptors the process had open at once
 * (sampled from {@code /proc/self/fd} every millisecond). Not part of {@code mvn verify}.
 *
 * <pre>
 * mvn -B -q -pl stress -am package -DskipTests
 * bash -c 'ulimit -n 1024; exec java -cp stress/target/jcstress.jar dev.eventual.filefaults.ManySmallReads /tmp/many 10000'
 * </pre>
 *
 * Arguments: a directory (created, with the files, if missing) and the number of reads. Exits
 * with 1 if any read failed.
 */
public final class ManySmallReads {
    private ManySmallReads() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "/tmp/eventual-many");
        int count = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        Files.createDirectories(dir);
        for (int i = 0; i < count; i++) {
            Path f = dir.resolve("f" + i + ".txt");
            if (!Files.exists(f)) {
                Files.writeString(f, "file " + i + "\n");
            }
        }
        AtomicLong maxOpen = new AtomicLong();
        AtomicInteger ok = new AtomicInteger();
        Map<String, Integer> failures = new TreeMap<>();
        Thread sampler = Thread.ofPlatform().daemon().start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                maxOpen.accumulateAndGet(openDescriptors(), Math::max);
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        long before = openDescriptors();
        long start = System.nanoTime();
        EventLoop.run(() -> {
            for (int i = 0; i < count; i++) {
                int n = i;
                AsyncFiles.readString(dir.resolve("f" + i + ".txt")).asCallback((error, text) -> {
                    if (error == null && text.equals("file " + n + "\n")) {
                        ok.incrementAndGet();
                    } else {
                        String key = error == null ? "wrong text" : error.getClass().getSimpleName() + ": "
                                + String.valueOf(error.getMessage()).replaceAll("f\\d+\\.txt", "fN.txt");
                        failures.merge(key, 1, Integer::sum);
                    }
                });
            }
        });
        long ms = (System.nanoTime() - start) / 1_000_000;
        sampler.interrupt();
        sampler.join();
        System.out.printf("%d concurrent readString: %d succeeded, %d failed in %d ms; descriptors open: %d before, at most %d during%n",
                count, ok.get(), count - ok.get(), ms, before, maxOpen.get());
        failures.forEach((k, v) -> System.out.println("  " + v + " x " + k));
        System.exit(ok.get() == count ? 0 : 1);
    }

    private static long openDescriptors() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        } catch (IOException e) {
            return -1; // no descriptor left for the listing itself
        }
    }
}
