package dev.eventual.fuzz;

import java.util.List;

/** The failure message for a program that logs differently in two runs: the program, and both logs side by side. */
final class LogDiff {
    private static final int COLUMN = 34;

    private LogDiff() {}

    /** Eventual's log differs from Node's (both on virtual time). */
    static String describe(SideBySide.Result r, int index, int batchSize) {
        return describe(r.program(), "Program " + index + " of a batch of " + batchSize
                + " logs differently on Eventual than in Node (Node is the reference; both on virtual time).",
                "Node", r.node(), "Eventual", r.eventual());
    }

    /**
     * {@code headline}, the program (the JavaScript Node ran; EventualInterpreter runs the same
     * IR, printed too), and the two logs in columns, the first difference marked.
     */
    static String describe(Program program, String headline, String leftName, List<String> left, String rightName,
            List<String> right) {
        int first = 0;
        while (first < left.size() && first < right.size() && left.get(first).equals(right.get(first))) {
            first++;
        }
        StringBuilder b = new StringBuilder();
        b.append(headline).append('\n')
                .append("The program (the JavaScript Node ran; EventualInterpreter runs the same IR):\n\n");
        program.toString().lines().forEach(l -> b.append("    ").append(l).append('\n'));
        b.append("\nThe same program in the fuzzer's Java form (the Stmt records EventualInterpreter walked):\n\n");
        program.body().forEach(s -> b.append("    ").append(s).append('\n'));
        b.append("\nFirst difference at line ").append(first + 1).append(":\n\n");
        b.append(String.format("     %-" + COLUMN + "s %s%n", leftName, rightName));
        for (int i = 0; i < Math.max(left.size(), right.size()); i++) {
            String l = i < left.size() ? left.get(i) : "";
            String r = i < right.size() ? right.get(i) : "";
            b.append(String.format("%s%3d %-" + COLUMN + "s %s%n", i == first ? ">" : " ", i + 1, l, r));
        }
        return b.toString();
    }
}
