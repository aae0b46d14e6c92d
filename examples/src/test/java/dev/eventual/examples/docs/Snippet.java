package dev.eventual.examples.docs;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One fenced code block of a Markdown file, with the marker comment that precedes it.
 *
 * <p>The marker is an HTML comment on the line before the fence (blank lines between are
 * allowed), {@code <!-- snippet: KIND key="value" ... -->}; without one, a {@code java} block is
 * of kind {@link Kind#MAIN}. {@code expectedOutput} holds the lines after a {@code // Output:}
 * line at the end of the block, without their {@code // } prefix; empty when there is none.
 *
 * @param file the Markdown file, relative to the repository root
 * @param line the 1-based line of the first line of code (the one after the fence)
 * @param language the fence's info string ({@code java}, {@code js}, ...)
 * @param kind how the code becomes a compilation unit
 * @param options the marker's {@code key="value"} pairs
 * @param code the block's lines
 * @param expectedOutput what running it must print, line by line; {@code ...} in a line matches any text
 */
record Snippet(Path file, int line, String language, Kind kind, Map<String, String> options, List<String> code,
        List<String> expectedOutput) {

    /** How a {@code java} block is compiled; the conventions are described in {@code docs/README.md}. */
    enum Kind {
        /** Imports as written, then statements: the body of {@code main}; run when it has an expected output. */
        MAIN,
        /** A complete compilation unit; its {@code main} is run when it has an expected output. */
        UNIT,
        /** Statements, compiled as a method body with the standard imports and the {@code given} parameters. */
        FRAGMENT,
        /** Class members (methods, fields, nested types), compiled in a class with the standard imports. */
        MEMBERS,
        /** A {@code module-info.java} of an application, compiled against the library's modules. */
        MODULE,
        /** Lines that must appear, in order and consecutively, in the source file named by {@code from}. */
        EXCERPT,
        /** Not Java, or a block the test does not take (its fence language is not {@code java}). */
        OTHER
    }

    /** Where the block is, as {@code file:line}, for failure messages. */
    String where() {
        return file.toString().replace('\\', '/') + ":" + line;
    }

    boolean runs() {
        return !expectedOutput.isEmpty();
    }
}
