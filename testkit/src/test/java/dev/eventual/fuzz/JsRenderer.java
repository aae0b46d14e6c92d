package dev.eventual.fuzz;

import dev.eventual.fuzz.Link.Handler;
import dev.eventual.fuzz.Link.Outcome;
import dev.eventual.fuzz.PromiseExpr.Adopt;
import dev.eventual.fuzz.PromiseExpr.Async;
import dev.eventual.fuzz.PromiseExpr.Chain;
import dev.eventual.fuzz.PromiseExpr.Combine;
import dev.eventual.fuzz.PromiseExpr.Delayed;
import dev.eventual.fuzz.PromiseExpr.Queued;
import dev.eventual.fuzz.PromiseExpr.Ref;
import dev.eventual.fuzz.PromiseExpr.Rejected;
import dev.eventual.fuzz.PromiseExpr.Resolved;
import dev.eventual.fuzz.PromiseExpr.Same;
import dev.eventual.fuzz.Stmt.Settlement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Writes a {@link Program} as JavaScript, for Node and for people reading a failure. The
 * program runs after {@code prelude.js} (beside {@code batch-runner.js} in the test resources),
 * which defines {@code show}, {@code describe}, {@code delay}, {@code fail}, {@code soon},
 * {@code soonFail}, {@code ticks} and, on Node before 22, {@code Promise.withResolvers}; the
 * runner supplies {@code log}.
 *
 * <p>Every construct here has its Eventual counterpart in {@link EventualInterpreter}, with the
 * same evaluation order: the two files are read side by side.
 */
final class JsRenderer {
    private static final int SHORT_LINE = 90;

    private JsRenderer() {}

    static String render(Program program) {
        StringBuilder out = new StringBuilder("const P = [], D = [], T = [];\n");
        for (Stmt s : program.body()) {
            out.append(statement(s, 0)).append('\n');
        }
        return out.toString();
    }

    /** One statement, its first line not indented, later lines indented for {@code indent}. */
    private static String statement(Stmt s, int indent) {
        return switch (s) {
            case Stmt.Log l -> "log('" + l.label() + "');";
            case Stmt.Let l -> "P[" + l.slot() + "] = " + expr(l.value(), indent) + ";";
            case Stmt.LetDeferred d -> "D[" + d.slot() + "] = Promise.withResolvers(); P[" + d.slot() + "] = D[" + d.slot() + "].promise;";
            case Stmt.Use u -> expr(u.value(), indent) + ";";
            case Stmt.Settle st -> "D[" + st.slot() + "]." + switch (st.how()) {
                case Settlement.Fulfil f -> "resolve(" + f.value() + ");";
                case Settlement.Follow f -> "resolve(" + expr(f.promise(), indent) + ");";
                case Settlement.Reject r -> "reject(new Error('" + r.message() + "'));";
            };
            case Stmt.Microtask m -> "queueMicrotask(() => " + block(statements(m.body(), indent + 1), indent) + ");";
            case Stmt.Timeout t -> "T[" + t.handle() + "] = setTimeout(() => " + block(statements(t.body(), indent + 1), indent) + ", " + t.delay() + ");";
            case Stmt.ClearTimeout c -> "clearTimeout(T[" + c.handle() + "]);";
            case Stmt.Ticks t -> "ticks('" + t.label() + "', " + t.count() + ");";
            case Stmt.Await a -> {
                String await = "log('" + a.label() + "', show(await " + (a.bare() ? bareValue(a.value()) : expr(a.value(), indent + 1)) + "));";
                yield a.caught() ? "try " + block(List.of(await), indent) + " catch (e) { log('" + a.label() + " caught', describe(e)); }" : await;
            }
            case Stmt.AwaitLoop l -> "for (let i = 0; i < " + l.count() + "; i++) log('" + l.label() + "', i, show(await "
                    + (l.bare() ? "i" : expr(l.value(), indent)) + "));";
        };
    }

    /** The number a bare {@code await n} awaits (the normalizer gives it a {@link Resolved}). */
    private static String bareValue(PromiseExpr e) {
        if (!(e instanceof Resolved r)) {
            throw new IllegalStateException("Normalizer lets only a number be awaited bare: " + e);
        }
        return String.valueOf(r.value());
    }

    private static List<String> statements(List<Stmt> body, int indent) {
        return body.stream().map(s -> statement(s, indent)).collect(Collectors.toCollection(ArrayList::new));
    }

    /** A block of statements rendered for {@code indent + 1}: on one line when short. */
    private static String block(List<String> lines, int indent) {
        if (lines.isEmpty()) {
            return "{}";
        }
        String oneLine = "{ " + String.join(" ", lines) + " }";
        if (oneLine.length() <= SHORT_LINE && !oneLine.contains("\n")) {
            return oneLine;
        }
        StringBuilder b = new StringBuilder("{\n");
        for (String line : lines) {
            b.append(pad(indent + 1)).append(line).append('\n');
        }
        return b.append(pad(indent)).append('}').toString();
    }

    private static String expr(PromiseExpr e, int indent) {
        return switch (e) {
            case Resolved r -> "Promise.resolve(" + r.value() + ")";
            case Rejected r -> "Promise.reject(new Error('" + r.message() + "'))";
            case Delayed d -> d.message() == null
                    ? "delay(" + d.delay() + ", " + d.value() + ")"
                    : "fail(" + d.delay() + ", '" + d.message() + "')";
            case Queued q -> q.message() == null ? "soon(" + q.value() + ")" : "soonFail('" + q.message() + "')";
            case Async a -> "(async () => " + asyncBody(a, indent) + ")()";
            case Adopt a -> "new Promise(r => r(" + expr(a.inner(), indent) + "))";
            case Same s -> "Promise.resolve(" + expr(s.inner(), indent) + ")";
            case Ref r -> "P[" + r.slot() + "]";
            case Combine c -> "Promise." + c.kind().js + "(["
                    + c.inputs().stream().map(i -> expr(i, indent)).collect(Collectors.joining(", ")) + "])";
            case Chain c -> chain(c, indent);
        };
    }

    /** One link per line, unless the chain is a single short link. */
    private static String chain(Chain c, int indent) {
        String source = expr(c.source(), indent);
        List<String> links = c.links().stream().map(l -> link(l, indent + 1)).toList();
        String oneLine = source + String.join("", links);
        if (links.size() <= 1 && oneLine.length() <= SHORT_LINE && !oneLine.contains("\n")) {
            return oneLine;
        }
        StringBuilder b = new StringBuilder(source);
        for (String l : links) {
            b.append('\n').append(pad(indent + 1)).append(l);
        }
        return b.toString();
    }

    private static String link(Link l, int indent) {
        return switch (l) {
            case Link.Then t -> ".then(" + handler(t.onFulfilled(), "v", indent) + ")";
            case Link.ThenBoth t -> ".then(" + handler(t.onFulfilled(), "v", indent) + ", " + handler(t.onRejected(), "e", indent) + ")";
            case Link.Catch c -> ".catch(" + handler(c.onRejected(), c.aggregateOnly() ? "aggregate" : "e", indent) + ")";
            case Link.Finally f -> ".finally(" + handler(f.onSettled(), "", indent) + ")";
        };
    }

    /** {@code param}: "v" (a value), "e" (a reason), "aggregate" (a reason, rethrown unless an AggregateError), "" (finally). */
    private static String handler(Handler h, String param, int indent) {
        List<String> lines = new ArrayList<>();
        String arg = param.equals("aggregate") ? "e" : param;
        if (param.equals("aggregate")) {
            lines.add("if (e.name !== 'AggregateError') throw e;");
        }
        lines.add(switch (arg) {
            case "v" -> "log('" + h.label() + "', show(v));";
            case "e" -> "log('" + h.label() + "', describe(e));";
            default -> "log('" + h.label() + "');";
        });
        lines.addAll(statements(h.body(), indent + 1));
        outcome(h.outcome(), arg, indent, lines);
        return (arg.isEmpty() ? "()" : arg) + " => " + block(lines, indent);
    }

    /** An async function's block: its label's log, its body, its outcome. */
    private static String asyncBody(Async a, int indent) {
        List<String> lines = new ArrayList<>();
        lines.add("log('" + a.label() + "');");
        lines.addAll(statements(a.body(), indent + 1));
        outcome(a.outcome(), "", indent, lines);
        return block(lines, indent);
    }

    private static void outcome(Outcome outcome, String arg, int indent, List<String> lines) {
        switch (outcome) {
            case Outcome.Nothing ignored -> { }
            case Outcome.Value v -> lines.add("return " + v.value() + ";");
            case Outcome.Arg ignored -> lines.add("return " + arg + ";");
            case Outcome.Follow f -> lines.add("return " + expr(f.promise(), indent + 1) + ";");
            case Outcome.Throw t -> lines.add("throw new Error('" + t.message() + "');");
        }
    }

    private static String pad(int indent) {
        return "  ".repeat(indent);
    }
}
