package dev.eventual.examples.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the fenced code blocks of Markdown files: a fence is a line that starts with three
 * backticks (an info string after them names the language) and ends at the next line of three
 * backticks. A marker comment ({@code <!-- snippet: ... -->}) on the nearest non-blank line
 * before the fence says how to compile the block; a marker anywhere else is an error, so a
 * misplaced one is not silently ignored.
 */
final class MarkdownSnippets {
    private static final Pattern MARKER = Pattern.compile("<!--\\s*snippet:\\s*([a-z-]+)(.*?)-->");
    private static final Pattern OPTION = Pattern.compile("([a-z-]+)=\"([^\"]*)\"");
    private static final String OUTPUT = "// Output:";

    private MarkdownSnippets() {}

    /**
     * Returns the blocks of {@code file}, in order.
     *
     * @param root the repository root
     * @param file the Markdown file, relative to {@code root}
     * @throws IllegalArgumentException naming the line of a malformed marker or an unclosed fence
     */
    static List<Snippet> read(Path root, Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(root.resolve(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        List<Snippet> snippets = new ArrayList<>();
        String marker = null;
        int markerLine = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.strip().startsWith("<!-- snippet:")) {
                if (marker != null) {
                    throw new IllegalArgumentException(file + ":" + markerLine + ": snippet marker not followed by a code block");
                }
                marker = line.strip();
                markerLine = i + 1;
            } else if (line.startsWith("```")) {
                String language = line.substring(3).strip().toLowerCase(Locale.ROOT);
                int end = i + 1;
                while (end < lines.size() && !lines.get(end).startsWith("```")) {
                    end++;
                }
                if (end == lines.size()) {
                    throw new IllegalArgumentException(file + ":" + (i + 1) + ": code block never closed");
                }
                snippets.add(snippet(file, i + 2, language, marker, markerLine, lines.subList(i + 1, end)));
                marker = null;
                i = end;
            } else if (marker != null && !line.isBlank()) {
                throw new IllegalArgumentException(file + ":" + markerLine + ": snippet marker not followed by a code block");
            }
        }
        if (marker != null) {
            throw new IllegalArgumentException(file + ":" + markerLine + ": snippet marker not followed by a code block");
        }
        return snippets;
    }

    private static Snippet snippet(Path file, int line, String language, String marker, int markerLine, List<String> code) {
        Snippet.Kind kind = language.equals("java") ? Snippet.Kind.MAIN : Snippet.Kind.OTHER;
        Map<String, String> options = new LinkedHashMap<>();
        if (marker != null) {
            Matcher m = MARKER.matcher(marker);
            if (!m.matches()) {
                throw new IllegalArgumentException(file + ":" + markerLine + ": malformed snippet marker: " + marker);
            }
            try {
                kind = Snippet.Kind.valueOf(m.group(1).toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + ":" + markerLine + ": unknown snippet kind \"" + m.group(1)
                        + "\" (main, unit, fragment, members, module, excerpt)");
            }
            Matcher o = OPTION.matcher(m.group(2));
            while (o.find()) {
                options.put(o.group(1), o.group(2));
            }
            if (!language.equals("java")) {
                throw new IllegalArgumentException(file + ":" + markerLine + ": snippet marker before a " + language + " block");
            }
        }
        return new Snippet(file, line, language, kind, Map.copyOf(options), List.copyOf(code), expectedOutput(code));
    }

    /** The comment lines after a {@code // Output:} line that ends the block (only comments may follow it). */
    private static List<String> expectedOutput(List<String> code) {
        int start = -1;
        for (int i = 0; i < code.size(); i++) {
            if (code.get(i).strip().equals(OUTPUT)) {
                start = i;
            }
        }
        if (start < 0) {
            return List.of();
        }
        List<String> expected = new ArrayList<>();
        for (String line : code.subList(start + 1, code.size())) {
            String s = line.strip();
            if (!s.startsWith("//")) {
                return List.of(); // code after the comment: it is not the block's expected output
            }
            expected.add(s.equals("//") ? "" : s.substring(s.startsWith("// ") ? 3 : 2));
        }
        return List.copyOf(expected);
    }
}
