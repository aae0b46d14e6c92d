package dev.eventual.io.process;

import dev.eventual.AbortController;
import dev.eventual.EventLoop;
import dev.eventual.Promise;
import dev.eventual.Timeout;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The program {@link ProcessTreeAfterExitTest} runs in a child JVM: it starts a process tree
 * with {@link Processes#run}, prints the PIDs of the whole tree once every member has started,
 * stops the run one way, and ends one way. The test then looks for what is left of the tree.
 *
 * <p>Arguments: {@code <tree> <stop> <end>}.
 * <ul>
 *   <li>tree: {@code sleep} ({@code sleep 100}), {@code shell} ({@code sh -c 'sleep 100 & sleep
 *       100'}: a shell and two sleeps), {@code stubborn} (the same, ignoring {@code SIGHUP} and
 *       {@code SIGTERM}, which the sleeps inherit).</li>
 *   <li>stop: {@code cancel} ({@code promise.cancel()}), {@code timeout} (the command's time
 *       limit), {@code abort} (an {@link AbortController}), {@code close} (the loop closes).</li>
 *   <li>end: {@code return} ({@code main} returns once {@link EventLoop#run} has), {@code exit}
 *       ({@link System#exit} in the promise's rejection handler, while the kill is under way).</li>
 * </ul>
 *
 * <p>Output, one line each: {@code tree <pid>...}, {@code rejected <reason>} (the run's
 * rejection, with its message), {@code returned} (when {@code EventLoop.run} returned), or
 * {@code no tree: <why>} when the tree could not be seen before the run settled.
 */
public final class ProcessTreeProgram {
    private ProcessTreeProgram() {}

    public static void main(String[] args) {
        String tree = args[0];
        String stop = args[1];
        boolean exit = args[2].equals("exit");
        Command command = switch (tree) {
            case "sleep" -> Command.of("sleep", "100");
            case "shell" -> Command.of("sh", "-c", "sleep 100 & sleep 100");
            case "stubborn" -> Command.of("sh", "-c", "trap '' HUP TERM; sleep 100 & sleep 100");
            default -> throw new IllegalArgumentException("tree: " + tree);
        };
        int members = tree.equals("sleep") ? 1 : 3;
        if (stop.equals("timeout")) {
            command = command.timeout(Duration.ofSeconds(1));
        }
        Command run = command;
        EventLoop.run(() -> {
            // children this JVM had before (a shell's process substitution may be one): not the tree
            Set<ProcessHandle> others = ProcessHandle.current().children().collect(Collectors.toSet());
            AbortController controller = new AbortController();
            Promise<ProcessResult> p = stop.equals("abort")
                    ? Processes.run(run.signal(controller.signal()))
                    : Processes.run(run);
            p.asCallback((error, value) -> {
                System.out.println("rejected " + (error == null ? "not: fulfilled " + value : error));
                System.out.flush();
                if (exit) {
                    System.exit(0);
                }
            });
            AtomicReference<Timeout> poll = new AtomicReference<>();
            poll.set(EventLoop.current().setInterval(() -> {
                if (!p.isPending()) {
                    poll.get().cancel();
                    System.out.println("no tree: the run settled first");
                    return;
                }
                List<ProcessHandle> found = ProcessHandle.current().children().filter(c -> !others.contains(c))
                        .flatMap(c -> Stream.concat(Stream.of(c), c.descendants())).toList();
                if (found.size() < members) {
                    return;
                }
                poll.get().cancel();
                System.out.println("tree " + found.stream().map(h -> Long.toString(h.pid()))
                        .collect(Collectors.joining(" ")));
                System.out.flush();
                switch (stop) {
                    case "cancel" -> p.cancel();
                    case "abort" -> controller.abort(new IllegalStateException("aborted by the program"));
                    case "close" -> EventLoop.current().close();
                    case "timeout" -> { } // the time limit stops it
                    default -> throw new IllegalArgumentException("stop: " + stop);
                }
            }, 5));
        });
        System.out.println("returned");
        System.out.flush();
        if (exit) {
            System.exit(0); // the close case: the rejection handler did not run on a closed loop
        }
    }
}
