package dev.eventual.fuzz;

import java.util.List;

/** The failure message for a program whose Eventual log differs from Node's: the program, and both logs side by side. */
final class LogDiff {
    private static final int COLUMN = 34;

    private LogDiff() {}

    static String describe(SideBySide.Result r, int index, int batchSize) {
        List<String> node = r.node();
        List<String> eventual = r.eventual();
        int first = 0;
        while (first < node.size() && first < eventual.size() && node.get(first).equals(eventual.get(first))) {
            first++;
        }
        StringBuilder b = new StringBuilder();
        b.append("Program ").append(index).append(" of a batch of ").append(batchSize)
                .append(" logs differently on Eventual than in Node (Node is the reference).\n")
                .append("The program (the JavaScript Node ran; EventualInterpreter runs the same IR):\n\n");
        r.program().toString().lines().forEach(l -> b.append("    ").append(l).append('\n'));
        b.append(String.format("%nTimers were set at most %.1f ms after their ideal time (limit %.0f ms).%n",
                r.lateness(), TimerSchedule.LATENESS_LIMIT_MILLIS));
        b.append("\nFirst difference at line ").append(first + 1).append(":\n\n");
        b.append(String.format("     %-" + COLUMN + "s %s%n", "Node", "Eventual"));
        for (int i = 0; i < Math.max(node.size(), eventual.size()); i++) {
            String n = i < node.size() ? node.get(i) : "";
            String e = i < eventual.size() ? eventual.get(i) : "";
            b.append(String.format("%s%3d %-" + COLUMN + "s %s%n", i == first ? ">" : " ", i + 1, n, e));
        }
        return b.toString();
    }
}
