package dev.eventual.fuzz;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Runs a batch of programs in Node and on Eventual at the same time: one Node process for the
 * batch, and one Eventual loop per program, each on its own thread, all at once. Running them
 * together costs no accuracy: the programs are independent, their timers mostly wait,
 * {@link TimerSchedule} finds any program whose timer order execution time could change, and
 * both sides measure how late their timers were set, so that a run disturbed by a busy machine
 * is known as such.
 */
final class SideBySide {
    /** The largest batch; also the number of loop threads. */
    static final int MAX_BATCH = 25;
    private static final long TIMEOUT_SECONDS = 60;

    private static final ExecutorService LOOPS = Executors.newFixedThreadPool(MAX_BATCH, r -> {
        Thread t = new Thread(r, "fuzz-loop");
        t.setDaemon(true);
        return t;
    });

    /**
     * One program's two logs; why its timer order is not comparable, if it is not; and the later
     * of the two sides' {@link TimerSchedule#lateness()}.
     */
    record Result(Program program, List<String> node, List<String> eventual, Optional<String> timerRace, double lateness) {
        /** Whether execution time may have reordered the program's timers in this run. */
        boolean late() {
            return lateness > TimerSchedule.LATENESS_LIMIT_MILLIS;
        }

        boolean matches() {
            return node.equals(eventual);
        }
    }

    private SideBySide() {}

    static List<Result> run(String node, List<Program> batch) throws IOException, InterruptedException {
        NodeBatch nodeRun = NodeBatch.start(node, batch);
        List<EventualInterpreter.Run> eventualRuns = runOnEventual(batch);
        List<NodeBatch.Output> nodeOutputs = nodeRun.outputs();
        List<Result> results = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            EventualInterpreter.Run run = eventualRuns.get(i);
            NodeBatch.Output out = nodeOutputs.get(i);
            results.add(new Result(batch.get(i), out.log(), run.log(), run.timerRace(), Math.max(out.lateness(), run.lateness())));
        }
        return results;
    }

    /** Runs every program on its own loop, all at once; returns their runs in batch order. */
    static List<EventualInterpreter.Run> runOnEventual(List<Program> batch) throws InterruptedException {
        if (batch.size() > MAX_BATCH) {
            throw new IllegalArgumentException("batch larger than " + MAX_BATCH + ": " + batch.size());
        }
        List<Callable<EventualInterpreter.Run>> tasks = new ArrayList<>();
        for (Program p : batch) {
            tasks.add(() -> EventualInterpreter.run(p));
        }
        List<EventualInterpreter.Run> runs = new ArrayList<>();
        for (Future<EventualInterpreter.Run> f : LOOPS.invokeAll(tasks, TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            try {
                runs.add(f.get());
            } catch (ExecutionException e) {
                throw new AssertionError("the interpreter failed", e.getCause());
            } catch (CancellationException e) {
                throw new AssertionError("a program did not finish on Eventual within " + TIMEOUT_SECONDS + " s", e);
            }
        }
        return runs;
    }
}
