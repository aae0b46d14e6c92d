package dev.eventual.bench;

/**
 * The JMH settings every scenario of the fair harness shares (BENCHMARKS.md says why): three forks,
 * so that a fork's own JIT and heap layout show in the error; ten warm-up iterations of one second
 * (bench/run's bench/results/warmup.txt shows, per fork, whether they reached the measured level,
 * and the report marks a row whose measured iterations still drift); five measured ones.
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
