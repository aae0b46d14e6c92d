package dev.eventual.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class QuickStartTest {

    @Test
    void main_printsSyncThenMicrotaskThenTimerChainThenFinally() {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            QuickStart.main(new String[0]);
        } finally {
            System.setOut(original);
        }
        assertThat(captured.toString(StandardCharsets.UTF_8).lines())
                .containsExactly("sync: first of all", "microtask: before any timer", "84", "done");
    }

    @Test
    void readme_quickStartIsTheCodeOfQuickStartMain() throws Exception {
        Path readme = Path.of("..", "README.md");
        String source = Files.readString(Path.of("src/main/java/dev/eventual/examples/QuickStart.java"));
        String body = source.substring(source.indexOf("        EventLoop.run("), source.indexOf("});") + 3);
        String unindented = body.lines().map(line -> line.length() >= 8 ? line.substring(8) : line.strip())
                .reduce((a, b) -> a + "\n" + b).orElseThrow();
        assertThat(Files.readString(readme)).contains(unindented);
    }
}
