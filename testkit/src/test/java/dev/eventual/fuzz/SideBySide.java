package dev.eventual.fuzz;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a batch of programs in Node and on Eventual, both on virtual time: one Node process for
 * the batch (under the timers shim, see {@link NodeBatch}), and meanwhile each program on its own
 * virtual-time loop, one after the other on the calling thread. Neither side's order depends on
 * how long the machine takes, so a busy machine slows the run down but cannot change a log.
 */
final class SideBySide {
    /** The largest batch: one Node process runs this many programs. */
    static final int MAX_BATCH = 50;

    /** One program's two logs, and the timers its Eventual run set. */
    record Result(Program program, List<String> node, List<String> eventual, TimerSchedule timers) {
        boolean matches() {
            return node.equals(eventual);
        }
    }

    private SideBySide() {}

    static List<Result> run(String node, List<Program> batch) throws IOException, InterruptedException {
        NodeBatch nodeRun = NodeBatch.start(node, batch, true);
        List<EventualInterpreter.Run> eventualRuns = runOnEventual(batch);
        List<NodeBatch.Output> nodeOutputs = nodeRun.outputs();
        List<Result> results = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            EventualInterpreter.Run run = eventualRuns.get(i);
            results.add(new Result(batch.get(i), nodeOutputs.get(i).log(), run.log(), run.timers()));
        }
        return results;
    }

    /** Runs every program on its own virtual-time loop; returns their runs in batch order. */
    static List<EventualInterpreter.Run> runOnEventual(List<Program> batch) {
        if (batch.size() > MAX_BATCH) {
            throw new IllegalArgumentException("batch larger than " + MAX_BATCH + ": " + batch.size());
        }
        return batch.stream().map(EventualInterpreter::run).toList();
    }
}
