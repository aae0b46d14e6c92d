package dev.eventual.io.file;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.util.List;

/**
 * Turns a file's bytes, fed in chunks, into its lines: decodes them with a charset (a character
 * split between two chunks is completed by the next one) and splits the text where Java's
 * {@code BufferedReader.readLine} and Node's {@code readline} do: at {@code "\n"}, {@code "\r\n"}
 * and a lone {@code "\r"}, even when a {@code "\r\n"} is split between chunks. Terminators are
 * not part of the lines; a last line without a terminator is a line; an empty input has no lines.
 * Malformed or unmappable input becomes U+FFFD, as in {@code new String(bytes, charset)}.
 *
 * <p>State between chunks: the decoder's own (a stateful charset), the text of the line begun so
 * far ({@code partial}), and whether the last character was a {@code '\r'}. Not thread-safe: the
 * line stream feeds it from one read completion at a time, each handed to the next through the
 * executor and the loop's queue.
 */
final class LineDecoder {
    /** Above this many chars, the builder of a long line is dropped after use rather than kept. */
    private static final int KEPT_LINE_CAPACITY = 64 * 1024;

    private final CharsetDecoder decoder;
    /** The decoder's output; empty (cleared) between calls. */
    private final CharBuffer chars;
    /** The current line's text from earlier output, when it spans more than one. */
    private StringBuilder partial = new StringBuilder();
    /** The last character seen was {@code '\r'}: a {@code '\n'} right after it ends no line. */
    private boolean skipLineFeed;

    /**
     * @param charset the file's charset
     * @param charCapacity the chars decoded at a time (the chunk size in bytes fits most charsets)
     */
    LineDecoder(Charset charset, int charCapacity) {
        this.decoder = charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        this.chars = CharBuffer.allocate(Math.max(charCapacity, 16));
    }

    /**
     * Decodes what it can of {@code bytes} (in read mode) and adds the lines it completes to
     * {@code out}. An incomplete character at the end stays in {@code bytes}, for the caller to
     * keep and extend with the next chunk.
     */
    void decode(ByteBuffer bytes, List<String> out) {
        while (decoder.decode(bytes, chars, false).isOverflow()) {
            split(out);
        }
        split(out);
    }

    /**
     * The end of the input: decodes the rest of {@code bytes} (an incomplete character becomes
     * U+FFFD) and adds the remaining lines, the last one even without a terminator.
     */
    void finish(ByteBuffer bytes, List<String> out) {
        while (decoder.decode(bytes, chars, true).isOverflow()) {
            split(out);
        }
        while (decoder.flush(chars).isOverflow()) {
            split(out);
        }
        split(out);
        if (!partial.isEmpty()) {
            out.add(partial.toString());
            partial.setLength(0);
        }
    }

    /** Splits the decoded chars into lines; the unterminated rest goes to {@code partial}. */
    private void split(List<String> out) {
        chars.flip();
        char[] a = chars.array();
        int end = chars.limit();
        int start = 0;
        for (int i = 0; i < end; i++) {
            char c = a[i];
            if (c == '\n') {
                if (!skipLineFeed) {
                    out.add(line(a, start, i));
                }
                skipLineFeed = false;
                start = i + 1;
            } else if (c == '\r') {
                out.add(line(a, start, i));
                skipLineFeed = true;
                start = i + 1;
            } else {
                skipLineFeed = false;
            }
        }
        partial.append(a, start, end - start);
        chars.clear();
    }

    private String line(char[] a, int start, int end) {
        if (partial.isEmpty()) {
            return new String(a, start, end - start);
        }
        String line = partial.append(a, start, end - start).toString();
        if (partial.capacity() > KEPT_LINE_CAPACITY) {
            partial = new StringBuilder();
        } else {
            partial.setLength(0);
        }
        return line;
    }
}
