package dev.eventual.fuzz;

import net.jqwik.api.lifecycle.LifecycleContext;
import net.jqwik.api.lifecycle.SkipExecutionHook;

/** Skips the fuzzer, with a message, where {@code node} is not installed (jqwik's counterpart of a JUnit assumption). */
final class NodeRequired implements SkipExecutionHook {
    @Override
    public SkipResult shouldBeSkipped(LifecycleContext context) {
        return NodeBatch.findNode() == null
                ? SkipResult.skip("node is not installed (not on PATH): the differential fuzzer needs it")
                : SkipResult.doNotSkip();
    }
}
