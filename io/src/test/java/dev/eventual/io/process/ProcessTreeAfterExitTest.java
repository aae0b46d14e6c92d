package dev.eventual.io.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What is left of a process tree once the program that ran it has ended: each case runs
 * {@link ProcessTreeProgram} in a child JVM (the JDK these tests run on, with their class path),
 * which starts a tree, stops the run (cancel, time limit, abort, loop close) and ends (returns
 * from {@code main}, or calls {@code System.exit} while the kill is under way). Then no process
 * of the tree may be left: none running re-parented, none stopped ({@code T}); a zombie
 * ({@code Z}) is dead and counts as gone.
 */
class ProcessTreeAfterExitTest {
    /** Only catches hangs: the child JVM's whole life. */
    private static final long HANG_GUARD_SECONDS = 60;
    /**
     * How long a process of the tree may take to disappear after the child JVM has ended; a
     * liveness bound only (a left-behind tree sleeps 100 s or stays stopped for good).
     */
    private static final long GONE_SECONDS = 5;

    /** One process as {@code /proc/<pid>/stat} shows it. */
    record ProcState(long pid, String name, char state, long parent, long startTicks) {
        /** Reads it; null if there is no such process. */
        static ProcState read(long pid) throws IOException {
            String stat;
            try {
                stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            } catch (NoSuchFileException e) {
                return null;
            }
            int open = stat.indexOf('(');
            int close = stat.lastIndexOf(')');
            String[] rest = stat.substring(close + 2).split(" ");
            // rest[0] is field 3 (state), rest[1] field 4 (ppid), rest[19] field 22 (starttime)
            return new ProcState(pid, stat.substring(open + 1, close), rest[0].charAt(0),
                    Long.parseLong(rest[1]), Long.parseLong(rest[19]));
        }

        boolean sameProcess(ProcState other) {
            return other != null && other.startTicks == startTicks;
        }
    }

    /** What the child JVM printed, and the tree as it was when the program printed it. */
    record Ran(List<String> lines, List<ProcState> tree, String stderr) {
        String rejection() {
            return lines.stream().filter(l -> l.startsWith("rejected ")).findFirst().orElse("(none)");
        }
    }

    private static Ran runChild(String tree, String stop, String end) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Path stderr = Files.createTempFile("process-tree-program", ".stderr");
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                ProcessTreeProgram.class.getName(), tree, stop, end)
                .redirectError(stderr.toFile()).start(); // in the failure message
        List<String> lines = new ArrayList<>();
        List<ProcState> members = new ArrayList<>();
        try {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    lines.add(line);
                    if (line.startsWith("tree ")) {
                        for (String pid : line.substring(5).split(" ")) {
                            ProcState s = ProcState.read(Long.parseLong(pid));
                            if (s != null) {
                                members.add(s);
                            }
                        }
                    }
                }
            }
            assertThat(child.waitFor(HANG_GUARD_SECONDS, TimeUnit.SECONDS)).as("the child JVM ended").isTrue();
            lines.add("exit code " + child.exitValue());
        } finally {
            child.destroyForcibly();
        }
        String errors = Files.readString(stderr);
        Files.delete(stderr);
        return new Ran(lines, members, errors);
    }

    /**
     * Asserts that every member of the tree is gone (or a zombie) within the bound; kills what is
     * left either way, so that a failure leaves nothing behind.
     */
    private static void assertTreeGone(Ran ran, int members, String what) throws Exception {
        assertThat(ran.tree()).as("%s: the tree the program printed (output %s, errors %s)",
                what, ran.lines(), ran.stderr()).hasSize(members);
        List<String> left = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(GONE_SECONDS);
        for (ProcState started : ran.tree()) {
            ProcState now;
            while ((now = alive(started)) != null && System.nanoTime() < deadline) {
                Thread.sleep(20); // polling another JVM's orphans: nothing to wait on
            }
            if (now != null) {
                left.add("pid " + now.pid() + " (" + now.name() + ") in state " + now.state()
                        + " with parent " + now.parent());
            }
        }
        for (ProcState s : ran.tree()) {
            if (alive(s) != null) {
                ProcessHandle.of(s.pid()).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
        assertThat(left).as("%s: processes of the tree left %d s after the JVM ended: %s (output %s, errors %s)",
                what, GONE_SECONDS, left, ran.lines(), ran.stderr()).isEmpty();
    }

    /** The process now, if it is the same one and neither gone nor a zombie; else null. */
    private static ProcState alive(ProcState started) throws IOException {
        ProcState now = ProcState.read(started.pid());
        return started.sameProcess(now) && now.state() != 'Z' && now.state() != 'X' ? now : null;
    }

    private static Ran check(String tree, String stop, String end) throws Exception {
        Ran ran = runChild(tree, stop, end);
        assertTreeGone(ran, tree.equals("sleep") ? 1 : 3, tree + " " + stop + " " + end);
        return ran;
    }

    @Test
    void cancel_thenReturn_leavesNoProcessOfTheTree() throws Exception {
        Ran ran = check("sleep", "cancel", "return");
        assertThat(ran.rejection()).startsWith("rejected java.util.concurrent.CancellationException");
        assertThat(ran.lines()).contains("returned");
    }

    @Test
    void cancelOfAShellAndItsChildren_thenReturn_leavesNoProcessOfTheTree() throws Exception {
        check("shell", "cancel", "return");
    }

    @Test
    void cancelOfATreeIgnoringSigterm_thenSystemExit_leavesNoProcessOfTheTree() throws Exception {
        check("stubborn", "cancel", "exit");
    }

    @Test
    void timeoutOfATreeIgnoringSigterm_thenReturn_killsItWithSigkill_andSaysSo() throws Exception {
        Ran ran = check("stubborn", "timeout", "return");
        assertThat(ran.rejection()).contains("timed out after 1000 ms").contains("SIGKILL");
    }

    @Test
    void abort_thenSystemExit_leavesNoProcessOfTheTree() throws Exception {
        Ran ran = check("shell", "abort", "exit");
        assertThat(ran.rejection()).isEqualTo("rejected java.lang.IllegalStateException: aborted by the program");
    }

    @Test
    void loopCloseWhileTheTreeRuns_thenReturn_leavesNoProcessOfTheTree() throws Exception {
        check("stubborn", "close", "return");
    }

    @Test
    void loopCloseWhileTheTreeRuns_thenSystemExit_leavesNoProcessOfTheTree() throws Exception {
        check("shell", "close", "exit");
    }
}
