package dev.eventual.internal;

/** A named sentinel for the encoded fields of {@link PromiseImpl}; never visible to users. */
final class Sentinel {
    private final String name;

    Sentinel(String name) {
        this.name = name;
    }

    @Override
    public String toString() {
        return name;
    }
}
