package dev.eventual.io.file;

import dev.eventual.EventLoop;
import dev.eventual.Promise;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The programs that {@link AsyncFilesFaultsTest} runs in a child JVM, where the test needs what
 * its own JVM cannot give: a pipe as standard input, a small heap, a low descriptor limit. Each
 * prints what it observed on standard output, one {@code key: value} per line.
 *
 * <ul>
 * <li>{@code stdin}: {@code readString("/dev/stdin")}; prints {@code text: ...} (escaped) or
 *     {@code error: ...}.
 * <li>{@code oom OPERATION FILE}: runs {@code readString}, {@code readBytes} or {@code lines} on
 *     {@code FILE}; prints the rejection's class, message and cause's class.
 * <li>{@code many DIR N}: {@code N} concurrent {@code readString} of {@code DIR/f<i>.txt} (each
 *     holds {@code "file <i>"}); prints how many succeeded and the first failure.
 * </ul>
 */
public final class FileFaultChild {
    private FileFaultChild() {}

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "stdin" -> stdin();
            case "oom" -> oom(args[1], Path.of(args[2]));
            case "many" -> many(Path.of(args[1]), Integer.parseInt(args[2]));
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        }
    }

    private static void stdin() {
        AtomicReference<String> out = new AtomicReference<>();
        EventLoop.run(() -> AsyncFiles.readString(Path.of("/dev/stdin")).asCallback((error, text) ->
                out.set(error != null ? "error: " + error : "text: " + text.replace("\n", "\\n"))));
        System.out.println(out.get());
    }

    private static void oom(String operation, Path file) {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        EventLoop.run(() -> {
            Promise<?> p = switch (operation) {
                case "readString" -> AsyncFiles.readString(file);
                case "readBytes" -> AsyncFiles.readBytes(file);
                case "lines" -> AsyncFiles.lines(file, line -> { });
                default -> throw new IllegalArgumentException(operation);
            };
            p.asCallback((error, value) -> failure.set(error));
        });
        Throwable t = failure.get();
        System.out.println("class: " + (t == null ? "none" : t.getClass().getName()));
        System.out.println("message: " + (t == null ? "" : t.getMessage()));
        System.out.println("cause: " + (t == null || t.getCause() == null ? "none" : t.getCause().getClass().getName()));
    }

    private static void many(Path dir, int count) {
        AtomicInteger ok = new AtomicInteger();
        AtomicReference<Throwable> first = new AtomicReference<>();
        EventLoop.run(() -> {
            for (int i = 0; i < count; i++) {
                String expected = "file " + i;
                AsyncFiles.readString(dir.resolve("f" + i + ".txt")).asCallback((error, text) -> {
                    if (error == null && text.equals(expected)) {
                        ok.incrementAndGet();
                    } else if (error != null) {
                        first.compareAndSet(null, error);
                    }
                });
            }
        });
        System.out.println("ok: " + ok.get());
        System.out.println("first failure: " + first.get());
    }

    /** Writes the files {@code many} reads. */
    static void writeMany(Path dir, int count) throws java.io.IOException {
        for (int i = 0; i < count; i++) {
            Files.writeString(dir.resolve("f" + i + ".txt"), "file " + i);
        }
    }
}
