package dev.eventual.fuzz;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Counts of what the fuzzer saw, by label and value (say, label "programs", value "compared"),
 * printed at the end of a run. The printed form, one block per label, is what
 * {@code stress/fuzz_report.py} reads:
 *
 * <pre>
 * [DifferentialFuzzTest] (1000) programs =
 *     compared (951) : 95 %
 * </pre>
 *
 * <p>Values in a block are by count, largest first (ties in the order first seen); percentages are
 * of the label's total, rounded. One thread only.
 */
final class Tally {
    private final Map<String, Map<String, Integer>> counts = new LinkedHashMap<>();

    void count(String label, String value) {
        counts.computeIfAbsent(label, l -> new LinkedHashMap<>()).merge(value, 1, Integer::sum);
    }

    /** How many times {@code value} was counted under {@code label}. */
    int get(String label, String value) {
        return counts.getOrDefault(label, Map.of()).getOrDefault(value, 0);
    }

    /** How many values were counted under {@code label}. */
    int total(String label) {
        return counts.getOrDefault(label, Map.of()).values().stream().mapToInt(Integer::intValue).sum();
    }

    /** The blocks, as in the class javadoc, prefixed with {@code [source]}. */
    String format(String source) {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, Map<String, Integer>> label : counts.entrySet()) {
            int total = total(label.getKey());
            b.append('[').append(source).append("] (").append(total).append(") ").append(label.getKey()).append(" = \n");
            List<Map.Entry<String, Integer>> rows = new ArrayList<>(label.getValue().entrySet());
            rows.sort((x, y) -> Integer.compare(y.getValue(), x.getValue())); // stable: ties keep first-seen order
            for (Map.Entry<String, Integer> row : rows) {
                b.append(String.format("    %s (%d) : %d %%%n", row.getKey(), row.getValue(), Math.round(100.0 * row.getValue() / total)));
            }
        }
        return b.toString();
    }
}
