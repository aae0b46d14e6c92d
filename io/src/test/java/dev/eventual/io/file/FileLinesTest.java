package dev.eventual.io.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.eventual.EventLoop;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * FileLines with tiny chunks, so that every kind of boundary (inside a {@code "\r\n"}, inside a
 * 2-, 3- and 4-byte UTF-8 character, inside a UTF-16 surrogate pair, right after a
 * {@code '\r'}) falls between two reads for some chunk size.
 */
class FileLinesTest {
    private static final String TEXT = "a\r\nbb\rc\n\né€𝄞x\r\n\r\n\r\rwörld 世界\nlast 𝄞";
    private static final List<String> LINES =
            List.of("a", "bb", "c", "", "é€𝄞x", "", "", "", "wörld 世界", "last 𝄞");

    @TempDir
    Path dir;

    private static List<String> stream(Path file, Charset charset, int chunkSize) {
        List<String> lines = new ArrayList<>();
        AtomicReference<Object> count = new AtomicReference<>();
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> EventLoop.run(() ->
                FileLines.start(EventLoop.current(), file, charset, lines::add, null, chunkSize)
                        .asCallback((error, n) -> count.set(error != null ? error : n))));
        assertThat(count.get()).as("chunk size %d", chunkSize).isEqualTo((long) lines.size());
        return lines;
    }

    @Test
    void everyChunkSizeFromOneByte_givesTheSameLines() throws IOException {
        Path file = Files.writeString(dir.resolve("utf8.txt"), TEXT);
        for (int chunk = 1; chunk <= 12; chunk++) {
            assertThat(stream(file, StandardCharsets.UTF_8, chunk)).as("chunk size %d", chunk).isEqualTo(LINES);
        }
    }

    @Test
    void utf16_withSurrogatePairsSplitBetweenReads_givesTheSameLines() throws IOException {
        Path file = Files.writeString(dir.resolve("utf16.txt"), TEXT, StandardCharsets.UTF_16);
        for (int chunk = 1; chunk <= 9; chunk++) {
            assertThat(stream(file, StandardCharsets.UTF_16, chunk)).as("chunk size %d", chunk).isEqualTo(LINES);
        }
    }

    @Test
    void aTruncatedCharacterAtTheEnd_becomesAReplacementCharacter() throws IOException {
        Path file = Files.write(dir.resolve("truncated.txt"), new byte[] {'o', 'k', '\n', 'x', (byte) 0xF0, (byte) 0x9D});
        assertThat(stream(file, StandardCharsets.UTF_8, 3)).containsExactly("ok", "x\uFFFD");
    }

    @Test
    void aLineLongerThanManyChunks_isDeliveredWhole() throws IOException {
        String longLine = "ü".repeat(100_000);
        Path file = Files.writeString(dir.resolve("long.txt"), "short\n" + longLine + "\r\nend");
        assertThat(stream(file, StandardCharsets.UTF_8, 4096)).containsExactly("short", longLine, "end");
    }
}
