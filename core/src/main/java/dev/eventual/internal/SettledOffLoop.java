package dev.eventual.internal;

/**
 * The state of a promise settled on another thread than its loop's, until the loop dispatches it:
 * the result, plus the reactions the settling CAS took. The promise itself is posted to the loop
 * as the task that dispatches it ({@link PromiseImpl#dispatchSettling}).
 *
 * <p>It reads as settled (resolve calls lose, {@code state()} shows the result), but a reaction
 * registered meanwhile is pushed onto {@code taken} (by CAS of a new SettledOffLoop) instead of being
 * scheduled on its own: so it cannot overtake reactions registered before it, and handlers still
 * run in registration order (A+ 2.2.6). Immutable.
 */
final class SettledOffLoop {
    final Object result;
    final Object taken;

    SettledOffLoop(Object result, Object taken) {
        this.result = result;
        this.taken = taken;
    }
}
