package dev.eventual.soak;

import dev.eventual.Deferred;
import dev.eventual.EventLoop;
import dev.eventual.KeepAlive;
import dev.eventual.Promise;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A run-mode loop never ends with an outcome from another thread unrun: {@code rounds} (20,000
 * by default) runs of {@link EventLoop#run}, each handing one outcome over from a platform thread
 * it starts. Even rounds resolve a deferred there and then release a keep-alive; odd rounds
 * complete, there, a stage the loop adopts (the adoption holds its own keep-alive). Each round
 * checks after run returns that its handler ran exactly once. The loop's idle check is where
 * this can go wrong (see "Sleep protocol" in the EventLoopImpl overview); LoopRunExitTest hits that point
 * deterministically, this program at random, so run it on a loaded machine, e.g. pinned to one
 * core with a busy process there:
 *
 * <pre>
 * mvn -B -q -pl stress -am package -DskipTests
 * taskset -c 0 java -cp stress/target/jcstress.jar dev.eventual.soak.RunExitSoak [rounds]
 * </pre>
 * Prints the rounds and the outcomes lost; exits with 1 if any was lost.
 */
public final class RunExitSoak {
    private RunExitSoak() {}

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int lost = 0;
        int twice = 0;
        long start = System.nanoTime();
        for (int round = 0; round < rounds; round++) {
            AtomicInteger delivered = new AtomicInteger();
            boolean viaStage = (round & 1) == 1;
            EventLoop.run(() -> {
                Deferred<Object> d = Promise.withResolvers();
                d.promise().then(v -> delivered.incrementAndGet(), e -> delivered.incrementAndGet());
                if (viaStage) {
                    CompletableFuture<Object> stage = new CompletableFuture<>();
                    d.resolve(stage);
                    Thread.ofPlatform().start(() -> stage.complete("v"));
                } else {
                    KeepAlive alive = EventLoop.current().keepAlive();
                    Thread.ofPlatform().start(() -> {
                        d.resolve("v");
                        alive.close();
                    });
                }
            });
            int n = delivered.get();
            if (n == 0) {
                lost++;
                System.out.println("round " + round + " (" + (viaStage ? "stage" : "deferred")
                        + "): run returned before the outcome was delivered");
            } else if (n > 1) {
                twice++;
                System.out.println("round " + round + ": outcome delivered " + n + " times");
            }
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("RunExitSoak: %,d rounds in %,d ms, %d outcome(s) lost, %d delivered twice%n",
                rounds, millis, lost, twice);
        if (lost + twice > 0) {
            System.exit(1);
        }
    }
}
