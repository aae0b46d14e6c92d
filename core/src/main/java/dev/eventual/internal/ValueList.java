package dev.eventual.internal;

import java.util.AbstractList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * The unmodifiable list a combinator fulfils with ({@code all}, {@code allSettled}): a view of the
 * array the combinator filled and then gave up, so one object per result where
 * {@code Collections.unmodifiableList(Arrays.asList(array))} is two. Elements may be null (an
 * input fulfilled with null). Every mutator throws {@link UnsupportedOperationException}, as the
 * JDK's unmodifiable lists do: AbstractList's for the index-based ones, and the overrides below
 * for the bulk defaults, which would otherwise fail later or not at all (List.sort sorts a copy
 * first, removeIf with no match returns false); equals, hashCode and toString are List's.
 *
 * <p>Immutable as long as nobody writes the array after {@link #of}: the combinator drops its
 * reference in the same step ({@link Combinator#outcomesInInputOrder}).
 */
final class ValueList<E> extends AbstractList<E> implements RandomAccess {
    private final Object[] elements;

    private ValueList(Object[] elements) {
        this.elements = elements;
    }

    /** A list view of {@code elements}, which the caller hands over and never writes again. */
    static <E> List<E> of(Object[] elements) {
        return new ValueList<>(Objects.requireNonNull(elements, "elements"));
    }

    @Override
    @SuppressWarnings("unchecked")
    public E get(int index) {
        Objects.checkIndex(index, elements.length);
        return (E) elements[index];
    }

    @Override
    public int size() {
        return elements.length;
    }

    @Override
    public void sort(Comparator<? super E> comparator) {
        throw new UnsupportedOperationException("sort: the list is unmodifiable");
    }

    @Override
    public void replaceAll(UnaryOperator<E> operator) {
        throw new UnsupportedOperationException("replaceAll: the list is unmodifiable");
    }

    @Override
    public boolean removeIf(Predicate<? super E> filter) {
        throw new UnsupportedOperationException("removeIf: the list is unmodifiable");
    }
}
