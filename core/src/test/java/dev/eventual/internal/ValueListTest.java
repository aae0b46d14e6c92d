package dev.eventual.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventual.EventLoop;
import dev.eventual.Promise;
import dev.eventual.Settled;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.RandomAccess;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The list {@code all} and {@code allSettled} fulfil with: a List in every respect but mutation. */
class ValueListTest {
    /** Runs a loop that makes the promise and returns what it fulfils with. */
    private static <T> T settledValue(Supplier<Promise<T>> promise) {
        AtomicReference<T> value = new AtomicReference<>();
        EventLoop.run(() -> promise.get().thenAccept(value::set));
        return value.get();
    }

    @Test
    void allFulfils_withAnUnmodifiableRandomAccessList_thatHoldsNulls_andEqualsAnyListOfTheSameValues() {
        List<String> values = settledValue(() -> Promise.all(
                Promise.resolve("a"), Promise.resolve((String) null), Promise.resolve("c")));

        assertThat(values).containsExactly("a", null, "c");
        assertThat(values).isInstanceOf(RandomAccess.class);
        assertThat(values).isEqualTo(Arrays.asList("a", null, "c"));
        assertThat(values.hashCode()).isEqualTo(Arrays.asList("a", null, "c").hashCode());
        assertThat(values).hasToString("[a, null, c]");
        assertThat(values.indexOf(null)).isEqualTo(1);
        assertThat(values.subList(1, 3)).containsExactly(null, "c");
        assertThat(new ArrayList<>(values)).containsExactly("a", null, "c");

        assertThatThrownBy(() -> values.add("d")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> values.set(0, "z")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> values.remove(0)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(values::clear).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> values.sort(null)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> values.replaceAll(v -> v)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> values.removeIf(v -> false)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> values.iterator().remove()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> values.get(3)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> values.get(-1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(values).containsExactly("a", null, "c");
    }

    @Test
    void allSettledFulfils_withAnUnmodifiableListOfOutcomes() {
        IllegalStateException boom = new IllegalStateException("boom");
        List<Settled<Integer>> outcomes = settledValue(() -> Promise.allSettled(
                Promise.resolve(1), Promise.<Integer>reject(boom)));

        assertThat(outcomes).containsExactly(new Settled.Fulfilled<>(1), new Settled.Rejected<>(boom));
        assertThatThrownBy(() -> outcomes.add(new Settled.Fulfilled<>(2))).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> outcomes.sort(null)).isInstanceOf(UnsupportedOperationException.class);
    }
}
