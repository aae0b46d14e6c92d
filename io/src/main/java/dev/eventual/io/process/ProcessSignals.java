package dev.eventual.io.process;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What the JDK's {@link ProcessHandle} cannot do for {@link ProcessKiller}: send a signal other
 * than {@code SIGTERM} and {@code SIGKILL} (through the {@code kill} command), and tell a zombie
 * from a live process (the JDK counts a zombie as alive; this reads {@code /proc/<pid>/stat}
 * where there is one). Stateless; any thread.
 */
final class ProcessSignals {
    /** How long one {@code kill} command may take before it counts as failed. */
    private static final long KILL_COMMAND_LIMIT_SECONDS = 5;

    private ProcessSignals() {}

    /** Whether this system has the {@code kill} command's signals (Unix). */
    static boolean unix() {
        return File.separatorChar == '/';
    }

    /**
     * Sends {@code signal} ({@code "STOP"}, {@code "CONT"}) to {@code targets} with {@code kill};
     * returns whether it ran and reached every target. Blocks until the command has exited.
     */
    static boolean send(String signal, Collection<ProcessHandle> targets) {
        if (targets.isEmpty()) {
            return true;
        }
        List<String> command = new ArrayList<>(List.of("kill", "-" + signal));
        for (ProcessHandle h : targets) {
            command.add(Long.toString(h.pid()));
        }
        try {
            Process kill = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            kill.getOutputStream().close();
            return kill.waitFor(KILL_COMMAND_LIMIT_SECONDS, TimeUnit.SECONDS) && kill.exitValue() == 0;
        } catch (IOException e) {
            return false; // no kill command, or no process could be started (descriptors, memory)
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Whether {@code h} has exited: gone, or a zombie waiting for its parent to reap it. */
    static boolean gone(ProcessHandle h) {
        return !h.isAlive() || zombie(h.pid());
    }

    /** Its descendants now, or none if they cannot be listed here. */
    static List<ProcessHandle> descendants(ProcessHandle h) {
        try {
            return h.descendants().toList();
        } catch (RuntimeException e) {
            return List.of(); // not listable here (SecurityException, unsupported)
        }
    }

    private static boolean zombie(long pid) {
        String stat;
        try {
            stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        } catch (NoSuchFileException e) {
            return false; // no such process (then not alive), or no /proc on this system
        } catch (IOException | RuntimeException e) {
            return false;
        }
        int end = stat.lastIndexOf(')'); // the name, in parentheses, may hold anything
        return end >= 0 && end + 2 < stat.length() && stat.charAt(end + 2) == 'Z';
    }
}
