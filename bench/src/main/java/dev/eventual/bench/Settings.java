package dev.eventual.bench;

/**
 * The JMH settings every scenario of the fair harness shares (BENCHMARKS.md says why): three forks,
 * so that a fork's own JIT and heap layout show in the error; ten warm-up iterations of one second,
 * which the warm-up check of bench/run shows levelling off for every column; five measured ones.
 * {@code bench/run --quick} overrides them on the command line.
 */
final class Settings {
    static final int FORKS = 3;
    static final int WARMUP_ITERATIONS = 10;
    static final int WARMUP_SECONDS = 1;
    static final int ITERATIONS = 5;
    static final int SECONDS = 1;

    private Settings() {}
}
