package dev.eventual.io.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventual.EventLoop;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Jackson is optional: without it on the class path, fetch works and {@code json()} rejects with
 * a message that says what to add. Runs {@link #main} in a JVM whose class path is this one's
 * without the Jackson jars.
 */
class JsonWithoutJacksonTest {

    @Test
    void json_withoutJacksonOnTheClassPath_rejectsSayingWhatToAdd_whileTextStillWorks() throws Exception {
        String classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.contains("jackson"))
                .collect(Collectors.joining(File.pathSeparator));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-Dsun.net.httpserver.nodelay=true", "-cp", classPath,
                JsonWithoutJacksonTest.class.getName())
                .redirectErrorStream(true).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the child JVM ended").isTrue();
        List<String> lines = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).containsExactly(
                "jackson present: false",
                "text: {\"a\":1}",
                "json: IllegalStateException: " + JsonBinding.MISSING);
        assertThat(process.exitValue()).isZero();
    }

    /**
     * The child: fetches the same JSON as text and as json().
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        try (TestServer server = new TestServer().text("/json", 200, "application/json", "{\"a\":1}")) {
            System.out.println("jackson present: " + JsonBinding.available());
            EventLoop.run(() -> Fetch.getText(server.url("/json"))
                    .thenAccept(text -> System.out.println("text: " + text))
                    .thenCompose(v -> Fetch.fetch(server.url("/json")))
                    .thenCompose(r -> r.json().lastly(() -> r.discard()))
                    .then(value -> {
                        System.out.println("json: " + value);
                        return null;
                    }, error -> {
                        System.out.println("json: " + error.getClass().getSimpleName() + ": " + error.getMessage());
                        return null;
                    }));
        }
    }
}
