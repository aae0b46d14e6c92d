package dev.eventual.soak;

import static dev.eventual.Async.async;
import static dev.eventual.Async.await;

import dev.eventual.EventLoop;
import dev.eventual.Promise;
import dev.eventual.UnhandledRejectionHandler;
import dev.eventual.UnhandledRejectionPolicy;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Issue 15.1 at full size: {@code calls} (100,000 by default) cross-thread calls of each of the
 * four shapes, from {@code main}, each with a task or body that throws and a caller that handles
 * the failure; counts the loop's unhandled-rejection reports through its handler hook (must be
 * 0), then checks that {@code dropped} (1,000) rejected promises nobody handles are all reported
 * (when collected, or at the latest when the loop closes), and that under THROW the handled
 * calls do not close the loop. Not part of {@code mvn verify} (CrossThreadRejectionTest is its
 * small version). Run:
 *
 * <pre>
 * mvn -B -q -pl stress -am package -DskipTests
 * java -Xmx1g -ea -cp stress/target/jcstress.jar dev.eventual.soak.CrossThreadRejections [calls]
 * </pre>
 * Exits with 1 if a figure is wrong.
 */
public final class CrossThreadRejections {
    private static final int DROPPED = 1_000;

    private CrossThreadRejections() {}

    /** Counts the handler's calls. */
    private static final class Counter implements UnhandledRejectionHandler {
        final AtomicLong unhandled = new AtomicLong();
        final AtomicLong handledLater = new AtomicLong();

        @Override
        public void unhandled(Promise<?> promise, Throwable reason) {
            unhandled.incrementAndGet();
        }

        @Override
        public void handledLater(Promise<?> promise, Throwable reason) {
            handledLater.incrementAndGet();
        }
    }

    private static final class Expected extends RuntimeException {
        Expected(int i) {
            super("call " + i, null, false, false);
        }
    }

    public static void main(String[] args) throws InterruptedException {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        boolean ok = true;
        String[] shapes = {"submit(task).toCompletableFuture().join()", "await(submit(task))",
                "await(async(loop, body))", "async(loop, body).toCompletableFuture().join()"};
        for (int shape = 0; shape < shapes.length; shape++) {
            Counter counter = new Counter();
            EventLoop loop = EventLoop.builder().name("worker").unhandledRejections(UnhandledRejectionPolicy.IGNORE)
                    .onUnhandledRejection(counter).start();
            long start = System.nanoTime();
            long wrong = 0;
            for (int i = 0; i < calls; i++) {
                if (!failsAsExpected(loop, shape, i)) {
                    wrong++;
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            loop.close();
            System.out.printf("%-50s %,d calls in %.1f s: unhandled reports %,d, handled-later reports %,d, wrong outcomes %,d%n",
                    shapes[shape], calls, seconds, counter.unhandled.get(), counter.handledLater.get(), wrong);
            ok &= counter.unhandled.get() == 0 && counter.handledLater.get() == 0 && wrong == 0;
        }

        EventLoop strict = EventLoop.builder().name("strict").unhandledRejections(UnhandledRejectionPolicy.THROW).start();
        for (int i = 0; i < calls && !strict.isClosed(); i++) {
            failsAsExpected(strict, i % 4, i);
        }
        boolean closedByFalseReport = strict.isClosed();
        strict.close();
        System.out.printf("THROW policy, %,d calls of the four shapes: loop closed by a report: %s%n", calls, closedByFalseReport);
        ok &= !closedByFalseReport;

        Counter counter = new Counter();
        EventLoop loop = EventLoop.builder().name("worker").unhandledRejections(UnhandledRejectionPolicy.IGNORE)
                .onUnhandledRejection(counter).start();
        for (int i = 0; i < DROPPED; i++) {
            int n = i;
            if (i % 2 == 0) {
                loop.submit(() -> { throw new Expected(n); });
            } else {
                async(loop, () -> { throw new Expected(n); });
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (counter.unhandled.get() < DROPPED && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(20);
        }
        long whenCollected = counter.unhandled.get();
        loop.close();
        System.out.printf("%,d promises nobody handles: reported when collected %,d, by close %,d (expected %,d)%n",
                DROPPED, whenCollected, counter.unhandled.get(), DROPPED);
        ok &= counter.unhandled.get() == DROPPED;
        System.out.println(ok ? "PASS" : "FAIL");
        System.exit(ok ? 0 : 1);
    }

    /** One call of {@code shape}; true if the caller got its own failure. */
    private static boolean failsAsExpected(EventLoop loop, int shape, int i) {
        try {
            switch (shape) {
                case 0 -> loop.submit(() -> { throw new Expected(i); }).toCompletableFuture().join();
                case 1 -> await(loop.submit(() -> { throw new Expected(i); }));
                case 2 -> await(async(loop, () -> { throw new Expected(i); }));
                default -> async(loop, () -> { throw new Expected(i); }).toCompletableFuture().join();
            }
            return false;
        } catch (CompletionException e) {
            return e.getCause() instanceof Expected x && x.getMessage().equals("call " + i);
        } catch (Expected e) {
            return e.getMessage().equals("call " + i);
        }
    }
}
