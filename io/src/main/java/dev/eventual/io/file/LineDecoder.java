package dev.eventual.io.file;

import dev.eventual.io.internal.LineSplitter;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.util.List;

/**
 * Turns a file's bytes, fed in chunks, into its lines: decodes them with a charset (a character
 * split between two chunks is completed by the next one) and splits the text with the io
 * module's one {@link LineSplitter} ({@code "\n"}, {@code "\r\n"}, a lone {@code "\r"}; a last
 * line without a terminator is a line; no line is ever cut). Malformed or unmappable input becomes
 * U+FFFD, as in {@code new String(bytes, charset)}.
 *
 * <p>State between chunks: the decoder's own (a stateful charset) and the splitter's. Not
 * thread-safe: the line stream feeds it from one read completion at a time, each handed to the
 * next through the executor and the loop's queue.
 */
final class LineDecoder {
    private final CharsetDecoder decoder;
    /** The decoder's output; empty (cleared) between calls. */
    private final CharBuffer chars;
    private final LineSplitter splitter = new LineSplitter(Integer.MAX_VALUE);

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
        splitter.finish(out::add);
    }

    /** Hands the decoded chars to the splitter and clears them. */
    private void split(List<String> out) {
        splitter.split(chars.array(), 0, chars.position(), out::add);
        chars.clear();
    }
}
