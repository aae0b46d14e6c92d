package dev.eventual.fuzz;

import dev.eventual.fuzz.Link.Handler;
import dev.eventual.fuzz.Link.Outcome;
import dev.eventual.fuzz.PromiseExpr.Adopt;
import dev.eventual.fuzz.PromiseExpr.Chain;
import dev.eventual.fuzz.PromiseExpr.Combine;
import dev.eventual.fuzz.PromiseExpr.Delayed;
import dev.eventual.fuzz.PromiseExpr.Ref;
import dev.eventual.fuzz.PromiseExpr.Rejected;
import dev.eventual.fuzz.PromiseExpr.Resolved;
import dev.eventual.fuzz.PromiseExpr.Same;
import dev.eventual.fuzz.Stmt.Let;
import dev.eventual.fuzz.Stmt.LetDeferred;
import dev.eventual.fuzz.Stmt.Settle;
import dev.eventual.fuzz.Stmt.Settlement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns a generated program into one that satisfies the invariants of {@link Program}: slots
 * numbered in order, references and settle targets that exist when they are evaluated and form
 * no cycle, unique labels and error messages, and handler outcomes that the handler's method
 * allows.
 *
 * <p>Why a separate pass: the generators produce references as free numbers, and the shrinker's
 * {@link Simplifications} remove and simplify parts independently (a dropped slot definition
 * moves the slots after it). Taking them modulo the slots in
 * scope here keeps every generated or shrunk program valid without the generators having to
 * know the scope. A reference with no slot in scope becomes {@code Promise.resolve(n)}; a
 * settle statement with no deferred in scope is dropped, and so is a {@code clearTimeout} with
 * no timer written before it.
 *
 * <p>Scope. The synchronous part of top-level statement <i>i</i> sees the slots defined before
 * it. A callback (handler, timer, microtask) runs after the whole top level, but may still see
 * only the slots before its own definition when it is part of one: in {@code P[k] = ...} it
 * sees {@code P[0..k-1]}, and what settles {@code D[d]} with a promise sees {@code P[0..d-1]}.
 * Callbacks of other top-level statements see every slot. So a promise only ever waits for
 * older ones: no cycle of promises waiting for each other, except two that JavaScript rejects
 * at once with a TypeError and that are kept on purpose: the last handler of the chain that
 * defines {@code P[k]} returning {@code P[k]}, and {@code D[d].resolve(P[d])}.
 *
 * <p>Async functions. An async body runs synchronously, inside its call, up to its first await,
 * and as a callback after it: its statements up to that await see what the call's synchronous
 * part sees, the later ones what its callbacks see, and what it returns ({@code return p}) what
 * its last statement sees. An await may be only directly in a body: one anywhere else (a body
 * put in its call's place by the shrinker, say) becomes a plain use of its operand, keeping its
 * effects, and a loop of awaits is dropped there. Bodies are labelled b1, b2..., awaits a1,
 * a2..., tick chains t1, t2...; rounds (of a loop of awaits, of a tick chain) are kept between 1
 * and {@link Programs#MAX_ROUNDS}, a loop's operand is a leaf, and a bare {@code await n} has a
 * number as its operand.
 *
 * <p>Why no cycles: in Node 20 a handler that throws while its promise feeds a cycle that
 * nothing handles (say {@code P[0] = p.then(() => Promise.race([q.then(() => { throw e; }),
 * P[0]]))}) never returns: V8's catch prediction walks the cycle forever and eats memory until
 * the process dies. Eventual runs such programs to the end, but Node's output is no reference.
 */
final class Normalizer {
    /** For each slot, in order: whether a {@link LetDeferred} made it. */
    private final List<Boolean> deferredSlots;
    private int logs;
    private int handlers;
    private int errors;
    private int timers;
    private int bodies;
    private int awaits;
    private int ticks;

    private Normalizer(List<Boolean> deferredSlots) {
        this.deferredSlots = deferredSlots;
    }

    static Program normalize(Program raw) {
        List<Boolean> deferredSlots = new ArrayList<>();
        for (Stmt s : raw.body()) {
            if (s instanceof Let || s instanceof LetDeferred) {
                deferredSlots.add(s instanceof LetDeferred);
            }
        }
        Normalizer n = new Normalizer(deferredSlots);
        List<Stmt> body = new ArrayList<>();
        int defined = 0;
        for (Stmt s : raw.body()) {
            switch (s) {
                case Let let -> body.add(new Let(defined, n.definition(let.value(), defined)));
                case LetDeferred ignored -> body.add(new LetDeferred(defined));
                default -> n.statement(s, defined, deferredSlots.size(), false).ifPresent(body::add);
            }
            if (s instanceof Let || s instanceof LetDeferred) {
                defined++;
            }
        }
        return new Program(body);
    }

    /** The value of {@code P[slot]}: its callbacks see the slots before it, and its last handler may return it. */
    private PromiseExpr definition(PromiseExpr e, int slot) {
        if (!(e instanceof Chain c)) {
            return promise(e, slot, slot);
        }
        PromiseExpr source = promise(c.source(), slot, slot);
        List<Link> links = new ArrayList<>();
        for (int i = 0; i < c.links().size(); i++) {
            links.add(link(c.links().get(i), slot, i == c.links().size() - 1 ? slot : -1));
        }
        return new Chain(source, links);
    }

    private List<Stmt> callbackBody(List<Stmt> body, int visible) {
        List<Stmt> out = new ArrayList<>();
        for (Stmt s : body) {
            statement(s, visible, visible, false).ifPresent(out::add);
        }
        return out;
    }

    /**
     * An async function: its label, its body, its outcome. The body runs synchronously, inside
     * the call, up to its first await, so its statements up to there see what the call sees
     * ({@code visible}); after it the body runs as a callback does ({@code callbacks}).
     */
    private PromiseExpr.Async async(PromiseExpr.Async a, int visible, int callbacks) {
        String label = "b" + ++bodies;
        List<Stmt> body = new ArrayList<>();
        int now = visible;
        for (Stmt s : a.body()) {
            statement(s, now, callbacks, true).ifPresent(body::add);
            if (s instanceof Stmt.Await || s instanceof Stmt.AwaitLoop) {
                now = callbacks;
            }
        }
        Outcome outcome = switch (a.outcome()) {
            case Outcome.Throw ignored -> new Outcome.Throw(nextError());
            case Outcome.Follow f -> new Outcome.Follow(promise(f.promise(), now, callbacks));
            case Outcome.Arg ignored -> new Outcome.Nothing();
            case Outcome o -> o;
        };
        return new PromiseExpr.Async(label, body, outcome);
    }

    /** The operand of an {@link Stmt.AwaitLoop}, evaluated on every round: a leaf. */
    private PromiseExpr loopOperand(PromiseExpr e, int visible, int callbacks) {
        return switch (e) {
            case Resolved r -> r;
            case Rejected ignored -> promise(e, visible, callbacks);
            case Ref ignored -> promise(e, visible, callbacks);
            case Delayed ignored -> promise(e, visible, callbacks);
            case PromiseExpr.Queued ignored -> promise(e, visible, callbacks);
            default -> new Resolved(0);
        };
    }

    /** Between 1 and 5: the rounds of a {@link Stmt.Ticks} or {@link Stmt.AwaitLoop}. */
    private static int rounds(int count) {
        return Math.max(1, Math.min(Programs.MAX_ROUNDS, count));
    }

    /**
     * {@code visible}: how many slots the statement's synchronous part may use; {@code callbacks}:
     * how many its callbacks may use; {@code inAsync}: whether it is directly in an async body,
     * the only place an await may be (elsewhere an await keeps its operand's effects only).
     */
    private Optional<Stmt> statement(Stmt s, int visible, int callbacks, boolean inAsync) {
        return switch (s) {
            case Stmt.Log ignored -> Optional.of(new Stmt.Log("s" + ++logs));
            // Only the top level defines slots; a nested definition keeps its effects only.
            case Let let -> Optional.of(new Stmt.Use(promise(let.value(), visible, callbacks)));
            case LetDeferred ignored -> Optional.empty();
            case Stmt.Use use -> Optional.of(new Stmt.Use(promise(use.value(), visible, callbacks)));
            case Settle settle -> settle(settle, visible);
            case Stmt.Microtask m -> Optional.of(new Stmt.Microtask(callbackBody(m.body(), callbacks)));
            case Stmt.Timeout t -> {
                int handle = timers++;
                yield Optional.of(new Stmt.Timeout(handle, t.delay(), callbackBody(t.body(), callbacks)));
            }
            // Clears a timer written before it (which may or may not be set, or have fired, by then).
            case Stmt.ClearTimeout c -> timers == 0 ? Optional.empty() : Optional.of(new Stmt.ClearTimeout(Math.floorMod(c.handle(), timers)));
            case Stmt.Ticks t -> Optional.of(new Stmt.Ticks("t" + ++ticks, rounds(t.count())));
            case Stmt.Await a when !inAsync -> Optional.of(new Stmt.Use(promise(a.value(), visible, callbacks)));
            case Stmt.Await a -> {
                String label = "a" + ++awaits;
                PromiseExpr value = promise(a.value(), visible, callbacks);
                yield Optional.of(new Stmt.Await(label, value, a.bare() && value instanceof Resolved, a.caught()));
            }
            case Stmt.AwaitLoop ignored when !inAsync -> Optional.empty();
            case Stmt.AwaitLoop l -> {
                String label = "a" + ++awaits;
                PromiseExpr value = l.bare() ? new Resolved(0) : loopOperand(l.value(), visible, callbacks);
                yield Optional.of(new Stmt.AwaitLoop(label, rounds(l.count()), value, l.bare()));
            }
        };
    }

    private Optional<Stmt> settle(Settle settle, int visible) {
        List<Integer> targets = new ArrayList<>();
        for (int slot = 0; slot < visible; slot++) {
            if (deferredSlots.get(slot)) {
                targets.add(slot);
            }
        }
        if (targets.isEmpty()) {
            return Optional.empty();
        }
        int slot = targets.get(Math.floorMod(settle.slot(), targets.size()));
        Settlement how = switch (settle.how()) {
            case Settlement.Fulfil f -> f;
            // A bare reference may name the deferred itself (rejected at once: resolving a promise with itself).
            case Settlement.Follow f when f.promise() instanceof Ref r -> new Settlement.Follow(new Ref(Math.floorMod(r.slot(), slot + 1)));
            case Settlement.Follow f -> new Settlement.Follow(promise(f.promise(), Math.min(visible, slot), slot));
            case Settlement.Reject ignored -> new Settlement.Reject(nextError());
        };
        return Optional.of(new Settle(slot, how));
    }

    private PromiseExpr promise(PromiseExpr e, int visible, int callbacks) {
        return switch (e) {
            case Resolved r -> r;
            case Rejected ignored -> new Rejected(nextError());
            case Delayed d -> d.message() == null ? d : new Delayed(d.delay(), d.value(), nextError());
            case PromiseExpr.Queued q -> q.message() == null ? q : new PromiseExpr.Queued(q.value(), nextError());
            case PromiseExpr.Async a -> async(a, visible, callbacks);
            case Adopt a -> new Adopt(promise(a.inner(), visible, callbacks));
            case Same s -> new Same(promise(s.inner(), visible, callbacks));
            case Ref r -> ref(r, visible);
            case Combine c -> new Combine(c.kind(), c.inputs().stream().map(i -> promise(i, visible, callbacks)).toList());
            case Chain c -> {
                PromiseExpr source = promise(c.source(), visible, callbacks);
                yield new Chain(source, c.links().stream().map(l -> link(l, callbacks, -1)).toList());
            }
        };
    }

    private static PromiseExpr ref(Ref r, int visible) {
        return visible == 0 ? new Resolved(Math.floorMod(r.slot(), 10)) : new Ref(Math.floorMod(r.slot(), visible));
    }

    /** {@code self}: the slot a then-handler of this link may return whole (a chaining cycle), or -1. */
    private Link link(Link l, int visible, int self) {
        return switch (l) {
            case Link.Then t -> new Link.Then(handler(t.onFulfilled(), HandlerKind.THEN, visible, self));
            case Link.ThenBoth t -> {
                Handler onFulfilled = handler(t.onFulfilled(), HandlerKind.VALUE, visible, -1);
                yield new Link.ThenBoth(onFulfilled, handler(t.onRejected(), HandlerKind.VALUE, visible, -1));
            }
            case Link.Catch c -> new Link.Catch(handler(c.onRejected(), HandlerKind.VALUE, visible, -1), c.aggregateOnly());
            case Link.Finally f -> new Link.Finally(handler(f.onSettled(), HandlerKind.FINALLY, visible, -1));
        };
    }

    /** What a handler may end with, so that Eventual gives it JavaScript's meaning. */
    private enum HandlerKind {
        /** {@code then}: anything; a returned promise is followed ({@code thenCompose}). */
        THEN,
        /** {@code caught} and two-handler {@code then} fulfil with what they return, even a promise: no promise. */
        VALUE,
        /** {@code lastly} takes a {@code Runnable}: nothing, or a throw. */
        FINALLY
    }

    private Handler handler(Handler h, HandlerKind kind, int visible, int self) {
        String label = "h" + ++handlers;
        List<Stmt> body = callbackBody(h.body(), visible);
        Outcome outcome = switch (h.outcome()) {
            case Outcome.Throw ignored -> new Outcome.Throw(nextError());
            case Outcome.Follow f when kind == HandlerKind.THEN && self >= 0 && f.promise() instanceof Ref r
                    && Math.floorMod(r.slot(), self + 1) == self -> new Outcome.Follow(new Ref(self));
            case Outcome.Follow f when kind == HandlerKind.THEN -> new Outcome.Follow(promise(f.promise(), visible, visible));
            case Outcome.Follow ignored -> new Outcome.Nothing();
            case Outcome.Value ignored when kind == HandlerKind.FINALLY -> new Outcome.Nothing();
            case Outcome.Arg ignored when kind == HandlerKind.FINALLY -> new Outcome.Nothing();
            case Outcome o -> o;
        };
        return new Handler(label, body, outcome);
    }

    private String nextError() {
        return "e" + ++errors;
    }
}
