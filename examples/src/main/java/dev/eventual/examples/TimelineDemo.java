package dev.eventual.examples;

import dev.eventual.EventLoop;
import dev.eventual.Timeline;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@link SeedDemo}'s scenario with its loop recording a {@link Timeline}: writes
 * {@code timeline.json} (open it in ui.perfetto.dev or {@code chrome://tracing}) and
 * {@code timeline.html} (open it in any browser; it needs no network) into the directory given
 * as the first argument, {@code target/} by default. The page draws what the seed's diagrams
 * draw by hand, for this real run: the program's own callbacks on the loop thread, each request
 * running beside it while the program goes on, and an arrow from each request to the callback
 * that received its result.
 *
 * <p>Run it with {@code mvn -q -pl examples -am compile exec:exec -Ddemo.main=dev.eventual.examples.TimelineDemo}
 * (the files go to {@code examples/target/}), or add {@code -Ddemo.args=some/dir}.
 */
public final class TimelineDemo {
    private TimelineDemo() {}

    /**
     * Runs the seed scenario with recording on and writes the two files.
     *
     * @param args the directory to write into (created if missing); {@code target} if absent or blank
     * @throws IOException if a file cannot be written
     */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 && !args[0].isBlank() ? args[0] : "target");
        Timeline timeline = Timeline.create();
        SeedDemo.run(EventLoop.builder().record(timeline));
        Files.createDirectories(dir);
        Path json = dir.resolve("timeline.json");
        Path html = dir.resolve("timeline.html");
        timeline.writeJson(json);
        timeline.writeHtml(html);
        System.out.println("timeline: " + timeline.size() + " events; wrote " + json.toAbsolutePath() + " (open it in"
                + " ui.perfetto.dev) and " + html.toAbsolutePath() + " (open it in a browser)");
    }
}
