package dev.eventual.stress;

import dev.eventual.EventLoop;

/**
 * Loops shared by the jcstress tests of one forked VM: starting a thread per test instance would
 * measure thread start-up, not the race. Daemon threads, so the forked VM can exit.
 */
final class StressLoops {
    /** A running loop whose thread runs the reactions. */
    static final EventLoop RUNNING = EventLoop.builder().name("stress-running").daemon(true).start();
    /** A loop closed before any test uses it: every promise created on it is pending on a closed loop. */
    static final EventLoop CLOSED = closedLoop();

    private StressLoops() {}

    private static EventLoop closedLoop() {
        EventLoop loop = EventLoop.builder().name("stress-closed").daemon(true).start();
        loop.close();
        return loop;
    }
}
