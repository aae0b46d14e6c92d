package dev.eventual.soak;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Runs the soak and leak programs, one after another in this JVM, and prints one result line per
 * soak (see {@link SoakResult}); exits with 1 if any failed. Not part of {@code mvn verify}: run
 * it with {@code stress/soak [--quick] [NAME...]}, which builds, runs this and writes the figures
 * into STRESS.md.
 *
 * <ul>
 *   <li>{@code handlers}: {@link HandlersSoak}, 10,000,000 handlers from 4 producer threads, none
 *       lost or run twice;</li>
 *   <li>{@code abandoned}: {@link AbandonedSoak}, 1,000,000 pending promises dropped while their
 *       loop runs are all collected;</li>
 *   <li>{@code closed}: {@link ClosedLoopSoak}, 100,000 promises pending when their loop closes
 *       all reject;</li>
 *   <li>{@code flat-heap}: {@link FlatHeapSoak}, mixed work for 10 minutes (1 with
 *       {@code --quick}) with a flat heap;</li>
 *   <li>{@code queue-shrink}: {@link QueueShrinkSoak}, bursts of 1,000,000 timers or microtasks
 *       leave the heap within 1 MB of an idle loop's once they are over.</li>
 * </ul>
 * {@code --quick} shortens only the mixed-work soak; the counts of the others are the same.
 */
public final class Soak {
    private Soak() {}

    public static void main(String[] args) {
        boolean quick = false;
        List<String> names = new ArrayList<>();
        for (String arg : args) {
            if (arg.equals("--quick")) {
                quick = true;
            } else if (arg.equals("--full")) {
                quick = false;
            } else {
                names.add(arg);
            }
        }
        long flatHeapSeconds = quick ? 60 : 600;
        Map<String, Supplier<SoakResult.Outcome>> soaks = new LinkedHashMap<>();
        soaks.put("handlers", () -> HandlersSoak.run(10_000_000, 4));
        soaks.put("abandoned", () -> AbandonedSoak.run(1_000_000));
        soaks.put("closed", () -> ClosedLoopSoak.run(100_000));
        soaks.put("flat-heap", () -> FlatHeapSoak.run(flatHeapSeconds));
        soaks.put("queue-shrink", QueueShrinkSoak::run);
        if (names.isEmpty()) {
            names.addAll(soaks.keySet());
        }
        for (String name : names) {
            if (!soaks.containsKey(name)) {
                System.err.println("unknown soak '" + name + "'; known: " + soaks.keySet());
                System.exit(2);
            }
        }
        boolean allPassed = true;
        for (String name : names) {
            double heapBefore = Heap.usedAfterGcMb();
            long start = System.nanoTime();
            SoakResult.Outcome outcome;
            try {
                outcome = soaks.get(name).get();
            } catch (Throwable t) {
                t.printStackTrace();
                outcome = new SoakResult.Outcome(false, "failed with " + t);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            double heapAfter = Heap.usedAfterGcMb(); // the soak returned: nothing it made is reachable
            SoakResult result = new SoakResult(name, outcome.passed(), seconds, heapBefore, heapAfter, outcome.figures());
            System.out.println(result.line());
            System.out.flush();
            allPassed &= result.passed();
        }
        System.exit(allPassed ? 0 : 1);
    }
}
