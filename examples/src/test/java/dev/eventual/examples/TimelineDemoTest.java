package dev.eventual.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@link TimelineDemo} once into a temporary directory, then checks what it wrote: the
 * trace JSON (valid, with the seed's requests, the loop's turns and the arrows between them),
 * the page (self-contained), and, where Chromium is installed, the page as a browser draws it
 * ({@code scripts/timeline-screenshot}).
 */
class TimelineDemoTest {
    @TempDir
    static Path dir;
    private static List<JsonNode> events;

    @BeforeAll
    static void runDemo() throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            TimelineDemo.main(new String[] {dir.toString()});
        } finally {
            System.setOut(original);
        }
        assertThat(captured.toString(StandardCharsets.UTF_8)).contains("timeline: ", "timeline.json", "timeline.html");
        events = new ArrayList<>();
        new ObjectMapper().readTree(Files.readString(dir.resolve("timeline.json"))).get("traceEvents").forEach(events::add);
    }

    private static List<JsonNode> where(String ph, String namePattern) {
        Pattern p = Pattern.compile(namePattern);
        return events.stream().filter(e -> e.get("ph").asText().equals(ph) && p.matcher(e.get("name").asText()).find()).toList();
    }

    @Test
    void json_hasEveryRequestFromStartToTheTurnThatReceivedIt() {
        for (String path : List.of("/users/1", "/users/2", "/users/3", "/missing/4", "/users/5", "/users/6", "/missing/7")) {
            assertThat(where("B", "^GET http://127\\.0\\.0\\.1:\\d+" + path + "$")).as("the request of " + path).hasSize(1);
            assertThat(where("E", path + "$")).as("its end").hasSize(1);
            assertThat(where("X", "^result of GET .*" + path + "$")).as("the turn that received " + path).hasSize(1);
        }
        assertThat(where("X", "^main program$")).hasSize(1);
        assertThat(where("X", "^async body starts$")).hasSize(1);
        assertThat(where("X", "^waiting at await$")).hasSizeGreaterThanOrEqualTo(2);
        assertThat(where("X", "^microtask checkpoint$")).isNotEmpty();
        // an arrow from what started each request, and one from each request to its receiver
        assertThat(events.stream().filter(e -> e.get("ph").asText().equals("s") && e.get("cat").asText().equals("cause")))
                .hasSizeGreaterThanOrEqualTo(7);
        assertThat(events.stream().filter(e -> e.get("ph").asText().equals("f") && e.get("cat").asText().equals("result")))
                .hasSize(7);
        assertThat(events.stream().filter(e -> e.get("ph").asText().equals("M") && e.get("name").asText().equals("thread_name"))
                .map(e -> e.get("args").get("name").asText()))
                .contains("your program, on the loop thread 'main'", "HTTP request 1")
                .anyMatch(name -> name.startsWith("async body 1"));
    }

    @Test
    void html_isOnePageThatLoadsNothing() throws IOException {
        String html = Files.readString(dir.resolve("timeline.html"));
        assertThat(html).startsWith("<!DOCTYPE html>").contains("el(\"svg\"", "const DATA = {", "GET http://127.0.0.1:");
        assertThat(Pattern.compile("(?i)(src|href)\\s*=\\s*[\"']?\\s*(https?:)?//").matcher(html).find())
                .as("a src or href to the network").isFalse();
        assertThat(html).doesNotContain("<link", "@import");
        assertThat(Pattern.compile("url\\(\\s*['\"]?(?!#)").matcher(html).find()).as("a url() other than a #fragment").isFalse();
    }

    @Test
    void html_drawsInARealBrowser_withLanesAndArrows() throws Exception {
        Path script = Path.of("..", "scripts", "timeline-screenshot").toAbsolutePath().normalize();
        Process find = new ProcessBuilder(script.toString(), "--find").redirectErrorStream(true).start();
        String found = new String(find.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(find.waitFor(60, TimeUnit.SECONDS)).isTrue();
        Assumptions.assumeTrue(find.exitValue() == 0, "no Chromium here (" + found + "): the page is not rendered");

        Path png = dir.resolve("timeline.png");
        Process shot = new ProcessBuilder(script.toString(), dir.resolve("timeline.html").toString(), png.toString())
                .redirectErrorStream(true).start();
        String output = new String(shot.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(shot.waitFor(120, TimeUnit.SECONDS)).as("the screenshot script ended").isTrue();
        assertThat(shot.exitValue()).as(output).isZero();
        assertThat(output).containsPattern("drew \\d+ lanes and \\d+ arrows");
        int lanes = Integer.parseInt(output.replaceAll("(?s).*drew (\\d+) lanes.*", "$1"));
        int arrows = Integer.parseInt(output.replaceAll("(?s).*and (\\d+) arrows.*", "$1"));
        assertThat(lanes).as("the loop, the async body and at least one request lane").isGreaterThanOrEqualTo(3);
        assertThat(arrows).as("7 requests started and 7 results received").isGreaterThanOrEqualTo(14);
        byte[] bytes = Files.readAllBytes(png);
        assertThat(bytes.length).isGreaterThan(10_000);
        assertThat(new String(bytes, 1, 3, StandardCharsets.US_ASCII)).isEqualTo("PNG");
    }
}
