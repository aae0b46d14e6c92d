package dev.eventual.examples.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every package of the core, io and the testkit, internal ones included (which the javadoc run leaves
 * out), has a {@code package-info.java} whose javadoc says what the package is for, and every
 * public top-level type has a javadoc comment.
 */
class PackageDocsTest {
    private static final List<String> MODULES = List.of("core", "io", "testkit");
    private static final Pattern TYPE = Pattern.compile(
            "(?m)^((?:public |final |abstract |sealed |non-sealed |static )*)(?:class|interface|record|enum|@interface) (\\w+)");
    private static final Pattern PACKAGE_DOC = Pattern.compile("(?s)/\\*\\*\\s*\\*?\\s*\\w.*?\\*/\\s*package ");

    @Test
    void everyPackage_hasAPackageInfoWithJavadoc() throws IOException {
        List<String> problems = new ArrayList<>();
        for (Path dir : packageDirs()) {
            Path info = dir.resolve("package-info.java");
            if (!Files.exists(info)) {
                problems.add(dir + ": no package-info.java");
            } else if (!PACKAGE_DOC.matcher(Files.readString(info)).find()) {
                problems.add(info + ": no javadoc comment before the package declaration");
            }
        }
        assertThat(problems).as("packages of " + MODULES + " without a package javadoc").isEmpty();
    }

    @Test
    void everyPublicType_hasAJavadocComment() throws IOException {
        List<String> problems = new ArrayList<>();
        for (Path dir : packageDirs()) {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    String source = Files.readString(file);
                    Matcher type = TYPE.matcher(source);
                    if (file.endsWith("package-info.java") || !type.find() || !type.group(1).contains("public")) {
                        continue;
                    }
                    if (!endsWithJavadoc(source.substring(0, type.start()))) {
                        problems.add(file + ": public type " + type.group(2) + " has no javadoc comment");
                    }
                }
            }
        }
        assertThat(problems).as("public types of " + MODULES + " without javadoc").isEmpty();
    }

    /** Whether the text before a declaration ends with a javadoc comment, annotations aside. */
    private static boolean endsWithJavadoc(String before) {
        String rest = before.stripTrailing();
        while (!rest.endsWith("*/")) {
            int lineStart = rest.lastIndexOf('\n') + 1;
            if (!rest.substring(lineStart).strip().startsWith("@")) {
                return false;
            }
            rest = rest.substring(0, lineStart).stripTrailing();
        }
        int open = rest.lastIndexOf("/*");
        return open >= 0 && rest.startsWith("/**", open);
    }

    private static List<Path> packageDirs() throws IOException {
        List<Path> dirs = new ArrayList<>();
        for (String module : MODULES) {
            Path sources = DocSnippetsTest.ROOT.resolve(module).resolve("src/main/java");
            try (Stream<Path> walk = Files.walk(sources)) {
                for (Path dir : walk.filter(Files::isDirectory).toList()) {
                    try (Stream<Path> files = Files.list(dir)) {
                        if (files.anyMatch(f -> f.toString().endsWith(".java") && !f.endsWith("module-info.java"))) {
                            dirs.add(dir);
                        }
                    }
                }
            }
        }
        assertThat(dirs).as("packages of " + MODULES).isNotEmpty();
        return dirs;
    }
}
