package dev.eventual.io.file;

import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Counts this process's file descriptors open on a file, for the tests that check no operation
 * leaves one behind. Linux only: the descriptors are read from {@code /proc/self/fd}; a test
 * calls {@link #assumeCountable()} (or {@link #on(Path)}, which calls it) to be skipped elsewhere.
 */
final class OpenDescriptors {
    private static final Path FDS = Path.of("/proc/self/fd");

    private OpenDescriptors() {}

    /** Skips the calling test where descriptors cannot be counted (no {@code /proc/self/fd}). */
    static void assumeCountable() {
        assumeThat(Files.isDirectory(FDS)).as("/proc/self/fd (Linux)").isTrue();
    }

    /**
     * Returns how many of this process's descriptors are open on {@code file}; skips the test
     * where they cannot be counted.
     *
     * @param file the file, resolved to its real path (it must exist)
     * @return the descriptors whose link in {@code /proc/self/fd} names it
     * @throws IOException if {@code file} or the descriptor list cannot be read
     */
    static long on(Path file) throws IOException {
        assumeCountable();
        Path target = file.toRealPath();
        try (Stream<Path> list = Files.list(FDS)) {
            return list.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).equals(target);
                } catch (IOException | UnsupportedOperationException e) {
                    return false; // closed meanwhile (the listing's own descriptor)
                }
            }).count();
        }
    }
}
