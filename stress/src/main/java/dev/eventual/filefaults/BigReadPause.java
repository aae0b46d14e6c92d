package dev.eventual.filefaults;

import dev.eventual.EventLoop;
import dev.eventual.io.file.AsyncFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Whether a big {@code AsyncFiles.readString} stalls other threads: a 10 ms interval runs on the
 * loop while the file is read, and the longest gap between two of its ticks is printed (with
 * {@code -Xlog:safepoint}, the JVM also logs how long each safepoint took to reach, which is what
 * a long decode without a safepoint poll delays). Not part of {@code mvn verify}.
 *
 * <pre>
 * mvn -B -q -pl stress -am package -DskipTests
 * java -Xmx4g -Xlog:safepoint:file=/tmp/safepoint.log -cp stress/target/jcstress.jar \
 *     dev.eventual.filefaults.BigReadPause /tmp/big.txt 1024
 * grep -o 'Reaching safepoint: [0-9]* ns' /tmp/safepoint.log | sort -t: -k2 -n | tail -3
 * </pre>
 *
 * Arguments: the file (written first, as ASCII lines, unless it has the size already) and its
 * size in MiB.
 */
public final class BigReadPause {
    private BigReadPause() {}

    public static void main(String[] args) throws IOException {
        Path file = Path.of(args.length > 0 ? args[0] : "/tmp/eventual-big.txt");
        long mib = args.length > 1 ? Long.parseLong(args[1]) : 1024;
        long size = mib * 1024 * 1024;
        if (!Files.exists(file) || Files.size(file) != size) {
            byte[] line = ("x".repeat(99) + "\n").getBytes(StandardCharsets.US_ASCII);
            try (OutputStream out = Files.newOutputStream(file)) {
                for (long written = 0; written < size; written += line.length) {
                    out.write(line, 0, (int) Math.min(line.length, size - written));
                }
            }
        }
        AtomicLong maxGap = new AtomicLong();
        AtomicLong ticks = new AtomicLong();
        long[] took = new long[1];
        int[] length = new int[1];
        EventLoop.run(() -> {
            long[] last = {System.nanoTime()};
            var interval = EventLoop.current().setInterval(() -> {
                long now = System.nanoTime();
                maxGap.accumulateAndGet(now - last[0], Math::max);
                last[0] = now;
                ticks.incrementAndGet();
            }, 10);
            long start = System.nanoTime();
            AsyncFiles.readString(file).asCallback((error, text) -> {
                took[0] = System.nanoTime() - start;
                interval.cancel();
                if (error != null) {
                    System.out.println("readString failed: " + error);
                } else {
                    length[0] = text.length();
                }
            });
        });
        System.out.printf("readString of %d MiB: %d chars in %d ms; 10 ms interval: %d ticks, longest gap %d ms%n",
                mib, length[0], took[0] / 1_000_000, ticks.get(), maxGap.get() / 1_000_000);
    }
}
