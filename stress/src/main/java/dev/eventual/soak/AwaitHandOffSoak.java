package dev.eventual.soak;

import static dev.eventual.Async.async;
import static dev.eventual.Async.await;

import dev.eventual.EventLoop;
import dev.eventual.Promise;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The turn hand-off between a loop thread and an async body never loses a wake-up (see "Waking"
 * in the AsyncBody overview): rounds of one body awaiting an already resolved promise
 * {@code awaits} times (each await hands the turn to the loop thread and back), for up to
 * {@code seconds}. A lost wake-up leaves both threads parked for good; a daemon thread that sees
 * no await complete for 10 s reports it and exits with 1. Run it on the default path (without
 * {@code --add-opens}, so the body's thread is a virtual thread of the JDK's scheduler and the loop
 * thread a platform thread), on a machine with at least two cores:
 *
 * <pre>
 * mvn -B -q -pl stress -am package -DskipTests
 * java -Xms512m -Xmx512m -Deventual.blockedThresholdMillis=0 -cp stress/target/jcstress.jar \
 *     dev.eventual.soak.AwaitHandOffSoak [seconds] [awaits]
 * </pre>
 * Prints the rounds and awaits done, or "hung" with the awaits done if a hand-off was lost.
 */
public final class AwaitHandOffSoak {
    private AwaitHandOffSoak() {}

    private static final AtomicLong AWAITS = new AtomicLong();

    public static void main(String[] args) {
        long seconds = args.length > 0 ? Long.parseLong(args[0]) : 120;
        int awaits = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        long start = System.nanoTime();
        Thread watch = new Thread(() -> watch(start), "await-hand-off-watch");
        watch.setDaemon(true);
        watch.start();
        int rounds = 0;
        while (System.nanoTime() - start < seconds * 1_000_000_000L) {
            EventLoop.run(() -> async(() -> {
                Promise<Integer> one = EventLoop.current().resolved(1);
                long sum = 0;
                for (int i = 0; i < awaits; i++) {
                    sum += await(one);
                    AWAITS.lazySet(AWAITS.get() + 1); // only this body writes it
                }
                if (sum != awaits) {
                    throw new IllegalStateException("awaits gave " + sum + " instead of " + awaits);
                }
            }));
            rounds++;
        }
        System.out.println("rounds " + rounds + " awaits " + AWAITS.get() + " in "
                + (System.nanoTime() - start) / 1_000_000_000L + " s: no hand-off lost");
    }

    /** Reports and exits once no await has completed for 10 s. */
    private static void watch(long start) {
        long last = -1;
        int still = 0;
        while (true) {
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            }
            long now = AWAITS.get();
            still = now == last ? still + 1 : 0;
            last = now;
            if (still == 10) {
                System.out.println("hung: no await completed for 10 s, after " + now + " awaits, "
                        + (System.nanoTime() - start) / 1_000_000_000L + " s in: a lost wake-up in the turn hand-off");
                System.out.flush();
                Runtime.getRuntime().halt(1); // the loop thread is parked for good: exit cannot run hooks that wait for it
            }
        }
    }
}
