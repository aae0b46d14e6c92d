package dev.eventual.internal;

/**
 * A task, timer callback or queued microtask registered while async stack traces are on: runs it
 * with the loop's trace field naming its site (see {@link Traces}), and puts the field back.
 */
final class TracedRun implements Runnable {
    private final EventLoopImpl loop;
    private final Runnable task;
    final Trace site;

    TracedRun(EventLoopImpl loop, Runnable task, Trace site) {
        this.loop = loop;
        this.task = task;
        this.site = site;
    }

    @Override
    public void run() {
        Trace saved = loop.trace;
        loop.trace = site;
        try {
            task.run();
        } finally {
            loop.trace = saved;
        }
    }
}
