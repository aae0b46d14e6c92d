package dev.eventual.internal;

/**
 * A link of the reaction stack of a pending promise (see {@link PromiseImpl}). Pushed by CAS,
 * newest first; {@code next} is another node, the oldest reaction itself (so a promise with one
 * reaction needs no node at all), or null. A node with {@code locked} set marks the promise as
 * resolved to another promise and following it; a push copies the flag from the node below, so
 * the top node always tells. A lock node on its own has no reaction ({@code reaction == null}).
 * Immutable once published.
 */
final class ReactionNode {
    final Reaction reaction;
    final Object next;
    final boolean locked;

    ReactionNode(Reaction reaction, Object next, boolean locked) {
        this.reaction = reaction;
        this.next = next;
        this.locked = locked;
    }

    /**
     * Returns the reactions of a stack (as taken from a promise's state), oldest first, or null
     * when there are none.
     */
    static Reaction[] oldestFirst(Object stack) {
        int n = 0;
        Object p = stack;
        while (p instanceof ReactionNode node) {
            if (node.reaction != null) {
                n++;
            }
            p = node.next;
        }
        if (p != null) {
            n++;
        }
        if (n == 0) {
            return null;
        }
        Reaction[] ordered = new Reaction[n];
        p = stack;
        while (p instanceof ReactionNode node) {
            if (node.reaction != null) {
                ordered[--n] = node.reaction;
            }
            p = node.next;
        }
        if (p != null) {
            ordered[--n] = (Reaction) p;
        }
        return ordered;
    }
}
