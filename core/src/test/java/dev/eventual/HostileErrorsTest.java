package dev.eventual;

import static dev.eventual.Async.async;
import static dev.eventual.Async.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Hostile use, part 1: callbacks that throw {@link Error}s. The defined outcome (EventLoop and
 * Promise javadoc, "Failures"): an Error is a value like any exception. A handler's Error rejects
 * its derived promise with that same instance; a task's, timer's, microtask's or Node-style
 * callback's Error goes to the task error handler; either way the loop goes on and nothing else
 * queued is lost. The loop cannot tell a user-thrown OutOfMemoryError from the JVM's, so it
 * treats both alike.
 */
class HostileErrorsTest {

    /** A real {@link StackOverflowError}, not a thrown instance. */
    private static int recurseForever(int depth) {
        return recurseForever(depth + 1) + 1;
    }

    @Test
    void handlersThatThrowErrors_rejectTheirDerivedPromiseWithThatError_andTheOtherHandlersStillRunInOrder() {
        AssertionError assertion = new AssertionError("assert in a handler");
        OutOfMemoryError oom = new OutOfMemoryError("user-thrown, not an exhausted heap");
        StackOverflowError thrownOverflow = new StackOverflowError("user-thrown");
        List<String> log = new ArrayList<>();
        Object[] outcomes = new Object[6];
        EventLoop.builder().unhandledRejections(UnhandledRejectionPolicy.IGNORE).run(() -> {
            Deferred<Integer> source = Promise.withResolvers();
            Promise<Integer> p = source.promise();
            List<Promise<?>> derived = List.of(
                    p.then(v -> log.add("first handler")),
                    p.then((Function<Integer, Integer>) v -> { throw assertion; }),
                    p.thenCompose(v -> { throw oom; }),
                    p.then(v -> recurseForever(v)), // a StackOverflowError raised by the JVM
                    p.lastly(() -> { throw thrownOverflow; }),
                    p.then(v -> log.add("last handler")));
            for (int i = 0; i < derived.size(); i++) {
                int index = i;
                derived.get(i).asCallback((error, value) -> outcomes[index] = error != null ? error : value);
            }
            source.resolve(1);
            EventLoop.current().setTimeout(() -> log.add("the loop went on"), 1);
        });
        assertThat(log).containsExactly("first handler", "last handler", "the loop went on");
        assertThat(outcomes[0]).isEqualTo(true);
        assertThat(outcomes[1]).isSameAs(assertion);
        assertThat(outcomes[2]).isSameAs(oom);
        assertThat(outcomes[3]).isInstanceOf(StackOverflowError.class).isNotSameAs(thrownOverflow);
        assertThat(outcomes[4]).isSameAs(thrownOverflow);
        assertThat(outcomes[5]).isEqualTo(true);
    }

    @Test
    void errorsFromTasksTimersMicrotasksAndCallbacks_goToTheTaskErrorHandler_andNothingQueuedAfterThemIsLost() {
        List<Throwable> errors = new ArrayList<>(); // the handler runs on the loop thread
        List<String> log = new ArrayList<>();
        AssertionError microtask = new AssertionError("microtask");
        AssertionError callback = new AssertionError("callback");
        OutOfMemoryError task = new OutOfMemoryError("task");
        EventLoop.builder().onTaskError(errors::add).run(() -> {
            EventLoop loop = EventLoop.current();
            loop.queueMicrotask(() -> { throw microtask; });
            loop.queueMicrotask(() -> log.add("next microtask"));
            loop.execute(() -> { throw task; });
            loop.execute(() -> log.add("next task"));
            int[] ticks = {0};
            Timeout[] interval = new Timeout[1];
            interval[0] = loop.setInterval(() -> {
                if (++ticks[0] == 3) {
                    interval[0].cancel();
                    log.add("the interval ran 3 times");
                }
                throw new StackOverflowError("interval run " + ticks[0]);
            }, 1);
            Promise.resolve(1).asCallback((error, value) -> { throw callback; });
            Promise.resolve(2).asCallback((error, value) -> log.add("next callback"));
        });
        assertThat(log).containsExactly("next microtask", "next callback", "next task", "the interval ran 3 times");
        assertThat(errors).hasSize(6);
        assertThat(errors.subList(0, 3)).containsExactly(microtask, callback, task);
        assertThat(errors.subList(3, 6)).extracting(Throwable::getMessage)
                .containsExactly("interval run 1", "interval run 2", "interval run 3");
    }

    @Test
    void errorsThrownByTheErrorHandlersThemselves_arePrintedWithTheOriginal_andTheLoopGoesOn() {
        List<String> log = new ArrayList<>();
        String printed = capturingStandardError(() -> EventLoop.builder()
                .onTaskError(e -> { throw new AssertionError("the task error handler broke on: " + e.getMessage()); })
                .onUnhandledRejection(new UnhandledRejectionHandler() {
                    @Override
                    public void unhandled(Promise<?> promise, Throwable reason) {
                        throw new OutOfMemoryError("the rejection handler broke");
                    }
                })
                .unhandledRejections(UnhandledRejectionPolicy.IGNORE)
                .run(() -> {
                    EventLoop loop = EventLoop.current();
                    loop.execute(() -> { throw new IllegalStateException("original task failure"); });
                    Promise.reject(new IllegalStateException("nobody handles this"));
                    loop.setTimeout(() -> log.add("the loop went on"), 1);
                }));
        assertThat(log).containsExactly("the loop went on");
        assertThat(printed).contains("original task failure")
                .contains("Suppressed: java.lang.AssertionError: the task error handler broke on: original task failure")
                .contains("java.lang.OutOfMemoryError: the rejection handler broke");
    }

    @Test
    void taskErrorHandlerThatRethrowsTheSameError_hasItPrinted_andTheLoopGoesOn() {
        List<String> log = new ArrayList<>();
        AssertionError assertion = new AssertionError("rethrown by the handler");
        String printed = capturingStandardError(() -> EventLoop.builder()
                .onTaskError(e -> {
                    if (e instanceof Error error) {
                        throw error; // "stop on Errors", written the obvious way
                    }
                })
                .run(() -> {
                    EventLoop loop = EventLoop.current();
                    loop.execute(() -> { throw assertion; });
                    loop.setTimeout(() -> log.add("the loop went on"), 1);
                }));
        assertThat(log).containsExactly("the loop went on");
        assertThat(printed).contains("java.lang.AssertionError: rethrown by the handler").doesNotContain("Self-suppression");
        assertThat(assertion.getSuppressed()).isEmpty();
    }

    /** A hostile reason: every way of printing it throws. */
    private static final class Unprintable extends RuntimeException {
        @Override
        public String getMessage() {
            throw new IllegalStateException("getMessage refused");
        }

        @Override
        public String toString() {
            throw new IllegalStateException("toString refused");
        }
    }

    @Test
    void exceptionThatCannotBePrinted_fromATaskOrAsAnUnhandledRejection_doesNotStopTheLoop() {
        List<String> log = new ArrayList<>();
        String printed = capturingStandardError(() -> EventLoop.builder().unhandledRejections(UnhandledRejectionPolicy.WARN).run(() -> {
            EventLoop loop = EventLoop.current();
            loop.execute(() -> { throw new Unprintable(); });
            Promise.reject(new Unprintable()); // reported unhandled under WARN: printed
            loop.setTimeout(() -> log.add("the loop went on"), 1);
        }));
        assertThat(log).containsExactly("the loop went on");
        assertThat(printed).contains("Uncaught exception in a callback").contains("Unhandled promise rejection")
                .contains(Unprintable.class.getName());
    }

    private static String capturingStandardError(Runnable body) {
        PrintStream original = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            body.run();
        } finally {
            System.setErr(original);
        }
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void mainThatThrowsAnError_isRethrownByRun_sameInstance_afterWhatWasPendingIsRejected() {
        OutOfMemoryError oom = new OutOfMemoryError("user-thrown from main");
        List<Promise<Object>> pending = new ArrayList<>();
        assertThatThrownBy(() -> EventLoop.run(() -> {
            pending.add(Promise.withResolvers().promise());
            throw oom;
        })).isSameAs(oom);
        assertThat(pending.get(0).peek()).hasValueSatisfying(outcome -> assertThat(outcome)
                .isInstanceOfSatisfying(Settled.Rejected.class, r -> assertThat(r.reason()).isInstanceOf(EventLoopClosedException.class)));
    }

    @Test
    void asyncBodyThatThrowsAnErrorAfterAnAwait_rejectsItsPromiseWithThatError() {
        AssertionError assertion = new AssertionError("from a body");
        Object[] outcome = new Object[1];
        EventLoop.run(() -> async(() -> {
            await(Promise.resolve(1));
            throw assertion;
        }).asCallback((error, value) -> outcome[0] = error));
        assertThat(outcome[0]).isSameAs(assertion);
    }

    @Test
    void unhandledErrorRejection_underThrowPolicy_endsRunWithUnhandledRejectionException_causedByThatError() {
        StackOverflowError overflow = new StackOverflowError("user-thrown, unhandled");
        assertThatThrownBy(() -> EventLoop.builder().unhandledRejections(UnhandledRejectionPolicy.THROW)
                .run(() -> Promise.resolve(1).then((Function<Integer, Integer>) v -> { throw overflow; })))
                .isInstanceOf(UnhandledRejectionException.class)
                .satisfies(e -> assertThat(e.getCause()).isSameAs(overflow));
    }
}
