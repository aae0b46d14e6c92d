package dev.eventual.io.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The one line splitter of files and processes: the same lines however the text is cut into
 * chunks, every terminator, the last unterminated line, and long lines cut into pieces.
 */
class LineSplitterTest {

    /** Splits {@code text} fed in chunks of {@code chunk} chars (the last may be shorter). */
    private static List<String> split(String text, int chunk, int maxLine) {
        LineSplitter splitter = new LineSplitter(maxLine);
        List<String> out = new ArrayList<>();
        char[] chars = text.toCharArray();
        for (int i = 0; i < chars.length; i += chunk) {
            splitter.split(chars, i, Math.min(chunk, chars.length - i), out::add);
        }
        splitter.finish(out::add);
        return out;
    }

    /** Splits {@code text} fed in two chunks cut at {@code at}, from a larger array (offsets). */
    private static List<String> splitAt(String text, int at, int maxLine) {
        LineSplitter splitter = new LineSplitter(maxLine);
        List<String> out = new ArrayList<>();
        char[] padded = ("##" + text + "##").toCharArray();
        splitter.split(padded, 2, at, out::add);
        splitter.split(padded, 2 + at, text.length() - at, out::add);
        splitter.finish(out::add);
        return out;
    }

    @Test
    void everyTerminator_splitsWhereReadLineDoes_howeverTheTextIsCut() {
        String text = "one\r\n\r\ntwo\rthree\n€𝄞\r\rfour";
        List<String> expected = List.of("one", "", "two", "three", "€𝄞", "", "four");
        for (int at = 0; at <= text.length(); at++) {
            assertThat(splitAt(text, at, Integer.MAX_VALUE)).as("cut at %d", at).isEqualTo(expected);
        }
        for (int chunk = 1; chunk <= text.length(); chunk++) {
            assertThat(split(text, chunk, Integer.MAX_VALUE)).as("chunks of %d", chunk).isEqualTo(expected);
        }
    }

    @Test
    void aCrLfSplitBetweenChunks_endsOneLine_notTwo() {
        assertThat(splitAt("a\r\nb", 2, Integer.MAX_VALUE)).containsExactly("a", "b");
        assertThat(splitAt("a\r\n", 2, Integer.MAX_VALUE)).containsExactly("a");
    }

    @Test
    void aLoneCr_endsALine_evenAtTheEndOfAChunk() {
        assertThat(splitAt("a\rb", 2, Integer.MAX_VALUE)).containsExactly("a", "b");
        assertThat(splitAt("a\r\rb", 2, Integer.MAX_VALUE)).containsExactly("a", "", "b");
    }

    @Test
    void aLastLineWithoutTerminator_isALine_andATerminatorAtTheEnd_addsNoEmptyLine() {
        assertThat(split("x\ny", 1, Integer.MAX_VALUE)).containsExactly("x", "y");
        assertThat(split("x\r", 1, Integer.MAX_VALUE)).containsExactly("x");
        assertThat(split("x\r\n", 3, Integer.MAX_VALUE)).containsExactly("x");
        assertThat(split("\n", 1, Integer.MAX_VALUE)).containsExactly("");
    }

    @Test
    void anEmptyInput_hasNoLines() {
        assertThat(split("", 1, Integer.MAX_VALUE)).isEmpty();
    }

    @Test
    void aLineLongerThanManyChunks_isOneLine_withoutALimit() {
        String longLine = "x".repeat(200_000);
        assertThat(split(longLine + "\nend", 1000, Integer.MAX_VALUE)).containsExactly(longLine, "end");
        assertThat(split(longLine, 7, Integer.MAX_VALUE)).containsExactly(longLine);
    }

    @Test
    void aLineLongerThanTheLimit_comesInPiecesOfTheLimit_howeverTheTextIsCut() {
        String text = "abcdefghij\nabcd\r\nxy\n";
        List<String> expected = List.of("abcd", "efgh", "ij", "abcd", "xy");
        for (int at = 0; at <= text.length(); at++) {
            assertThat(splitAt(text, at, 4)).as("cut at %d", at).isEqualTo(expected);
        }
        for (int chunk = 1; chunk <= text.length(); chunk++) {
            assertThat(split(text, chunk, 4)).as("chunks of %d", chunk).isEqualTo(expected);
        }
    }

    @Test
    void aLineOfExactlyTheLimit_isOneLine_withNoEmptyPieceAfterIt() {
        assertThat(split("abcd\nef", 2, 4)).containsExactly("abcd", "ef");
        assertThat(split("abcd", 2, 4)).containsExactly("abcd");
        assertThat(split("abcde", 2, 4)).containsExactly("abcd", "e");
    }

    @Test
    void aLimitBelowOne_isRejectedWithTheValue() {
        assertThatThrownBy(() -> new LineSplitter(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxLine must be >= 1: 0");
    }
}
