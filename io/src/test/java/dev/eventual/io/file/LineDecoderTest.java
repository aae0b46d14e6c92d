package dev.eventual.io.file;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** LineDecoder alone: the input split in two at every byte gives the same lines as unsplit. */
class LineDecoderTest {

    /** Feeds {@code bytes} in two parts split at {@code at}, as FileLines does (compacting the rest). */
    private static List<String> decodeSplitAt(byte[] bytes, int at, int charCapacity) {
        LineDecoder decoder = new LineDecoder(StandardCharsets.UTF_8, charCapacity);
        List<String> out = new ArrayList<>();
        ByteBuffer buffer = ByteBuffer.allocate(bytes.length + 8);
        buffer.put(bytes, 0, at).flip();
        decoder.decode(buffer, out);
        buffer.compact().put(bytes, at, bytes.length - at).flip();
        decoder.finish(buffer, out);
        return out;
    }

    @Test
    void splittingTheInputAnywhere_givesTheSameLines() {
        byte[] bytes = "one\r\n\r\ntwo\rthree\n€𝄞\r\rfour".getBytes(StandardCharsets.UTF_8);
        List<String> expected = List.of("one", "", "two", "three", "€𝄞", "", "four");
        for (int at = 0; at <= bytes.length; at++) {
            for (int capacity : new int[] {1, 3, bytes.length}) {
                assertThat(decodeSplitAt(bytes, at, capacity)).as("split at %d, capacity %d", at, capacity)
                        .isEqualTo(expected);
            }
        }
    }

    @Test
    void aCrAtTheVeryEnd_endsTheLastLine_withoutAnEmptyOneAfterIt() {
        byte[] bytes = "x\r".getBytes(StandardCharsets.UTF_8);
        assertThat(decodeSplitAt(bytes, 2, 16)).containsExactly("x");
        assertThat(decodeSplitAt(new byte[0], 0, 16)).isEmpty();
    }
}
