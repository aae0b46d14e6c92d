package dev.eventual.examples.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every code block of {@code README.md} and {@code docs/*.md} is under test: each {@code java}
 * block is compiled (or, for an {@code excerpt}, found in the source file it comes from), and a
 * block that ends with a {@code // Output:} comment is run and must print exactly that. A
 * {@code js} block with an {@code // Output:} comment is run by Node.js, where {@code node} is
 * installed. The conventions (markers, wrappers, standard imports, the server) are written for
 * authors in {@code docs/README.md}.
 *
 * <p>A block marked {@code broken="why"} is one known not to compile: the test checks that it
 * still does not (and prints its errors), so the marker cannot outlive the fix.
 */
class DocSnippetsTest {
    static final Path ROOT = Path.of("..");
    private static DocsServer server;

    @BeforeAll
    static void startServer() {
        server = DocsServer.start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    static List<Path> documents() throws IOException {
        List<Path> docs = new ArrayList<>();
        docs.add(Path.of("README.md"));
        try (Stream<Path> files = Files.list(ROOT.resolve("docs"))) {
            files.filter(p -> p.getFileName().toString().endsWith(".md"))
                    .map(p -> Path.of("docs", p.getFileName().toString()))
                    .sorted()
                    .forEach(docs::add);
        }
        return docs;
    }

    static List<Snippet> allSnippets() throws IOException {
        List<Snippet> all = new ArrayList<>();
        for (Path doc : documents()) {
            all.addAll(MarkdownSnippets.read(ROOT, doc));
        }
        return all;
    }

    @TestFactory
    Stream<DynamicTest> everyJavaBlock_compiles_andPrintsItsOutput() throws IOException {
        List<SnippetSource> sources = new ArrayList<>();
        List<Snippet> excerpts = new ArrayList<>();
        List<SnippetSource> modules = new ArrayList<>();
        for (Snippet s : allSnippets()) {
            switch (s.kind()) {
                case OTHER -> { }
                case EXCERPT -> excerpts.add(s);
                case MODULE -> modules.add(SnippetSource.of(s, -1, server.baseUrl()));
                default -> sources.add(SnippetSource.of(s, sources.size(), server.baseUrl()));
            }
        }
        long start = System.nanoTime();
        long cpuStart = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        SnippetCompiler compiler = new SnippetCompiler();
        // The blocks known broken apart, so that the others compile in one call.
        Map<SnippetSource, List<String>> errors = new java.util.HashMap<>(compiler.compile(
                sources.stream().filter(s -> !s.snippet.options().containsKey("broken")).toList()));
        sources.stream().filter(s -> s.snippet.options().containsKey("broken"))
                .forEach(s -> errors.putAll(compiler.compile(List.of(s))));
        System.err.printf("DocSnippetsTest: %d java blocks compiled in %d ms (%d ms of CPU)%n", sources.size(),
                (System.nanoTime() - start) / 1_000_000,
                (java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpuStart) / 1_000_000);
        ClassLoader loader = compiler.loader();
        Stream<DynamicTest> compiled = sources.stream().map(s -> DynamicTest.dynamicTest(
                s.snippet.where() + " " + s.snippet.kind().name().toLowerCase(), () -> check(s, errors.get(s), loader)));
        Stream<DynamicTest> excerpted = excerpts.stream().map(s -> DynamicTest.dynamicTest(
                s.where() + " excerpt", () -> checkExcerpt(ROOT, s)));
        Stream<DynamicTest> moduleInfos = modules.stream().map(s -> DynamicTest.dynamicTest(
                s.snippet.where() + " module", () -> {
                    List<String> moduleErrors = compiler.compileModule(s);
                    check(s, moduleErrors.isEmpty() ? null : moduleErrors, loader);
                }));
        return Stream.of(compiled, excerpted, moduleInfos).flatMap(t -> t);
    }

    private static void check(SnippetSource s, List<String> errors, ClassLoader loader) throws Exception {
        String broken = s.snippet.options().get("broken");
        if (broken != null) {
            if (errors == null) {
                fail(s.snippet.where() + ": marked broken=\"" + broken + "\" but it compiles now: remove the marker");
            }
            System.err.println(s.snippet.where() + ": known not to compile (" + broken + "):\n  " + String.join("\n  ", errors));
            return;
        }
        if (errors != null) {
            fail(s.snippet.where() + ": does not compile:\n" + String.join("\n", errors)
                    + "\n(generated source:\n" + s.text + ")");
        }
        if (s.snippet.runs()) {
            assertThat(s.snippet.kind()).as(s.snippet.where() + ": only main and unit blocks can be run")
                    .isIn(Snippet.Kind.MAIN, Snippet.Kind.UNIT);
            SnippetRunner.runAndCheck(s, loader);
        }
    }

    static void checkExcerpt(Path root, Snippet s) throws IOException {
        String from = s.options().get("from");
        assertThat(from).as(s.where() + ": an excerpt names its file: from=\"path from the repository root\"").isNotNull();
        Path file = root.resolve(from);
        assertThat(file).as(s.where() + ": the excerpt's file").exists();
        List<String> source = Files.readAllLines(file).stream().map(String::strip).toList();
        List<String> excerpt = s.code().stream().map(String::strip).toList();
        assertThat(java.util.Collections.indexOfSubList(source, excerpt))
                .as(s.where() + ": these lines are not, in this order, in " + from + ":\n" + String.join("\n", s.code()))
                .isNotNegative();
    }

    @TestFactory
    Stream<DynamicTest> everyJsBlockWithOutput_printsItInNode() throws IOException {
        return allSnippets().stream()
                .filter(s -> (s.language().equals("js") || s.language().equals("javascript")) && s.runs())
                .map(s -> DynamicTest.dynamicTest(s.where() + " node", () -> runNode(s)));
    }

    private static void runNode(Snippet s) throws Exception {
        Process node;
        try {
            node = new ProcessBuilder("node", "-e", String.join("\n", s.code())).redirectErrorStream(true).start();
        } catch (IOException e) {
            Assumptions.abort(s.where() + ": node is not installed, so this JavaScript block is not run");
            return;
        }
        boolean exited = node.waitFor(30, TimeUnit.SECONDS);
        if (!exited) {
            node.destroyForcibly();
            fail(s.where() + ": node did not exit within 30 s");
        }
        String printed = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        SnippetRunner.check(s, printed.lines().toList());
    }

    @Test
    void everyDocument_hasItsJavaBlocksUnderTest() throws IOException {
        for (Path doc : documents()) {
            List<Snippet> snippets = MarkdownSnippets.read(ROOT, doc);
            if (!doc.getFileName().toString().equals("README.md")) { // the READMEs are indexes; the guides show code
                assertThat(snippets).as(doc + ": a guide without a java block").anyMatch(s -> s.language().equals("java"));
            }
            assertThat(snippets).as(doc + ": a java block the test would not take")
                    .noneMatch(s -> s.language().equals("java") && s.kind() == Snippet.Kind.OTHER);
        }
    }
}
