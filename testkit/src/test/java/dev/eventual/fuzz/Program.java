package dev.eventual.fuzz;

import java.util.List;

/**
 * A generated program in the fuzzer's intermediate form: top-level statements, run once in Node
 * (rendered by {@link JsRenderer}) and once on Eventual (walked by {@link EventualInterpreter}).
 *
 * <p>Invariants, established by {@link Normalizer} and relied on by both back ends: a
 * {@link Stmt.Let} or {@link Stmt.LetDeferred} appears only at top level and its slots are
 * numbered 0, 1, 2... in program order; every {@link PromiseExpr.Ref} names a slot that exists
 * when it is evaluated, and a {@link Stmt.Settle} a slot made by {@link Stmt.LetDeferred}; no
 * promises wait for each other in a cycle, but for two that reject at once; an await
 * ({@link Stmt.Await}, {@link Stmt.AwaitLoop}) is directly in the body of an async function
 * ({@link PromiseExpr.Async}), never in a callback inside it; labels and error messages are unique, so a log line says which handler or rejection it came from.
 *
 * <p>{@link #toString()} is the JavaScript: what a failure report prints (beside the {@link Stmt} records).
 *
 * @param body the top-level statements, run as the program's first task
 */
record Program(List<Stmt> body) {
    Program {
        body = List.copyOf(body);
    }

    @Override
    public String toString() {
        return JsRenderer.render(this);
    }
}
