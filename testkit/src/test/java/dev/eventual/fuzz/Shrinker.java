package dev.eventual.fuzz;

import java.util.List;
import java.util.function.Predicate;

/**
 * Greedy shrinking of a failing program: from the program, try its one-step
 * {@link Simplifications} in order, and move to the first that still fails; stop when none of
 * them fails (a local minimum) or after {@code maxRuns} candidate runs.
 *
 * <p>Candidates run in batches of up to {@code batchSize}, as the fuzzer runs its programs (one
 * Node process per batch); of a batch, the first failing candidate in candidate order is taken,
 * so the result depends only on the program and on what the runs return, not on timing.
 * Every step lowers {@link Simplifications#size}, so shrinking ends even without the bound; the
 * bound keeps a failure report from taking minutes.
 *
 * @param <R> what running one program gives (its logs), which {@code fails} judges
 */
final class Shrinker<R> {
    /** Runs a batch of programs; one result per program, in order. */
    @FunctionalInterface
    interface Runner<R> {
        List<R> run(List<Program> programs) throws Exception;
    }

    /**
     * The smallest failing program found and its result, how many steps (accepted candidates)
     * led there, how many candidates ran, and whether the bound stopped the search before a
     * local minimum.
     */
    record Shrunk<R>(Program program, R result, int steps, int runs, boolean bounded) {}

    private final Runner<R> runner;
    private final Predicate<R> fails;
    private final int maxRuns;
    private final int batchSize;

    Shrinker(Runner<R> runner, Predicate<R> fails, int maxRuns, int batchSize) {
        if (maxRuns < 0 || batchSize < 1) {
            throw new IllegalArgumentException("maxRuns must be >= 0 and batchSize >= 1: " + maxRuns + ", " + batchSize);
        }
        this.runner = runner;
        this.fails = fails;
        this.maxRuns = maxRuns;
        this.batchSize = batchSize;
    }

    /** Shrinks {@code failing}, whose run gave {@code result} (which must fail). */
    Shrunk<R> shrink(Program failing, R result) throws Exception {
        if (!fails.test(result)) {
            throw new IllegalArgumentException("the program to shrink does not fail:\n" + failing);
        }
        Program current = failing;
        R currentResult = result;
        int steps = 0;
        int runs = 0;
        step:
        while (true) {
            List<Program> candidates = Simplifications.of(current);
            int from = 0;
            while (from < candidates.size()) {
                if (runs >= maxRuns) {
                    return new Shrunk<>(current, currentResult, steps, runs, true);
                }
                int size = Math.min(candidates.size() - from, Math.min(batchSize, maxRuns - runs));
                List<Program> batch = candidates.subList(from, from + size);
                List<R> results = runner.run(batch);
                runs += size;
                from += size;
                for (int i = 0; i < batch.size(); i++) {
                    if (fails.test(results.get(i))) {
                        current = batch.get(i);
                        currentResult = results.get(i);
                        steps++;
                        continue step;
                    }
                }
            }
            return new Shrunk<>(current, currentResult, steps, runs, false);
        }
    }
}
