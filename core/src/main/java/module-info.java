/**
 * Eventual's core: promises, event loops, microtasks and timers with JavaScript's rules.
 *
 * <p>Only {@code dev.eventual} is exported. The implementation lives in
 * {@code dev.eventual.internal}, which no other module can read.
 */
module dev.eventual {
    // API
    exports dev.eventual;
}
