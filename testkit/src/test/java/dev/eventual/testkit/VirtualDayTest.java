package dev.eventual.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The day of {@link VirtualDay}: what its log must hold, and that it is the same on every run.
 * Its wall time is measured by {@link VirtualDayFigures}, not asserted here.
 */
class VirtualDayTest {

    @Test
    void aDayOfVirtualTimeRunsEveryTimerAtItsTimeAndTheSameWayEachRun() {
        List<String> first = VirtualDay.run(86_400, 10_000, 42);
        assertThat(first).filteredOn(l -> l.contains(" tick ")).hasSize(86_400)
                .first().isEqualTo("1000 tick 1");
        assertThat(first).filteredOn(l -> l.contains(" tick ")).last().isEqualTo("86400000 tick 86400");
        assertThat(first).filteredOn(l -> l.contains(" answer ") || l.contains(" timeout ")).hasSize(10_000);
        assertThat(first).filteredOn(l -> l.contains("retry gave up")).singleElement().asString()
                .contains("unavailable");
        // Virtual time never goes back in the log
        assertThat(first.stream().mapToLong(l -> Long.parseLong(l.substring(0, l.indexOf(' ')))).toArray()).isSorted();
        assertThat(first).last().asString().endsWith("idle: nothing");

        for (int run = 0; run < 1; run++) {
            assertThat(VirtualDay.run(86_400, 10_000, 42)).isEqualTo(first);
        }
    }
}
