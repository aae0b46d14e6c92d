package dev.eventual;

/**
 * JavaScript's global functions, bound to the loop of the calling thread, for code that reads
 * like JavaScript: {@code import static dev.eventual.Globals.*;}. Each one is the
 * {@link EventLoop} method of {@link EventLoop#current()}; see there for what the callback
 * receives, when it runs and how it fails. Each throws {@link IllegalStateException} when the
 * calling thread runs no loop.
 */
public final class Globals {
    private Globals() {}

    /**
     * {@link EventLoop#setTimeout(Runnable, long)} on the current loop.
     *
     * @param callback runs once, as a task, on the loop's thread
     * @param delayMillis the delay; {@code 0} means 1 ms
     * @return the timer
     */
    public static Timeout setTimeout(Runnable callback, long delayMillis) {
        return EventLoop.current().setTimeout(callback, delayMillis);
    }

    /**
     * {@link EventLoop#setInterval(Runnable, long)} on the current loop.
     *
     * @param callback runs every period, as a task, on the loop's thread
     * @param periodMillis the period; {@code 0} means 1 ms
     * @return the timer
     */
    public static Timeout setInterval(Runnable callback, long periodMillis) {
        return EventLoop.current().setInterval(callback, periodMillis);
    }

    /**
     * Cancels a timer; {@code null} is ignored.
     *
     * @param timer the timer, or null
     */
    public static void clearTimeout(Timeout timer) {
        if (timer != null) {
            timer.cancel();
        }
    }

    /**
     * Cancels an interval; {@code null} is ignored.
     *
     * @param timer the timer, or null
     */
    public static void clearInterval(Timeout timer) {
        clearTimeout(timer);
    }

    /**
     * {@link EventLoop#queueMicrotask(Runnable)} on the current loop.
     *
     * @param callback runs as a microtask on the loop's thread
     */
    public static void queueMicrotask(Runnable callback) {
        EventLoop.current().queueMicrotask(callback);
    }
}
