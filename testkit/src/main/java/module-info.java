/**
 * Eventual's testkit: virtual time ({@link dev.eventual.testkit.TestLoop},
 * {@link dev.eventual.testkit.VirtualClock}) for tests of code that uses Eventual.
 */
module dev.eventual.testkit {
    requires transitive dev.eventual;
    requires transitive org.junit.jupiter.api;
    requires transitive org.assertj.core;

    exports dev.eventual.testkit;
}
