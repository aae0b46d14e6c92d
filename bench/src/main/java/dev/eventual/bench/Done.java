package dev.eventual.bench;

/**
 * How a benchmark thread waits for work it handed to a loop: the loop's last handler calls
 * {@link #signal()}, the benchmark thread spins in {@link #await()} (no park: a wake-up of a
 * parked thread costs more than most operations measured here). Volatile read and write only.
 */
final class Done {
    private volatile boolean done;

    void signal() {
        done = true;
    }

    void await() {
        while (!done) {
            Thread.onSpinWait();
        }
        done = false;
    }
}
