package dev.eventual.soak;

import java.util.Locale;

/**
 * What one soak measured, printed by {@link Soak} as one tab-separated line that
 * {@code stress/soak_report.py} turns into a row of STRESS.md:
 * {@code SOAK name PASS|FAIL seconds heapBeforeMb heapAfterMb figures}.
 *
 * {@link Soak} measures the time and the heap around each soak; the soak itself returns its
 * {@link Outcome}.
 *
 * @param name the soak's name, as given on the command line
 * @param passed whether every check of the soak held
 * @param seconds how long the soak ran, measured with {@code System.nanoTime}
 * @param heapBeforeMb used heap after GC before the soak
 * @param heapAfterMb used heap after GC once the soak returned (everything it made unreachable)
 * @param figures the counts, in words, e.g. "10,000,000 handlers; lost 0; run twice 0"
 */
record SoakResult(String name, boolean passed, double seconds, double heapBeforeMb, double heapAfterMb, String figures) {

    /** What a soak returns: whether every check held, and its figures in words. */
    record Outcome(boolean passed, String figures) {}

    String line() {
        return String.format(Locale.ROOT, "SOAK\t%s\t%s\t%.1f\t%.1f\t%.1f\t%s",
                name, passed ? "PASS" : "FAIL", seconds, heapBeforeMb, heapAfterMb, figures);
    }

    /** Formats a count with thousands separators, as the report does. */
    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}
