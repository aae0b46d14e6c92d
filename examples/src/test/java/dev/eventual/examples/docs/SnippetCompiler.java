package dev.eventual.examples.docs;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Compiles snippets in memory with the JDK's compiler ({@code javax.tools}), against the test
 * class path ({@code java.class.path}: the core, io and examples classes and their
 * dependencies), at {@code --release 21} as users compile. Class files stay in memory and are
 * loaded by {@link #loader()}.
 *
 * <p>One compiler call takes all snippets (a call costs far more than a source). Errors are
 * returned per snippet, with the Markdown file and line they belong to; a batch with errors
 * produces no class files (and a syntax error hides the other units' errors), so {@link #compile}
 * then compiles each snippet alone, to report every snippet's own errors and load the good ones.
 */
final class SnippetCompiler {
    private final JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    private final Map<String, byte[]> classes = new HashMap<>();
    /** Shared by every call: it caches what it has read of the class path and the platform classes. */
    private StandardJavaFileManager standard;

    /**
     * Compiles {@code sources}; returns each failing snippet's error messages (one string per
     * error, {@code file:line: message}), keyed by source. Snippets absent from the map compiled.
     */
    Map<SnippetSource, List<String>> compile(List<SnippetSource> sources) {
        Map<SnippetSource, List<String>> errors = compileTogether(sources, classPath());
        if (errors.isEmpty() || sources.size() == 1) {
            return errors;
        }
        // A syntax error stops javac before it looks at the other units: ask each alone.
        Map<SnippetSource, List<String>> each = new LinkedHashMap<>();
        for (SnippetSource s : sources) {
            each.putAll(compileTogether(List.of(s), classPath()));
        }
        return each;
    }

    /**
     * Compiles a {@code module-info.java} alone, with the library's modules (the directories or
     * jars that hold {@code dev.eventual.Promise} and {@code dev.eventual.io.fetch.Fetch}) on the module
     * path, as an application's build would; returns its errors, empty when it compiled.
     */
    List<String> compileModule(SnippetSource moduleInfo) {
        String modulePath = String.join(File.pathSeparator,
                location(dev.eventual.Promise.class), location(dev.eventual.io.fetch.Fetch.class));
        return compileTogether(List.of(moduleInfo), List.of("--module-path", modulePath))
                .getOrDefault(moduleInfo, List.of());
    }

    private static String location(Class<?> type) {
        try {
            return new File(type.getProtectionDomain().getCodeSource().getLocation().toURI()).getPath();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException("where is " + type + "?", e);
        }
    }

    private static List<String> classPath() {
        return List.of("-classpath", System.getProperty("java.class.path"));
    }

    private Map<SnippetSource, List<String>> compileTogether(List<SnippetSource> sources, List<String> paths) {
        if (javac == null) {
            throw new IllegalStateException("no system Java compiler: the tests must run on a JDK, not a JRE");
        }
        Map<JavaFileObject, SnippetSource> units = new LinkedHashMap<>();
        for (SnippetSource s : sources) {
            units.put(new Source(s), s);
        }
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        if (standard == null) {
            standard = javac.getStandardFileManager(null, Locale.ROOT, StandardCharsets.UTF_8);
        }
        Map<String, byte[]> produced = new HashMap<>();
        var files = new ForwardingJavaFileManager<>(standard) {
            @Override
            public JavaFileObject getJavaFileForOutput(Location location, String className, JavaFileObject.Kind kind,
                    FileObject sibling) {
                return new SimpleJavaFileObject(URI.create("mem:///" + className.replace('.', '/') + kind.extension), kind) {
                    @Override
                    public OutputStream openOutputStream() {
                        return new ByteArrayOutputStream() {
                            @Override
                            public void close() {
                                produced.put(className, toByteArray());
                            }
                        };
                    }
                };
            }
        };
        List<String> options = new ArrayList<>(List.of("--release", "21", "-proc:none", "-Xlint:none", "-nowarn"));
        options.addAll(paths);
        boolean ok = javac.getTask(null, files, diagnostics, options, null, units.keySet()).call();
        Map<SnippetSource, List<String>> errors = new LinkedHashMap<>();
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            if (d.getKind() != Diagnostic.Kind.ERROR) {
                continue;
            }
            SnippetSource s = units.get(d.getSource());
            if (s == null) {
                errors.computeIfAbsent(sources.get(0), k -> new ArrayList<>()).add(d.getMessage(Locale.ROOT));
                continue;
            }
            String line = d.getLineNumber() >= 1 ? s.text.lines().skip(d.getLineNumber() - 1).findFirst().orElse("") : "";
            errors.computeIfAbsent(s, k -> new ArrayList<>()).add(s.snippet.file().toString().replace(File.separatorChar, '/')
                    + ":" + s.markdownLine(d.getLineNumber()) + ": " + d.getMessage(Locale.ROOT) + "\n    " + line.strip());
        }
        if (ok) {
            classes.putAll(produced);
        }
        return errors;
    }

    /** A class loader of every class compiled so far, child of the test's loader. */
    ClassLoader loader() {
        return new ClassLoader(getClass().getClassLoader()) {
            @Override
            protected Class<?> findClass(String name) throws ClassNotFoundException {
                byte[] bytes = classes.get(name);
                if (bytes == null) {
                    throw new ClassNotFoundException(name);
                }
                return defineClass(name, bytes, 0, bytes.length);
            }
        };
    }

    private static final class Source extends SimpleJavaFileObject {
        private final String text;

        Source(SnippetSource s) {
            super(URI.create("string:///" + (s.packageName.isEmpty() ? "" : s.packageName.replace('.', '/') + "/")
                    + s.className + ".java"), Kind.SOURCE);
            this.text = s.text;
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return text;
        }
    }
}
