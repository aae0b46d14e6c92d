package dev.eventual.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class AsyncQuickStartTest {

    @Test
    void main_printsTheSumOfTwoAwaitedNumbers() {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            AsyncQuickStart.main(new String[0]);
        } finally {
            System.setOut(original);
        }
        assertThat(captured.toString(StandardCharsets.UTF_8).lines()).containsExactly("42");
    }

    @Test
    void readme_asyncAwaitExampleIsTheCodeOfTotal() throws Exception {
        String source = Files.readString(Path.of("src/main/java/dev/eventual/examples/AsyncQuickStart.java"));
        int start = source.indexOf("    Promise<Integer> total() {");
        String method = source.substring(start, source.indexOf("\n    }\n", start) + 6);
        String unindented = method.lines().map(line -> line.length() >= 4 ? line.substring(4) : line.strip())
                .reduce((a, b) -> a + "\n" + b).orElseThrow();
        assertThat(Files.readString(Path.of("..", "README.md"))).contains(unindented);
    }
}
