package dev.eventual.io.internal;

import java.util.function.Consumer;

/**
 * Splits text, fed in chunks of chars, into lines, for the lines of a file and of a program's
 * output alike: where Java's {@code BufferedReader.readLine} and Node's {@code readline} split, at
 * {@code "\n"}, {@code "\r\n"} and a lone {@code "\r"}, even when a {@code "\r\n"} is split
 * between two chunks. Terminators are not part of the lines; a last line without a terminator is
 * a line ({@link #finish}); an empty input has no lines. Decoding bytes into chars is the
 * caller's (a file's {@code CharsetDecoder}, a program's {@code InputStreamReader}).
 *
 * <p>A line longer than {@code maxLine} chars is handed over in pieces of {@code maxLine} chars
 * (the last piece may be shorter), so that one line never holds more than that; a line of
 * exactly {@code maxLine} chars is one line. With {@link Integer#MAX_VALUE} a line is never cut
 * (its length is then bounded by what a {@code String} holds).
 *
 * <p>State between chunks: the text of the line begun so far ({@code partial}) and whether the
 * last char was a {@code '\r'} ({@code skipLineFeed}: a {@code '\n'} right after it ends no
 * line). Not thread-safe: one thread feeds it at a time, and a hand-over from one feeding thread
 * to the next must be ordered by the caller (a task queue, an executor).
 */
public final class LineSplitter {
    /** Above this many chars, the builder of a long line is dropped after use rather than kept. */
    private static final int KEPT_LINE_CAPACITY = 64 * 1024;

    private final int maxLine;
    /** The current line's text from earlier chunks, when it spans more than one; at most {@code maxLine} chars. */
    private StringBuilder partial = new StringBuilder();
    /** The last char seen was {@code '\r'}: a {@code '\n'} right after it ends no line. */
    private boolean skipLineFeed;

    /**
     * Creates a splitter.
     *
     * @param maxLine the most chars of one line handed over at once; at least 1
     * @throws IllegalArgumentException if {@code maxLine} is below 1
     */
    public LineSplitter(int maxLine) {
        if (maxLine < 1) {
            throw new IllegalArgumentException("maxLine must be >= 1: " + maxLine);
        }
        this.maxLine = maxLine;
    }

    /**
     * Hands each line that {@code chars[offset, offset + length)} completes to {@code out}, in
     * order, and keeps the unterminated rest for the next chunk.
     *
     * @param chars the chunk's text
     * @param offset where it starts in {@code chars}
     * @param length how many chars it has
     * @param out receives each completed line (or piece of a long one)
     */
    public void split(char[] chars, int offset, int length, Consumer<? super String> out) {
        int end = offset + length;
        int i = offset;
        if (skipLineFeed && i < end) {
            skipLineFeed = false;
            if (chars[i] == '\n') {
                i++; // the second half of a "\r\n" split between chunks
            }
        }
        while (i < end) {
            int start = i;
            while (i < end && chars[i] != '\n' && chars[i] != '\r') {
                i++;
            }
            if (i == end) {
                append(chars, start, i - start, out); // unterminated: the rest comes with the next chunk
                break;
            }
            if (partial.isEmpty() && i - start <= maxLine) {
                out.accept(new String(chars, start, i - start)); // the common case: one copy
            } else {
                append(chars, start, i - start, out);
                out.accept(takeLine());
            }
            if (chars[i++] == '\r') {
                if (i == end) {
                    skipLineFeed = true; // a '\n' may open the next chunk
                } else if (chars[i] == '\n') {
                    i++;
                }
            }
        }
    }

    /**
     * The end of the input: hands the last line to {@code out} if it has any text (a line
     * without a terminator). A terminator at the very end leaves no empty line after it.
     *
     * @param out receives the last line, if there is one
     */
    public void finish(Consumer<? super String> out) {
        skipLineFeed = false;
        if (!partial.isEmpty()) {
            out.accept(takeLine());
        }
    }

    /** Appends to the current line, handing over a piece each time it reaches {@code maxLine} chars. */
    private void append(char[] chars, int offset, int length, Consumer<? super String> out) {
        while (length > 0) {
            if (partial.length() == maxLine) {
                out.accept(takeLine());
            }
            int k = Math.min(length, maxLine - partial.length());
            partial.append(chars, offset, k);
            offset += k;
            length -= k;
        }
    }

    /** Returns the current line and starts an empty one, letting a long line's buffer go. */
    private String takeLine() {
        String line = partial.toString();
        if (partial.capacity() > KEPT_LINE_CAPACITY) {
            partial = new StringBuilder();
        } else {
            partial.setLength(0);
        }
        return line;
    }
}
