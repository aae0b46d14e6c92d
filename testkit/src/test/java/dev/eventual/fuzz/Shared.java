package dev.eventual.fuzz;

import java.util.Optional;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCases;
import net.jqwik.api.ExhaustiveGenerator;
import net.jqwik.api.RandomGenerator;

/**
 * An arbitrary that generates exactly what the one it wraps does, but is equal only to itself.
 *
 * <p>Why: jqwik memoizes generators by the arbitrary's {@code equals} and {@code hashCode}, which
 * for its own arbitraries are structural: a hash walks the whole tree of arbitraries below. The
 * generators of {@link Programs} share one arbitrary per depth in many places, so that tree is a
 * DAG whose walk grows exponentially with depth, and jqwik hashes it whenever a container value
 * is generated (most of the fuzzer's generation time went into those hashes). Wrapping each
 * shared arbitrary in one of these stops the walk there; it changes no generated value.
 */
final class Shared<T> implements Arbitrary<T> {
    private final Arbitrary<T> arbitrary;

    private Shared(Arbitrary<T> arbitrary) {
        this.arbitrary = arbitrary;
    }

    static <T> Arbitrary<T> of(Arbitrary<T> arbitrary) {
        return new Shared<>(arbitrary);
    }

    @Override
    public RandomGenerator<T> generator(int genSize) {
        return arbitrary.generator(genSize);
    }

    @Override
    public RandomGenerator<T> generatorWithEmbeddedEdgeCases(int genSize) {
        return arbitrary.generatorWithEmbeddedEdgeCases(genSize);
    }

    @Override
    public Optional<ExhaustiveGenerator<T>> exhaustive(long maxNumberOfSamples) {
        return arbitrary.exhaustive(maxNumberOfSamples);
    }

    @Override
    public EdgeCases<T> edgeCases(int maxEdgeCases) {
        return arbitrary.edgeCases(maxEdgeCases);
    }

    @Override
    public String toString() {
        return "Shared[" + arbitrary + "]";
    }
}
