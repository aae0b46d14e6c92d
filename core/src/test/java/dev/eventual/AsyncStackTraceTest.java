package dev.eventual;

import static dev.eventual.Async.async;
import static dev.eventual.Async.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Async stack traces (EventLoop.Builder#asyncStackTraces): a rejection that reaches user code
 * carries one {@link AsyncStackTrace} whose frames are the user's registration lines, newest first.
 * Each registration is written on the same line as the {@code here()} call that records its line.
 */
class AsyncStackTraceTest {
    private static final String FILE = "AsyncStackTraceTest.java";

    /** The line of the caller. */
    private static int here() {
        return StackWalker.getInstance().walk(s -> s.skip(1).findFirst()).orElseThrow().getLineNumber();
    }

    private static void runTraced(Runnable main) {
        EventLoop.builder().asyncStackTraces(true).run(main);
    }

    private static AsyncStackTrace traceOf(Throwable reason) {
        List<AsyncStackTrace> traces = Arrays.stream(reason.getSuppressed())
                .filter(AsyncStackTrace.class::isInstance).map(AsyncStackTrace.class::cast).toList();
        assertThat(traces).as("AsyncStackTrace suppressed on %s", reason).hasSize(1);
        return traces.get(0);
    }

    /** The line numbers of a trace's frames in this file, newest first. */
    private static List<Integer> lines(AsyncStackTrace trace) {
        List<Integer> lines = new ArrayList<>();
        for (StackTraceElement e : trace.getStackTrace()) {
            assertThat(e.getFileName()).as("frame %s of %s", e, trace.getMessage()).isEqualTo(FILE);
            lines.add(e.getLineNumber());
        }
        return lines;
    }

    private static String printed(Throwable t) {
        StringWriter out = new StringWriter();
        t.printStackTrace(new PrintWriter(out));
        return out.toString();
    }

    // ------------------------------------------------------------------ the program

    @Test
    void threeHops_setTimeoutThenComposeOntoAFailingSubmitAndAwait_printTheUsersThreeLinesInOrder() {
        AtomicReference<Throwable> caught = new AtomicReference<>();
        int[] line = new int[3];
        runTraced(() -> {
            EventLoop loop = EventLoop.current();
            Deferred<String> ready = loop.withResolvers();
            loop.setTimeout(() -> ready.resolve("go"), 1); line[0] = here();
            Promise<String> failed = ready.promise().thenCompose(v -> loop.submit(() -> { throw new IOException("disk full"); })); line[1] = here();
            async(() -> {
                try {
                    line[2] = here(); await(failed);
                } catch (AwaitException e) {
                    caught.set(e.getCause());
                }
            });
        });
        Throwable reason = caught.get();
        assertThat(reason).isInstanceOf(IOException.class).hasMessage("disk full");
        AsyncStackTrace trace = traceOf(reason);
        assertThat(lines(trace)).containsExactly(line[2], line[1], line[0]);
        assertThat(trace.getMessage()).isEqualTo("async stack (newest first): await <- submit <- setTimeout");

        // Printed as every logger prints it: the three lines in order, nothing of Eventual between.
        String text = printed(reason);
        String suppressed = text.substring(text.indexOf("Suppressed: dev.eventual.AsyncStackTrace"));
        List<String> frames = suppressed.lines().skip(1).takeWhile(l -> l.trim().startsWith("at ")).toList();
        assertThat(frames).hasSize(3);
        for (int i = 0; i < 3; i++) {
            assertThat(frames.get(i)).contains(FILE + ":" + line[2 - i] + ")");
        }
        assertThat(suppressed.lines().limit(4)).noneMatch(l -> l.contains("dev.eventual.internal") || l.contains("dev.eventual.Async."));
        // The reason's own frames (the task that threw) are left as they are.
        assertThat(reason.getStackTrace()[0].getMethodName()).startsWith("lambda$");
    }

    @Test
    void submitOnItsOwnLine_isAHopOfItsOwn_andTheHandlerThatCalledItFollows() {
        AtomicReference<Throwable> caught = new AtomicReference<>();
        int[] line = new int[4];
        runTraced(() -> {
            EventLoop loop = EventLoop.current();
            Deferred<String> ready = loop.withResolvers();
            loop.setTimeout(() -> ready.resolve("go"), 1); line[0] = here();
            Function<String, Promise<String>> work = v -> loop.submit(() -> { throw new IOException("disk full"); }); line[1] = here();
            Promise<String> failed = ready.promise().thenCompose(work); line[2] = here();
            failed.caught(e -> { caught.set(e); return null; }); line[3] = here();
        });
        AsyncStackTrace trace = traceOf(caught.get());
        // caught <- submit (the task that threw) <- thenCompose (its handler called submit) <- setTimeout
        assertThat(lines(trace)).containsExactly(line[3], line[1], line[2], line[0]);
        assertThat(trace.getMessage()).isEqualTo("async stack (newest first): caught <- submit <- thenCompose <- setTimeout");
    }

    // ------------------------------------------------------------------ each registration

    /** Runs {@code main} traced; it passes a rejection to the consumer given; returns that reason. */
    private static Throwable deliveredIn(Consumer<Consumer<Throwable>> main) {
        AtomicReference<Throwable> got = new AtomicReference<>();
        runTraced(() -> main.accept(got::set));
        assertThat(got.get()).as("a rejection was delivered").isNotNull();
        return got.get();
    }

    private static RuntimeException boom() {
        return new RuntimeException("boom");
    }

    @Test
    void then_thenAccept_andCaught_areHopsOfAPassingRejection() {
        int[] line = new int[4];
        Throwable reason = deliveredIn(sink -> {
            EventLoop loop = EventLoop.current();
            Deferred<Integer> d = loop.withResolvers();
            Promise<Integer> p = d.promise().then(v -> v + 1); line[0] = here();
            Promise<Void> q = p.thenAccept(v -> { }); line[1] = here();
            q.caught(e -> { sink.accept(e); return null; }); line[2] = here();
            loop.setTimeout(() -> d.reject(boom()), 1); line[3] = here();
        });
        AsyncStackTrace trace = traceOf(reason);
        assertThat(lines(trace)).containsExactly(line[2], line[1], line[0], line[3]);
        assertThat(trace.getMessage()).isEqualTo("async stack (newest first): caught <- thenAccept <- then <- setTimeout");
    }

    @Test
    void thenWithOnRejected_caughtOfAType_andCaughtCompose_receiveTheTrace() {
        int[] line = new int[3];
        List<Throwable> got = new ArrayList<>();
        runTraced(() -> {
            EventLoop loop = EventLoop.current();
            loop.rejected(boom()).then(v -> v, e -> { got.add(e); return null; }); line[0] = here();
            loop.rejected(new IllegalStateException("typed")).caught(IllegalStateException.class, e -> { got.add(e); return null; }); line[1] = here();
            loop.rejected(boom()).caughtCompose(e -> { got.add(e); return loop.resolved(null); }); line[2] = here();
        });
        assertThat(got).hasSize(3);
        for (int i = 0; i < 3; i++) {
            assertThat(lines(traceOf(got.get(i)))).first().isEqualTo(line[i]);
        }
    }

    @Test
    void caughtOfAnotherType_passesTheRejectionOn_withoutAttaching() {
        AtomicReference<Throwable> got = new AtomicReference<>();
        int[] line = new int[2];
        runTraced(() -> {
            EventLoop loop = EventLoop.current();
            Promise<Object> p = loop.rejected(boom()).caught(IllegalStateException.class, e -> null); line[0] = here();
            p.caught(e -> { assertThat(e.getSuppressed()).hasSize(1); got.set(e); return null; }); line[1] = here();
        });
        assertThat(lines(traceOf(got.get()))).containsExactly(line[1], line[0]);
    }

    @Test
    void lastly_isAHop() {
        int[] line = new int[2];
        Throwable reason = deliveredIn(sink -> {
            EventLoop loop = EventLoop.current();
            Promise<Object> p = loop.rejected(boom()).lastly(() -> { }); line[0] = here();
            p.caught(e -> { sink.accept(e); return null; }); line[1] = here();
        });
        AsyncStackTrace trace = traceOf(reason);
        assertThat(lines(trace)).containsExactly(line[1], line[0]);
        assertThat(trace.getMessage()).isEqualTo("async stack (newest first): caught <- lastly");
    }

    @Test
    void asCallback_receivesTheTraceWithItsError() {
        AtomicReference<Throwable> got = new AtomicReference<>();
        int[] line = new int[2];
        runTraced(() -> {
            Promise<Object> p = EventLoop.current().submit(() -> { throw boom(); }); line[0] = here();
            p.asCallback((error, value) -> got.set(error)); line[1] = here();
        });
        assertThat(lines(traceOf(got.get()))).containsExactly(line[1], line[0]);
        assertThat(traceOf(got.get()).getMessage()).isEqualTo("async stack (newest first): asCallback <- submit");
    }

    @Test
    void setInterval_queueMicrotask_andExecute_areTheRaisingSites() {
        int[] line = new int[3];
        List<Throwable> got = new ArrayList<>();
        runTraced(() -> {
            EventLoop loop = EventLoop.current();
            Deferred<Object> a = loop.withResolvers();
            Deferred<Object> b = loop.withResolvers();
            Deferred<Object> c = loop.withResolvers();
            Timeout[] interval = new Timeout[1];
            interval[0] = loop.setInterval(() -> { interval[0].cancel(); a.reject(boom()); }, 1); line[0] = here();
            loop.queueMicrotask(() -> b.reject(boom())); line[1] = here();
            loop.execute(() -> c.reject(boom())); line[2] = here();
            for (Deferred<Object> d : List.of(a, b, c)) {
                d.promise().caught(e -> { got.add(e); return null; });
            }
        });
        assertThat(got).hasSize(3);
        // b (microtask) settles first, then c (task), then a (interval)
        assertThat(traceOf(got.get(0)).getMessage()).endsWith("caught <- queueMicrotask");
        assertThat(lines(traceOf(got.get(0))).get(1)).isEqualTo(line[1]);
        assertThat(traceOf(got.get(1)).getMessage()).endsWith("caught <- execute");
        assertThat(lines(traceOf(got.get(1))).get(1)).isEqualTo(line[2]);
        assertThat(traceOf(got.get(2)).getMessage()).endsWith("caught <- setInterval");
        assertThat(lines(traceOf(got.get(2))).get(1)).isEqualTo(line[0]);
    }

    @Test
    void async_theBodyThatThrew_andTimeout_theTimerThatFired() {
        int[] line = new int[4];
        List<Throwable> got = new ArrayList<>();
        runTraced(() -> {
            EventLoop loop = EventLoop.current();
            Promise<Object> body = async(() -> { throw new IllegalStateException("body"); }); line[0] = here();
            body.caught(e -> { got.add(e); return null; }); line[1] = here();
            Promise<Object> slow = loop.withResolvers().promise().timeout(Duration.ofMillis(5)); line[2] = here();
            slow.caught(e -> { got.add(e); return null; }); line[3] = here();
        });
        assertThat(got).hasSize(2);
        assertThat(lines(traceOf(got.get(0)))).containsExactly(line[1], line[0]);
        assertThat(traceOf(got.get(0)).getMessage()).isEqualTo("async stack (newest first): caught <- async");
        assertThat(got.get(1)).isInstanceOf(AsyncTimeoutException.class);
        assertThat(lines(traceOf(got.get(1)))).containsExactly(line[3], line[2]);
        assertThat(traceOf(got.get(1)).getMessage()).isEqualTo("async stack (newest first): caught <- timeout");
    }

    @Test
    void from_namesTheLineThatMadeTheStagesPromise() {
        int[] line = new int[2];
        CompletableFuture<String> future = new CompletableFuture<>();
        Throwable reason = deliveredIn(sink -> {
            EventLoop loop = EventLoop.current();
            Promise<String> p = loop.from(future); line[0] = here();
            p.caught(e -> { sink.accept(e); return null; }); line[1] = here();
            new Thread(() -> future.completeExceptionally(new UncheckedIOException(new IOException("far away")))).start();
        });
        assertThat(lines(traceOf(reason))).containsExactly(line[1], line[0]);
        assertThat(traceOf(reason).getMessage()).isEqualTo("async stack (newest first): caught <- from");
    }

    @Test
    void joinOnToCompletableFuture_throwsTheReasonWithTheTrace() throws Exception {
        EventLoop loop = EventLoop.builder().asyncStackTraces(true).daemon(true).start();
        try {
            int[] line = new int[2];
            CompletableFuture<Object> future = loop.submit(() -> {
                Promise<Object> p = EventLoop.current().submit(() -> { throw boom(); }); line[0] = here();
                return p;
            }).thenCompose(p -> p).toCompletableFuture(); line[1] = here();
            Throwable thrown = null;
            try {
                future.get(30, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                thrown = e.getCause();
            }
            assertThat(thrown).hasMessage("boom");
            AsyncStackTrace trace = traceOf(thrown);
            assertThat(trace.getMessage()).startsWith("async stack (newest first): toCompletableFuture <- ");
            assertThat(lines(trace)).startsWith(line[1]).contains(line[0]);
            Throwable joined = null;
            try {
                future.join();
            } catch (CompletionException e) {
                joined = e.getCause();
            }
            assertThat(joined).isSameAs(thrown);
        } finally {
            loop.close();
        }
    }

    @Test
    void aHandlerRegisteredFromAnotherThread_onAPromiseRejectedBefore_namesWhatRejectedIt() throws Exception {
        EventLoop loop = EventLoop.builder().asyncStackTraces(true).daemon(true)
                .unhandledRejections(UnhandledRejectionPolicy.IGNORE).start();
        try {
            int[] line = new int[2];
            Promise<Object> p = loop.submit(() -> { throw boom(); }); line[0] = here();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30); // liveness bound only
            while (p.state() != Promise.State.REJECTED && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            assertThat(p.state()).as("the submitted task's promise").isEqualTo(Promise.State.REJECTED);
            CompletableFuture<Throwable> got = new CompletableFuture<>();
            p.caught(e -> { got.complete(e); return null; }); line[1] = here(); // not the loop's thread
            Throwable reason = got.get(30, TimeUnit.SECONDS);
            assertThat(lines(traceOf(reason))).containsExactly(line[1], line[0]);
            assertThat(traceOf(reason).getMessage()).isEqualTo("async stack (newest first): caught <- submit");
        } finally {
            loop.close();
        }
    }

    @Test
    void theUnhandledRejectionReport_carriesTheTrace() {
        AtomicReference<Throwable> reported = new AtomicReference<>();
        int[] line = new int[1];
        EventLoop.builder().asyncStackTraces(true).unhandledRejections(UnhandledRejectionPolicy.IGNORE)
                .onUnhandledRejection((promise, reason) -> reported.set(reason))
                .run(() -> {
                    EventLoop.current().submit(() -> { throw boom(); }); line[0] = here();
                });
        AsyncStackTrace trace = traceOf(reported.get());
        assertThat(lines(trace)).containsExactly(line[0]);
        assertThat(trace.getMessage()).isEqualTo("async stack (newest first): submit");
    }

    // ------------------------------------------------------------------ one trace per reason

    @Test
    void aReasonThatTravelsThroughManyPromises_carriesOneTrace_updatedAtEachDelivery() {
        AtomicReference<Throwable> last = new AtomicReference<>();
        int[] line = new int[2];
        runTraced(() -> {
            EventLoop loop = EventLoop.current();
            RuntimeException reason = boom();
            Promise<Object> p = loop.rejected(reason);
            for (int i = 0; i < 5; i++) {
                p = p.caught(e -> { throw (RuntimeException) e; }); // rethrown: delivered five times
            }
            p.caught(e -> { last.set(e); return null; }); line[0] = here();
        });
        Throwable reason = last.get();
        assertThat(reason.getSuppressed()).hasSize(1);
        assertThat(lines(traceOf(reason)).get(0)).isEqualTo(line[0]);
    }

    @Test
    void aReasonSharedByTwoChains_carriesOneTrace_ofTheNewestDelivery() {
        List<Throwable> got = new ArrayList<>();
        List<String> messages = new ArrayList<>();
        int[] line = new int[2];
        runTraced(() -> {
            EventLoop loop = EventLoop.current();
            Promise<Object> shared = loop.rejected(boom());
            shared.caught(e -> { got.add(e); messages.add(traceOf(e).getStackTrace()[0].toString()); return null; }); line[0] = here();
            shared.then(v -> v).caught(e -> { got.add(e); messages.add(traceOf(e).getStackTrace()[0].toString()); return null; }); line[1] = here();
        });
        assertThat(got).hasSize(2);
        assertThat(got.get(0)).isSameAs(got.get(1));
        assertThat(got.get(0).getSuppressed()).hasSize(1);
        // Each handler saw its own chain when it ran.
        assertThat(messages.get(0)).contains(FILE + ":" + line[0]);
        assertThat(messages.get(1)).contains(FILE + ":" + line[1]);
    }

    @Test
    void anError_getsATrace_butAVirtualMachineError_andAReasonWithoutSuppression_doNot() {
        List<Throwable> got = new ArrayList<>();
        runTraced(() -> {
            EventLoop loop = EventLoop.current();
            Consumer<Throwable> reject = r -> loop.rejected(r).caught(e -> { got.add(e); return null; });
            reject.accept(new AssertionError("an error"));
            reject.accept(new StackOverflowError("deep"));
            reject.accept(new RuntimeException("quiet", null, false, true) { });
        });
        assertThat(got).hasSize(3);
        assertThat(traceOf(got.get(0)).getMessage()).isEqualTo("async stack (newest first): caught");
        assertThat(got.get(1).getSuppressed()).isEmpty();
        assertThat(got.get(2).getSuppressed()).isEmpty();
    }

    @Test
    void aChainThatKeepsGrowing_keepsAtMost64Sites() {
        AtomicReference<Throwable> got = new AtomicReference<>();
        runTraced(() -> {
            EventLoop loop = EventLoop.current();
            Deferred<Object> end = loop.withResolvers();
            Runnable[] step = new Runnable[1];
            int[] left = {1_000};
            step[0] = () -> {
                if (--left[0] == 0) {
                    end.reject(boom());
                } else {
                    loop.setTimeout(step[0], 0); // each timer set by the one before: a 1000-link chain
                }
            };
            loop.setTimeout(step[0], 0);
            end.promise().caught(e -> { got.set(e); return null; });
        });
        AsyncStackTrace trace = traceOf(got.get());
        assertThat(trace.getStackTrace().length).isBetween(1, 64);
    }
}
