package dev.eventual.io.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
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
     * {@code new String(bytes, charset)} does) into a buffer of chars that becomes a string, a
     * piece of at most {@link #PIECE} chars, when it is full; the pieces are joined at the end
     * with {@link String#join}, which copies them one by one into the result's own array. A
     * character split between two chunks stays in {@code bytes} until the next one completes
     * it. So no step decodes more than a chunk or copies more than a piece, and no array of the
     * file's bytes is ever held: the memory peak is the text twice (the pieces and the result).
     *
     * <p>A string holds at most {@link FileRead#MAX_ARRAY} chars when every char is below 256
     * (one byte each), else half that (two bytes each); longer text fails with a "text too long"
     * message (see {@link ReadTarget#join}).
     */
    static final class DecodedText extends ReadTarget<String> {
        /**
         * Chars per piece: a piece is made when the decoder's output is full. Large enough that
         * the pieces of a big file are few and, on G1 with heap regions up to 16 MiB, allocated
         * as humongous objects that young collections never copy; small enough that making one
         * takes milliseconds.
         */
        static final int PIECE = 8 * 1024 * 1024;

        private final CharsetDecoder decoder;
        private ByteBuffer bytes;
        private CharBuffer chars;
        private List<String> pieces = new ArrayList<>();
        private long length;

        DecodedText(Charset charset) {
            this.decoder = charset.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE);
        }

        @Override
        void begin(long size) {
            long expected = size > 0 ? Math.max(size, 16) : FileRead.CHUNK;
            bytes = ByteBuffer.allocate((int) Math.min(FileRead.CHUNK, expected));
            chars = CharBuffer.allocate((int) Math.min(PIECE, expected));
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
            return join(all, length);
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

    }

    /**
     * The text of a charset whose decoding of a whole equals the decodings of its parts cut at
     * the right places, joined: UTF-8 cut before an incomplete sequence at the end (see
     * {@link #cut}), and the one-byte charsets ISO-8859-1 and US-ASCII cut anywhere. The bytes
     * are read straight into a piece buffer of at most {@link #PIECE} bytes; when it is full,
     * {@code new String(bytes, charset)} makes a piece of it (the JDK's fastest decoding, bounded
     * by the piece's size), and the bytes of an incomplete character move to its start. The
     * pieces are joined at the end as {@link DecodedText}'s are.
     */
    static final class Text extends ReadTarget<String> {
        /** Bytes per piece; see {@link DecodedText#PIECE}. */
        static final int PIECE = 8 * 1024 * 1024;

        private final Charset charset;
        private final boolean utf8;
        private final int pieceBytes;
        private byte[] piece;
        private int filled;
        private List<String> pieces = new ArrayList<>();
        private long length;

        Text(Charset charset) {
            this(charset, PIECE);
        }

        /** With pieces of {@code pieceBytes} (at least 16) instead of {@link #PIECE} (tests). */
        Text(Charset charset, int pieceBytes) {
            this.charset = charset;
            this.utf8 = charset.equals(StandardCharsets.UTF_8);
            this.pieceBytes = Math.max(16, pieceBytes);
        }

        /** Whether this class decodes {@code charset} exactly as a whole-file decoding would. */
        static boolean handles(Charset charset) {
            return charset.equals(StandardCharsets.UTF_8) || charset.equals(StandardCharsets.ISO_8859_1)
                    || charset.equals(StandardCharsets.US_ASCII);
        }

        @Override
        void begin(long size) {
            piece = new byte[(int) Math.min(pieceBytes, size > 0 ? Math.max(size, 16) : FileRead.CHUNK)];
        }

        @Override
        ByteBuffer room(int chunk) {
            if (filled == piece.length) {
                int end = utf8 ? cut(piece, filled) : filled;
                add(new String(piece, 0, end, charset));
                filled -= end;
                System.arraycopy(piece, end, piece, 0, filled); // at most 3 bytes
            }
            return ByteBuffer.wrap(piece, filled, Math.min(chunk, piece.length - filled));
        }

        @Override
        void took(int n) {
            filled += n;
        }

        @Override
        String finish() throws IOException {
            add(new String(piece, 0, filled, charset));
            piece = null;
            List<String> all = pieces;
            pieces = null;
            return join(all, length);
        }

        private void add(String text) {
            if (!text.isEmpty()) {
                pieces.add(text);
                length += text.length();
            }
        }

        /**
         * Where to cut {@code bytes[0, end)} of UTF-8 so that decoding the two parts apart gives
         * what decoding them together does: before a sequence begun in the last three bytes and
         * not complete there (a lead byte wanting more continuation bytes than follow it), else
         * at the end. The part before the cut then ends where the decoder's view of it ends in
         * the whole too (at a byte that is not a continuation byte), and the part after starts a
         * sequence afresh. Checked against whole decodings of random byte strings of UTF-8's
         * lead, continuation, invalid and ASCII bytes.
         */
        static int cut(byte[] bytes, int end) {
            for (int i = end - 1; i >= Math.max(0, end - 3); i--) {
                int b = bytes[i] & 0xFF;
                if ((b & 0xC0) != 0x80) {
                    int wanted = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
                    return end - i < wanted ? i : end;
                }
            }
            return end;
        }
    }

    /**
     * Joins the pieces of a text of {@code length} chars into one string, or fails if one string
     * cannot hold it: at most {@link FileRead#MAX_ARRAY} chars when every char is below U+0100
     * (a byte each), half as many otherwise (two bytes each). Between the two limits only the
     * join can tell (the JDK then throws {@code OutOfMemoryError}), so its failure there is
     * reported as text too long, with that error as the cause.
     */
    static String join(List<String> pieces, long length) throws IOException {
        if (length > FileRead.MAX_ARRAY) {
            throw tooLong(length, null);
        }
        if (pieces.size() < 2) {
            return pieces.isEmpty() ? "" : pieces.get(0);
        }
        try {
            return String.join("", pieces);
        } catch (OutOfMemoryError e) {
            if (length <= FileRead.MAX_ARRAY / 2) {
                throw e;
            }
            throw tooLong(length, e);
        }
    }

    private static IOException tooLong(long length, Throwable cause) {
        return new IOException("text too long for one string: " + length + " chars (a string holds at most "
                + FileRead.MAX_ARRAY + " chars if all are below U+0100, half as many otherwise); stream it instead",
                cause);
    }
}
