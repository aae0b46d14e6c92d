/**
 * Eventual's core: promises, event loops, microtasks and timers with JavaScript's rules.
 *
 * <p>Only {@code dev.eventual} is exported. The implementation lives in
 * {@code dev.eventual.internal}, which no other module can read but the testkit and io: the testkit drives a
 * loop step by step on a virtual clock (LoopDriver, LoopClock) and is not an API.
 */
module dev.eventual {
    // Only to tell whether a program configured JUL for Eventual's messages (internal.Report)
    requires static java.logging;
    // Flight Recorder events (internal.JfrSetup): a module of the JDK itself, not a third-party
    // dependency; in every JDK and JRE build, and a jlink image of an application must list it
    requires jdk.jfr;
    // API
    exports dev.eventual;
    // Not an API: the testkit's virtual time, and io's operations' async stack trace sites (Traces)
    exports dev.eventual.internal to dev.eventual.testkit, dev.eventual.io;
}
