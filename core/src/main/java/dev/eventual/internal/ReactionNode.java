package dev.eventual.internal;

/**
 * A link of the reaction stack of a pending promise with two or more reactions. Pushed by CAS,
 * newest first; {@code next} is either another node or the oldest reaction itself, so that the
 * common one-reaction case needs no node at all. Immutable once published.
 */
final class ReactionNode {
    final Object reaction;
    final Object next;

    ReactionNode(Object reaction, Object next) {
        this.reaction = reaction;
        this.next = next;
    }
}
