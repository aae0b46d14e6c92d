package dev.eventual.internal;

/**
 * JSON text written by hand (the core has no dependency): strings escaped per RFC 8259, and
 * also {@code <}, {@code >}, {@code &}, U+2028 and U+2029 as {@code \}{@code uXXXX}, so that the
 * text is safe inside an HTML {@code <script>} element and in JavaScript source as well.
 * Numbers are finite decimals. Small and stateless: callers write the punctuation.
 */
final class JsonText {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private JsonText() {}

    /** Appends {@code s} as a JSON string, quotes included; null as {@code null}. */
    static void string(StringBuilder out, String s) {
        if (s == null) {
            out.append("null");
            return;
        }
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029'
                            || Character.isSurrogate(c) && !wellFormedPair(s, i)) {
                        out.append("\\u").append(HEX[c >> 12 & 15]).append(HEX[c >> 8 & 15])
                                .append(HEX[c >> 4 & 15]).append(HEX[c & 15]);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /** Whether the surrogate at {@code i} is half of a valid pair (a lone one is escaped). */
    private static boolean wellFormedPair(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }

    /** Appends {@code nanos} as microseconds with three decimals (nanosecond precision). */
    static void micros(StringBuilder out, long nanos) {
        if (nanos < 0) {
            out.append('-');
            nanos = -nanos;
        }
        out.append(nanos / 1000).append('.');
        long frac = nanos % 1000;
        out.append(frac < 100 ? (frac < 10 ? "00" : "0") : "").append(frac);
    }

    /** Appends {@code nanos} as milliseconds with three decimals (microsecond precision). */
    static void millis(StringBuilder out, long nanos) {
        micros(out, nanos / 1000);
    }

    /** Appends {@code ,"key":} (or without the comma when {@code first}). */
    static StringBuilder key(StringBuilder out, String key) {
        out.append(',');
        string(out, key);
        return out.append(':');
    }
}
