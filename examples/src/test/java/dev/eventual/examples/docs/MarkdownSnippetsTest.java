package dev.eventual.examples.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The machinery of {@link DocSnippetsTest}: reading blocks and markers, wrapping, compiling, comparing output. */
class MarkdownSnippetsTest {
    @TempDir
    Path root;

    private List<Snippet> read(String markdown) throws IOException {
        Files.writeString(root.resolve("doc.md"), markdown);
        return MarkdownSnippets.read(root, Path.of("doc.md"));
    }

    @Test
    void read_blocksWithAndWithoutMarkers_kindsOptionsLinesAndOutput() throws IOException {
        List<Snippet> snippets = read("""
                # Title
                ```java
                System.out.println("hi");
                // Output:
                // hi
                ```
                <!-- snippet: fragment given="EventLoop loop" -->

                ```java
                loop.execute(() -> { });
                ```
                ```js
                console.log(1);
                ```
                """);
        assertThat(snippets).extracting(Snippet::kind)
                .containsExactly(Snippet.Kind.MAIN, Snippet.Kind.FRAGMENT, Snippet.Kind.OTHER);
        assertThat(snippets.get(0).line()).isEqualTo(3);
        assertThat(snippets.get(0).expectedOutput()).containsExactly("hi");
        assertThat(snippets.get(1).options()).isEqualTo(Map.of("given", "EventLoop loop"));
        assertThat(snippets.get(1).line()).isEqualTo(10);
        assertThat(snippets.get(2).language()).isEqualTo("js");
    }

    @Test
    void read_outputCommentFollowedByCode_isNoExpectedOutput() throws IOException {
        List<Snippet> snippets = read("""
                ```java
                // Output:
                // hi
                System.out.println("hi");
                ```
                """);
        assertThat(snippets.get(0).expectedOutput()).isEmpty();
    }

    @Test
    void read_misplacedUnknownOrUnclosed_failsNamingTheLine() {
        assertThatThrownBy(() -> read("<!-- snippet: unit -->\ntext\n```java\n```\n"))
                .hasMessage("doc.md:1: snippet marker not followed by a code block");
        assertThatThrownBy(() -> read("x\n<!-- snippet: program -->\n```java\n```\n"))
                .hasMessageStartingWith("doc.md:2: unknown snippet kind \"program\"");
        assertThatThrownBy(() -> read("<!-- snippet: unit -->\n```js\n```\n"))
                .hasMessage("doc.md:1: snippet marker before a js block");
        assertThatThrownBy(() -> read("```java\nint x;\n"))
                .hasMessage("doc.md:1: code block never closed");
    }

    @Test
    void compile_eachKind_andErrorsPointIntoTheDocument() throws IOException {
        List<Snippet> snippets = read("""
                ```java
                import java.util.List;

                System.out.println(List.of(1));
                // Output:
                // [1]
                ```
                <!-- snippet: unit -->
                ```java
                public class Hello {
                    public static void main(String[] args) {
                        System.out.println(Thing.NAME + " " + "http://localhost:8080/x");
                    }
                }
                class Thing {
                    static final String NAME = "thing";
                }
                // Output:
                // thing http://server/x
                ```
                <!-- snippet: members -->
                ```java
                Promise<Integer> twice(Promise<Integer> p) {
                    return p.then(n -> n * 2);
                }
                ```
                <!-- snippet: fragment given="EventLoop loop" -->
                ```java
                Timeout t = loop.setTimeout(() -> { }, Duration.ofSeconds(1));
                ```
                ```java
                List<String> notImported = null;
                ```
                """);
        List<SnippetSource> sources = new java.util.ArrayList<>();
        for (Snippet s : snippets) {
            sources.add(SnippetSource.of(s, sources.size(), "http://server"));
        }
        SnippetCompiler compiler = new SnippetCompiler();
        Map<SnippetSource, List<String>> errors = compiler.compile(sources);

        assertThat(errors).containsOnlyKeys(sources.get(4));
        assertThat(errors.get(sources.get(4))).singleElement().asString()
                .startsWith("doc.md:32: cannot find symbol").contains("List<String> notImported = null;");
        ClassLoader loader = compiler.loader();
        org.junit.jupiter.api.Assertions.assertDoesNotThrow(() -> SnippetRunner.runAndCheck(sources.get(0), loader));
        org.junit.jupiter.api.Assertions.assertDoesNotThrow(() -> SnippetRunner.runAndCheck(sources.get(1), loader));
        assertThat(sources.get(1).binaryName()).isEqualTo("snippet.s1.Hello");
    }

    @Test
    void compileModule_requiresTheLibrarysModules_andNamesAnUnknownOne() throws IOException {
        List<Snippet> snippets = read("""
                <!-- snippet: module -->
                ```java
                module my.app {
                    requires dev.eventual;
                    requires dev.eventual.io;
                }
                ```
                <!-- snippet: module -->
                ```java
                module my.app {
                    requires dev.eventual.nothing;
                }
                ```
                """);
        SnippetCompiler compiler = new SnippetCompiler();
        assertThat(compiler.compileModule(SnippetSource.of(snippets.get(0), -1, "http://server"))).isEmpty();
        assertThat(compiler.compileModule(SnippetSource.of(snippets.get(1), -1, "http://server")))
                .singleElement().asString().startsWith("doc.md:11: module not found: dev.eventual.nothing");
    }

    @Test
    void run_differentOutput_failsShowingBoth() throws IOException {
        List<Snippet> snippets = read("""
                ```java
                System.out.println("actual");
                // Output:
                // expected
                ```
                """);
        SnippetSource source = SnippetSource.of(snippets.get(0), 0, "http://server");
        SnippetCompiler compiler = new SnippetCompiler();
        assertThat(compiler.compile(List.of(source))).isEmpty();
        assertThatThrownBy(() -> SnippetRunner.runAndCheck(source, compiler.loader()))
                .hasMessageContaining("doc.md:2: the output differs")
                .hasMessageContaining("expected:\n  expected\nprinted:\n  actual");
    }

    @Test
    void run_printingOnStandardError_fails() throws IOException {
        List<Snippet> snippets = read("""
                ```java
                System.out.println("fine");
                System.err.println("but this");
                // Output:
                // fine
                ```
                """);
        SnippetSource source = SnippetSource.of(snippets.get(0), 0, "http://server");
        SnippetCompiler compiler = new SnippetCompiler();
        assertThat(compiler.compile(List.of(source))).isEmpty();
        assertThatThrownBy(() -> SnippetRunner.runAndCheck(source, compiler.loader()))
                .hasMessage("doc.md:2: printed on System.err:\nbut this\n");
    }

    @Test
    void excerpt_linesInOrderInTheNamedFile_passes_otherwiseFailsNamingTheFile() throws IOException {
        Files.writeString(root.resolve("Source.java"), "class Source {\n    int a = 1;\n    int b = 2;\n}\n");
        List<Snippet> snippets = read("""
                <!-- snippet: excerpt from="Source.java" -->
                ```java
                int a = 1;
                int b = 2;
                ```
                <!-- snippet: excerpt from="Source.java" -->
                ```java
                int b = 2;
                int a = 1;
                ```
                """);
        org.junit.jupiter.api.Assertions.assertDoesNotThrow(() -> DocSnippetsTest.checkExcerpt(root, snippets.get(0)));
        assertThatThrownBy(() -> DocSnippetsTest.checkExcerpt(root, snippets.get(1)))
                .hasMessageContaining("doc.md:8: these lines are not, in this order, in Source.java");
    }

    @Test
    void matches_ellipsisStandsForAnyText_restIsLiteral() {
        assertThat(SnippetRunner.matches("GET http://127.0.0.1:.../x", "GET http://127.0.0.1:41234/x")).isTrue();
        assertThat(SnippetRunner.matches("a.b (c)", "a.b (c)")).isTrue();
        assertThat(SnippetRunner.matches("a.b", "axb")).isFalse();
        assertThat(SnippetRunner.matches("done", "done!")).isFalse();
    }
}
