package dev.eventual.fuzz;

import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;

/**
 * Sets how many programs the fuzzer tries, from system properties: {@code fuzz.tries} (programs;
 * default {@value #DEFAULT_PROGRAMS}, the quick run of {@code mvn verify}) and {@code fuzz.seed}
 * (jqwik's seed, to repeat a run). One jqwik try is one batch of up to
 * {@link SideBySide#MAX_BATCH} programs, so the property's tries are the programs divided by that.
 */
final class FuzzTries implements AroundPropertyHook {
    static final int DEFAULT_PROGRAMS = 300;

    @Override
    public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
        int programs = Integer.getInteger("fuzz.tries", DEFAULT_PROGRAMS);
        if (programs < 1) {
            throw new IllegalArgumentException("fuzz.tries must be >= 1: " + programs);
        }
        context.attributes().setTries((programs + SideBySide.MAX_BATCH - 1) / SideBySide.MAX_BATCH);
        String seed = System.getProperty("fuzz.seed");
        if (seed != null && !seed.isBlank()) {
            context.attributes().setSeed(seed);
        }
        return property.execute();
    }
}
