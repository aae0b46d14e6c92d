package dev.eventual.examples.docs;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

/**
 * Runs a compiled snippet's {@code main} and checks what it printed against its
 * {@code // Output:} comment, and that it printed nothing on {@code System.err} (where the loop
 * reports unhandled rejections and callbacks that threw). Both streams are captured for the run
 * (snippets run one at a time); {@code main} runs on a thread of its own so that a snippet that never returns fails
 * after a generous bound, naming the snippet, instead of hanging the build.
 */
final class SnippetRunner {
    private static final long LIVENESS_BOUND_SECONDS = 30;

    private SnippetRunner() {}

    /** Runs {@code source}'s main class; throws an {@link AssertionError} saying what differed. */
    static void runAndCheck(SnippetSource source, ClassLoader loader) throws Exception {
        Method main = loader.loadClass(source.binaryName()).getMethod("main", String[].class);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        PrintStream original = System.out;
        PrintStream originalErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        Thread thread = new Thread(() -> {
            try {
                main.invoke(null, (Object) new String[0]);
            } catch (InvocationTargetException e) {
                failure.set(e.getCause());
            } catch (ReflectiveOperationException | RuntimeException | Error e) {
                failure.set(e);
            }
        }, "snippet " + source.snippet.where());
        try {
            thread.start();
            thread.join(TimeUnit.SECONDS.toMillis(LIVENESS_BOUND_SECONDS));
        } finally {
            System.setOut(original);
            System.setErr(originalErr);
        }
        String printed = out.toString(StandardCharsets.UTF_8);
        if (thread.isAlive()) {
            thread.interrupt();
            throw new AssertionError(source.snippet.where() + ": main did not return within " + LIVENESS_BOUND_SECONDS
                    + " s; printed so far:\n" + printed);
        }
        if (failure.get() != null) {
            throw new AssertionError(source.snippet.where() + ": main threw; printed so far:\n" + printed, failure.get());
        }
        check(source.snippet, printed.lines().toList());
        String warnings = err.toString(StandardCharsets.UTF_8);
        if (!warnings.isEmpty()) { // an unhandled rejection, a task that threw: the block shows sloppy code
            throw new AssertionError(source.snippet.where() + ": printed on System.err:\n" + warnings);
        }
    }

    static void check(Snippet snippet, List<String> actual) {
        List<String> expected = snippet.expectedOutput();
        boolean same = actual.size() == expected.size();
        for (int i = 0; same && i < expected.size(); i++) {
            same = matches(expected.get(i), actual.get(i));
        }
        if (!same) {
            throw new AssertionError(snippet.where() + ": the output differs from the block's // Output: comment\n"
                    + "expected:\n  " + String.join("\n  ", expected) + "\nprinted:\n  " + String.join("\n  ", actual));
        }
    }

    /** Equal, where each {@code ...} of {@code expected} stands for any text. */
    static boolean matches(String expected, String actual) {
        String[] parts = expected.split(Pattern.quote("..."), -1);
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            regex.append(i > 0 ? ".*" : "").append(Pattern.quote(parts[i]));
        }
        return actual.matches(regex.toString());
    }
}
