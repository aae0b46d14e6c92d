package dev.eventual.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The zero-cost rule of AsyncContext: no context, no wrapper. */
class AsyncContextTest {

    @Test
    void capture_withNoValueBound_storesTheCallbackItself_andWrapsItOnlyInsideABinding() {
        Runnable callback = () -> {};
        Function<Object, Object> handler = v -> v;
        assertThat(AsyncContext.capture(callback)).isSameAs(callback);
        assertThat(AsyncContext.capture(handler)).isSameAs(handler);

        Object key = new Object();
        AsyncContext previous = AsyncContext.bind(key, "value");
        try {
            Runnable wrapped = AsyncContext.capture(callback);
            assertThat(wrapped).isInstanceOf(ContextualCallback.class);
        } finally {
            AsyncContext.restore(previous);
        }
        // Once any binding has existed, an empty context still stores the callback itself.
        assertThat(AsyncContext.capture(callback)).isSameAs(callback);
    }

    @Test
    void contextualCallback_runsInTheCapturedContext_andRestoresTheRunnersOwn() {
        Object key = new Object();
        Object[] seen = new Object[1];
        AsyncContext previous = AsyncContext.bind(key, "captured");
        Runnable wrapped;
        try {
            wrapped = AsyncContext.capture(() -> seen[0] = AsyncContext.lookup(key));
        } finally {
            AsyncContext.restore(previous);
        }
        AsyncContext runner = AsyncContext.bind(key, "runner's own");
        try {
            wrapped.run();
            assertThat(seen[0]).isEqualTo("captured");
            assertThat(AsyncContext.lookup(key)).isEqualTo("runner's own");
        } finally {
            AsyncContext.restore(runner);
        }
    }
}
