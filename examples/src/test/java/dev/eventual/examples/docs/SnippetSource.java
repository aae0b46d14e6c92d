package dev.eventual.examples.docs;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The compilation unit made from a {@code java} snippet, in a package of its own
 * ({@code snippet.s<index>}) so that snippets may reuse class names, with a map from each
 * generated line back to the Markdown line it came from (so compiler errors point into the
 * document).
 *
 * <p>What is added around the code, per {@link Snippet.Kind}: {@code MAIN} keeps the block's
 * leading imports as they are and puts the rest in {@code public static void main(String[] args)
 * throws Exception} of class {@code Snippet}: nothing is imported that the block does not show.
 * {@code UNIT} adds only the package line, {@code MODULE} nothing. {@code FRAGMENT} and {@code MEMBERS} get the
 * {@link #STANDARD_IMPORTS} and become a method body (with the {@code given="Type name, ..."}
 * parameters) or the members of class {@code Snippet}. Every {@code http://localhost:8080} is
 * replaced by the address of the test's server.
 */
final class SnippetSource {
    /** The imports of FRAGMENT and MEMBERS snippets; {@code docs/README.md} lists them for readers. */
    static final List<String> STANDARD_IMPORTS = List.of(
            "import static dev.eventual.Async.async;",
            "import static dev.eventual.Async.await;",
            "import dev.eventual.*;",
            "import dev.eventual.io.fetch.*;",
            "import dev.eventual.io.file.*;",
            "import dev.eventual.io.process.*;",
            "import java.nio.file.Path;",
            "import java.time.Duration;",
            "import java.util.List;",
            "import java.util.Map;",
            "import java.util.concurrent.CancellationException;",
            "import java.util.concurrent.CompletableFuture;",
            "import java.util.concurrent.CompletionStage;");

    private static final Pattern PUBLIC_TYPE =
            Pattern.compile("(?m)^public\\s+(?:final\\s+|abstract\\s+|sealed\\s+)*(?:class|record|interface|enum)\\s+(\\w+)");
    private static final Pattern FIRST_TYPE =
            Pattern.compile("(?m)^(?:final\\s+)?(?:class|record|enum)\\s+(\\w+)");
    static final String SERVER_PLACEHOLDER = "http://localhost:8080";

    final Snippet snippet;
    final String packageName;
    final String className;
    final String text;
    private final int[] markdownLine; // generated line (1-based) -> Markdown line, 0 where generated

    private SnippetSource(Snippet snippet, String packageName, String className, List<String> lines, List<Integer> origin) {
        this.snippet = snippet;
        this.packageName = packageName;
        this.className = className;
        this.text = String.join("\n", lines) + "\n";
        this.markdownLine = new int[origin.size() + 1];
        for (int i = 0; i < origin.size(); i++) {
            markdownLine[i + 1] = origin.get(i);
        }
    }

    /** The Markdown line of generated line {@code line}, or the block's first line for a generated one. */
    int markdownLine(long line) {
        return line >= 1 && line < markdownLine.length && markdownLine[(int) line] > 0
                ? markdownLine[(int) line] : snippet.line();
    }

    String binaryName() {
        return packageName.isEmpty() ? className : packageName + "." + className;
    }

    static SnippetSource of(Snippet snippet, int index, String serverUrl) {
        String pkg = "snippet.s" + index;
        List<String> out = new ArrayList<>();
        List<Integer> origin = new ArrayList<>();
        Builder b = new Builder(out, origin, snippet, serverUrl);
        if (snippet.kind() == Snippet.Kind.MODULE) { // a module declaration has no package line
            b.copy(0, snippet.code().size());
            return new SnippetSource(snippet, "", "module-info", out, origin);
        }
        b.generated("package " + pkg + ";");
        List<String> code = snippet.code();
        switch (snippet.kind()) {
            case MAIN -> {
                int body = 0;
                while (body < code.size() && isHeader(code.get(body))) {
                    body++;
                }
                b.copy(0, body);
                b.generated("public class Snippet {");
                b.generated("public static void main(String[] args) throws Exception {");
                b.copy(body, code.size());
                b.generated("}");
                b.generated("}");
                return new SnippetSource(snippet, pkg, "Snippet", out, origin);
            }
            case UNIT -> {
                b.copy(0, code.size());
                String all = String.join("\n", code);
                Matcher m = PUBLIC_TYPE.matcher(all);
                Matcher first = FIRST_TYPE.matcher(all);
                String name = m.find() ? m.group(1) : first.find() ? first.group(1) : "Snippet";
                return new SnippetSource(snippet, pkg, name, out, origin);
            }
            case FRAGMENT, MEMBERS -> {
                STANDARD_IMPORTS.forEach(b::generated);
                b.generated("public class Snippet {");
                if (snippet.kind() == Snippet.Kind.FRAGMENT) {
                    b.generated("static void snippet(" + snippet.options().getOrDefault("given", "") + ") throws Exception {");
                }
                b.copy(0, code.size());
                if (snippet.kind() == Snippet.Kind.FRAGMENT) {
                    b.generated("}");
                }
                b.generated("}");
                return new SnippetSource(snippet, pkg, "Snippet", out, origin);
            }
            default -> throw new IllegalArgumentException(snippet.where() + ": not a compiled kind: " + snippet.kind());
        }
    }

    private static boolean isHeader(String line) {
        String s = line.strip();
        return s.isEmpty() || s.startsWith("import ") || s.startsWith("//");
    }

    private record Builder(List<String> out, List<Integer> origin, Snippet snippet, String serverUrl) {
        void generated(String line) {
            out.add(line);
            origin.add(0);
        }

        void copy(int from, int to) {
            for (int i = from; i < to; i++) {
                out.add(snippet.code().get(i).replace(SERVER_PLACEHOLDER, serverUrl));
                origin.add(snippet.line() + i);
            }
        }
    }
}
