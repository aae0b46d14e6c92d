package dev.eventual;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * An error raised in the loop's own bookkeeping (here: its reports on System.err, which fail with
 * an OutOfMemoryError as they may on an exhausted heap) ends the loop, and the first such error
 * is the one {@code run} throws (or the termination future holds), with the later ones (from the
 * loop's shutdown included) suppressed on it and the error being reported kept too; the loop
 * still closes and its termination future completes.
 */
class LoopFatalErrorTest {

    /** A System.err whose every write fails with a new OutOfMemoryError("print N"). */
    private static PrintStream failingErr(AtomicInteger writes) {
        return new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                throw new OutOfMemoryError("print " + writes.incrementAndGet());
            }

            @Override
            public void write(byte[] b, int off, int len) {
                throw new OutOfMemoryError("print " + writes.incrementAndGet());
            }
        }, true);
    }

    @Test
    void errorInTheLoopsReport_endsRun_withTheFirstError_andTheShutdownsErrorSuppressed() {
        AtomicInteger writes = new AtomicInteger();
        RuntimeException taskError = new IllegalStateException("the task's own exception");
        PrintStream original = System.err;
        Throwable thrown;
        System.setErr(failingErr(writes));
        try {
            // WARN: the held rejection is reported by printing it, and the printing fails.
            thrown = catchThrowable(() -> EventLoop.builder().unhandledRejections(UnhandledRejectionPolicy.WARN).run(() -> {
                EventLoop loop = EventLoop.current();
                // A rejection held by another thread, unhandled: the loop reports it when it closes,
                // and that report fails too.
                Promise<?>[] held = new Promise<?>[1];
                Thread other = Thread.ofPlatform().start(
                        () -> held[0] = loop.submit(() -> { throw new IllegalStateException("held elsewhere"); }));
                try {
                    other.join();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
                loop.execute(() -> { throw taskError; }); // its report fails: the first fatal error
                loop.execute(() -> assertThat(held[0]).isNotNull());
            }));
        } finally {
            System.setErr(original);
        }
        assertThat(thrown).as("what run threw").isInstanceOf(OutOfMemoryError.class).hasMessage("print 1");
        assertThat(thrown.getSuppressed()).as("suppressed on it").hasSize(2);
        assertThat(thrown.getSuppressed()[0]).as("the error being reported").isSameAs(taskError);
        assertThat(thrown.getSuppressed()[1]).as("the shutdown's report of the held rejection")
                .isInstanceOf(OutOfMemoryError.class).hasMessageStartingWith("print ");
    }

    @Test
    void outOfMemoryErrorWhoseReportFails_endsRun_withThatFirstError() {
        AtomicInteger writes = new AtomicInteger();
        OutOfMemoryError first = new OutOfMemoryError("raised in a callback, first");
        PrintStream original = System.err;
        Throwable thrown;
        System.setErr(failingErr(writes));
        try {
            thrown = catchThrowable(() -> EventLoop.run(() -> EventLoop.current().execute(() -> { throw first; })));
        } finally {
            System.setErr(original);
        }
        assertThat(thrown).as("what run threw").isSameAs(first);
        assertThat(thrown.getSuppressed()).as("suppressed on it: the report's failure").hasSize(1);
        assertThat(thrown.getSuppressed()[0]).hasMessage("print 1");
    }

    @Test
    void errorInTheLoopsReport_onAStartedLoop_closesIt_andTerminationHoldsTheFirstError() {
        AtomicInteger writes = new AtomicInteger();
        PrintStream original = System.err;
        System.setErr(failingErr(writes));
        EventLoop loop;
        try {
            loop = EventLoop.start("fatal");
            loop.execute(() -> { throw new IllegalStateException("reported"); });
            assertThat(loop.terminationFuture()).failsWithin(Duration.ofSeconds(10)).withThrowableThat()
                    .havingCause().isInstanceOf(OutOfMemoryError.class).withMessage("print 1");
        } finally {
            System.setErr(original);
        }
        assertThat(loop.isClosed()).isTrue();
    }
}
