package dev.eventual.io.file;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * readString's text, built piece by piece, equals {@code new String(bytes, charset)} of the
 * whole, whatever the reads' sizes and wherever the pieces are cut: valid and invalid UTF-8
 * (lead, continuation and never-valid bytes, truncated and overlong sequences, surrogates), and
 * the other charsets through the decoder.
 */
class ReadTargetTest {
    /** Bytes that make UTF-8's interesting cases when strung at random. */
    private static final byte[] POOL = HexFormat.of().parseHex("41" + "0a" + "80" + "82" + "bf" + "c2" + "c0" + "c3" + "e2"
            + "e0" + "ed" + "a0" + "f0" + "f4" + "9f" + "90" + "f8" + "ff" + "98" + "a9");

    /** Feeds {@code bytes} to {@code target} in reads of 1 to {@code maxRead} bytes, as FileRead does. */
    private static String feed(ReadTarget<String> target, byte[] bytes, long size, Random random, int maxRead)
            throws IOException {
        target.begin(size);
        int offset = 0;
        while (offset < bytes.length) {
            ByteBuffer room = target.room(1 + random.nextInt(maxRead));
            int n = Math.min(room.remaining(), bytes.length - offset);
            room.put(bytes, offset, n);
            offset += n;
            target.took(n);
        }
        return target.finish();
    }

    private static byte[] randomBytes(Random random, int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = POOL[random.nextInt(POOL.length)];
        }
        return bytes;
    }

    @Test
    void utf8Pieces_equalTheWholeDecoded_forRandomValidAndInvalidBytes() throws IOException {
        Random random = new Random(25);
        for (int round = 0; round < 20_000; round++) {
            byte[] bytes = randomBytes(random, random.nextInt(200));
            int piece = 16 + random.nextInt(40);
            long size = random.nextBoolean() ? bytes.length : 0; // known, or a pipe's unknown size
            String text = feed(new ReadTarget.Text(StandardCharsets.UTF_8, piece), bytes, size, random, 24);
            assertThat(text).as("%s in pieces of %d", HexFormat.of().formatHex(bytes), piece)
                    .isEqualTo(new String(bytes, StandardCharsets.UTF_8));
        }
    }

    @Test
    void otherCharsets_equalTheWholeDecoded() throws IOException {
        Random random = new Random(7);
        String sample = "héllo wörld € 𝄞 世界\nsecond line\r\nthird ";
        for (Charset charset : new Charset[] {StandardCharsets.ISO_8859_1, StandardCharsets.US_ASCII,
                StandardCharsets.UTF_16, StandardCharsets.UTF_16LE, Charset.forName("windows-1252"),
                Charset.forName("Shift_JIS")}) {
            for (int round = 0; round < 200; round++) {
                byte[] bytes = round % 2 == 0 ? sample.repeat(1 + random.nextInt(50)).getBytes(charset)
                        : randomBytes(random, random.nextInt(300));
                ReadTarget<String> target = ReadTarget.Text.handles(charset)
                        ? new ReadTarget.Text(charset, 16 + random.nextInt(40))
                        : new ReadTarget.DecodedText(charset);
                assertThat(feed(target, bytes, random.nextBoolean() ? bytes.length : 0, random, 33))
                        .as("%s, round %d", charset, round)
                        .isEqualTo(new String(bytes, charset));
            }
        }
    }

    @Test
    void anEmptyInput_isTheEmptyString() throws IOException {
        assertThat(feed(new ReadTarget.Text(StandardCharsets.UTF_8), new byte[0], 0, new Random(1), 1)).isEmpty();
        assertThat(feed(new ReadTarget.DecodedText(StandardCharsets.UTF_16), new byte[0], 0, new Random(1), 1)).isEmpty();
    }
}
