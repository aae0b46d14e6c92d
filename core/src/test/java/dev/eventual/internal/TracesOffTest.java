package dev.eventual.internal;

import static dev.eventual.Async.async;
import static dev.eventual.Async.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.eventual.AsyncStackTrace;
import dev.eventual.Deferred;
import dev.eventual.EventLoop;
import dev.eventual.Promise;
import dev.eventual.Timeout;
import dev.eventual.UnhandledRejectionPolicy;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Async stack traces are off unless asked for: no stack walked, nothing attached, the loop's trace
 * field never set; and the system property turns them on. Also: whose frames count as Eventual's.
 */
class TracesOffTest {

    /** Every registration kind, each delivering a rejection to the list. */
    static void everyKind(List<Throwable> got) {
        EventLoop loop = EventLoop.current();
        Deferred<Object> d = loop.withResolvers();
        d.promise().then(v -> v).thenAccept(v -> { }).lastly(() -> { }).caught(e -> { got.add(e); return null; });
        d.promise().thenCompose(v -> loop.resolved(v)).asCallback((e, v) -> got.add(e));
        loop.setTimeout(() -> d.reject(new IllegalStateException("timer")), 1);
        Timeout interval = loop.setInterval(() -> { }, 1);
        loop.setTimeout(interval::cancel, 2);
        loop.queueMicrotask(() -> { });
        loop.execute(() -> { });
        loop.submit(() -> { throw new IllegalStateException("task"); }).caught(e -> { got.add(e); return null; });
        async(() -> {
            try {
                await(loop.rejected(new IllegalStateException("awaited")));
            } catch (IllegalStateException e) {
                got.add(e);
            }
        });
        loop.withResolvers().promise().timeout(Duration.ofMillis(1)).caught(e -> { got.add(e); return null; });
        loop.from(CompletableFuture.failedFuture(new IllegalStateException("stage"))).caught(e -> { got.add(e); return null; });
        assertThat(((EventLoopImpl) loop).traces).isFalse();
    }

    private static boolean anyTrace(List<Throwable> reasons) {
        return reasons.stream().anyMatch(r -> Arrays.stream(r.getSuppressed()).anyMatch(AsyncStackTrace.class::isInstance));
    }

    @Test
    void offByDefault_nothingIsCapturedOrAttached() {
        long walks = TraceSites.walksForTest();
        long attached = Traces.attachedForTest();
        List<Throwable> got = new ArrayList<>();
        List<Throwable> unhandled = new ArrayList<>();
        EventLoop.builder().unhandledRejections(UnhandledRejectionPolicy.IGNORE)
                .onUnhandledRejection((p, r) -> unhandled.add(r))
                .run(() -> {
                    everyKind(got);
                    EventLoop.current().submit(() -> { throw new IllegalStateException("nobody handles this"); });
                });
        assertThat(got).hasSize(6);
        assertThat(unhandled).hasSize(1);
        assertThat(anyTrace(got)).isFalse();
        assertThat(anyTrace(unhandled)).isFalse();
        assertThat(TraceSites.walksForTest()).as("stack walks with traces off").isEqualTo(walks);
        assertThat(Traces.attachedForTest()).isEqualTo(attached);
    }

    @Test
    void theBuilderTurnsThemOn() {
        long walks = TraceSites.walksForTest();
        List<Throwable> got = new ArrayList<>();
        EventLoop.builder().asyncStackTraces(true).run(() -> {
            assertThat(((EventLoopImpl) EventLoop.current()).traces).isTrue();
            EventLoop loop = EventLoop.current();
            loop.submit(() -> { throw new IllegalStateException("task"); }).caught(e -> { got.add(e); return null; });
        });
        assertThat(anyTrace(got)).isTrue();
        assertThat(TraceSites.walksForTest()).isGreaterThan(walks);
    }

    /** Run by {@link #theSystemPropertyTurnsThemOnForEveryLoop}: prints the message of the trace, or "none". */
    public static void main(String[] args) {
        List<Throwable> got = new ArrayList<>();
        EventLoop.run(() -> EventLoop.current().submit(() -> { throw new IllegalStateException("task"); })
                .caught(e -> { got.add(e); return null; }));
        System.out.println(Arrays.stream(got.get(0).getSuppressed()).filter(AsyncStackTrace.class::isInstance)
                .map(Throwable::getMessage).findFirst().orElse("none"));
    }

    @Test
    void theSystemPropertyTurnsThemOnForEveryLoop() throws Exception {
        assertThat(childPrints("-Deventual.asyncStackTraces=true")).isEqualTo("async stack (newest first): caught <- submit");
        assertThat(childPrints("-Deventual.asyncStackTraces=false")).isEqualTo("none");
    }

    private static String childPrints(String property) throws Exception {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        List<String> command = new ArrayList<>(List.of(java, property, "-cp", System.getProperty("java.class.path")));
        String modulePath = System.getProperty("jdk.module.path");
        if (modulePath != null) {
            command.addAll(List.of("-p", modulePath, "--add-modules", "ALL-MODULE-PATH"));
        }
        command.add(TracesOffTest.class.getName());
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("child ended").isTrue();
        assertThat(p.exitValue()).as("child exit; output: %s", out).isZero();
        return out;
    }

    @Test
    void whoseFramesAreEventuals() throws ClassNotFoundException {
        assertThat(TraceSites.isLibrary(EventLoopImpl.class)).isTrue();
        assertThat(TraceSites.isLibrary(Promise.class)).isTrue();
        assertThat(TraceSites.isLibrary(String.class)).isTrue();
        // the core's own tests live in the core's packages, but not in its jar: user code
        assertThat(TraceSites.isLibrary(TracesOffTest.class)).isFalse();
        assertThat(TraceSites.isLibrary(Class.forName("dev.eventual.AsyncStackTraceTest"))).isFalse();
        // a package of no library module (as dev.eventual.examples): user code
        assertThat(TraceSites.isLibrary(Class.forName("dev.eventual.tck.FlowsPublisherVerification"))).isFalse();
        assertThat(TraceSites.looksLikeTest(TracesOffTest.class)).isTrue();
        assertThat(TraceSites.looksLikeTest(EventLoopImpl.class)).isFalse();
    }
}
