/**
 * Eventual's testkit: virtual time ({@link dev.eventual.testkit.TestLoop},
 * {@link dev.eventual.testkit.VirtualClock}), a JUnit 5 extension
 * ({@link dev.eventual.testkit.EventualTest}) and AssertJ assertions for promises and loops
 * ({@link dev.eventual.testkit.EventualAssertions}).
 */
module dev.eventual.testkit {
    requires transitive dev.eventual;
    requires transitive org.junit.jupiter.api;
    requires transitive org.assertj.core;

    exports dev.eventual.testkit;
}
