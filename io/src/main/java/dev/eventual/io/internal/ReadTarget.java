package dev.eventual.io.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What a {@link FileRead} builds from a file's bytes, fed one chunk at a time: the bytes
 * ({@link Bytes}) or the text ({@link Text}). Each call does work bounded by one chunk, except
 * {@link #finish()}'s single copy into the result. Used by one read completion at a time.
 *
 * @param <T> the value built
 */
abstract class ReadTarget<T> {
    /** Called once, with the file's size at open (0: unknown, read until the end). */
    abstract void begin(long size);

    /** The buffer the next read fills, with room for at least one byte and at most {@code chunk}. */
    abstract ByteBuffer room(int chunk) throws IOException;

    /** The last read put {@code n > 0} bytes into {@link #room}. */
    abstract void took(int n);

    /** The end of the input: returns the value. */
    abstract T finish() throws IOException;

    /**
     * The bytes, read straight into one array of the file's size; when the size is unknown, an
     * array that doubles as needed, trimmed at the end.
     */
    static final class Bytes extends ReadTarget<byte[]> {
        /** Initial capacity when the size is unknown (reported as 0). */
        private static final int UNKNOWN_SIZE_CAPACITY = 8 * 1024;

        private byte[] buffer;
        private int filled;

        @Override
        void begin(long size) {
            buffer = new byte[size > 0 ? (int) size : UNKNOWN_SIZE_CAPACITY];
        }

        @Override
        ByteBuffer room(int chunk) throws IOException {
            if (filled == buffer.length) {
                if (buffer.length >= FileRead.MAX_ARRAY) {
                    throw FileRead.tooLarge("more than " + FileRead.MAX_ARRAY + " bytes");
                }
                long doubled = Math.max(2L * buffer.length, (long) buffer.length + chunk);
                buffer = Arrays.copyOf(buffer, (int) Math.min(FileRead.MAX_ARRAY, doubled));
            }
            return ByteBuffer.wrap(buffer, filled, Math.min(chunk, buffer.length - filled));
        }

        @Override
        void took(int n) {
            filled += n;
        }

        @Override
        byte[] finish() {
            byte[] bytes = filled == buffer.length ? buffer : Arrays.copyOf(buffer, filled);
            buffer = null;
            return bytes;
        }
    }

    /**
     * The text: each chunk is decoded as it arrives (bad input becomes U+FFFD, as
     * {@code new String(bytes, charset)} does) into a piece of at most a chunk of chars, and the
     * pieces are joined at the end with {@link String#join}, which copies them piece by piece
     * into the result's own array. A character split between two chunks stays in {@code bytes}
     * until the next one completes it. So no step decodes or copies more than a chunk, and no
     * array of the file's bytes is ever held: the memory peak is the text twice (the pieces and
     * the result).
     *
     * <p>A string holds at most {@link FileRead#MAX_ARRAY} chars when every char is below 256
     * (one byte each), else half that (two bytes each); longer text fails with the same
     * "file too large" message before the join.
     */
    static final class Text extends ReadTarget<String> {
        private final CharsetDecoder decoder;
        private ByteBuffer bytes;
        private CharBuffer chars;
        private List<String> pieces = new ArrayList<>();
        private long length;

        Text(Charset charset) {
            this.decoder = charset.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE);
        }

        @Override
        void begin(long size) {
            int capacity = (int) Math.min(FileRead.CHUNK, size > 0 ? Math.max(size, 16) : FileRead.CHUNK);
            bytes = ByteBuffer.allocate(capacity);
            chars = CharBuffer.allocate(capacity);
        }

        @Override
        ByteBuffer room(int chunk) {
            if (!bytes.hasRemaining()) { // a chunk smaller than one character: make room
                bytes = ByteBuffer.allocate(2 * bytes.capacity()).put(bytes.flip());
            }
            return bytes;
        }

        @Override
        void took(int n) {
            bytes.flip();
            while (decoder.decode(bytes, chars, false).isOverflow()) {
                drain();
            }
            drain();
            bytes.compact();
        }

        @Override
        String finish() throws IOException {
            bytes.flip();
            while (decoder.decode(bytes, chars, true).isOverflow()) {
                drain();
            }
            while (decoder.flush(chars).isOverflow()) {
                drain();
            }
            drain();
            bytes = null;
            chars = null;
            List<String> all = pieces;
            pieces = null;
            if (length > FileRead.MAX_ARRAY / 2 && (length > FileRead.MAX_ARRAY || !latin1(all))) {
                throw new IOException("text too long for one string: " + length + " chars (a string holds at most "
                        + FileRead.MAX_ARRAY + " chars below U+0100, half as many otherwise); stream it instead");
            }
            return all.size() == 1 ? all.get(0) : String.join("", all);
        }

        private void drain() {
            chars.flip();
            if (chars.hasRemaining()) {
                String piece = chars.toString();
                pieces.add(piece);
                length += piece.length();
            }
            chars.clear();
        }

        private static boolean latin1(List<String> pieces) {
            for (String piece : pieces) {
                for (int i = 0; i < piece.length(); i++) {
                    if (piece.charAt(i) > 0xFF) {
                        return false;
                    }
                }
            }
            return true;
        }
    }
}
