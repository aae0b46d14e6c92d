package dev.eventual.stress;

import dev.eventual.EventLoop;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * {@code execute} from another thread racing {@code close}: the task either runs, or execute
 * throws RejectedExecutionException. A task accepted just before the loop stopped is dropped,
 * and the loop reports the count on stderr: allowed, but interesting.
 */
@JCStressTest
@Outcome(id = "1, 0", expect = Expect.ACCEPTABLE, desc = "the task ran")
@Outcome(id = "0, 1", expect = Expect.ACCEPTABLE, desc = "execute was refused")
@Outcome(id = "0, 0", expect = Expect.ACCEPTABLE_INTERESTING, desc = "accepted as the loop closed; dropped and reported")
@Outcome(expect = Expect.FORBIDDEN, desc = "ran and refused, or ran twice")
@State
public class ExecuteVsClose {
    private final EventLoop loop = EventLoop.builder().name("stress-close").daemon(true).start();
    private final AtomicInteger ran = new AtomicInteger();

    @Actor
    public void execute(II_Result r) {
        try {
            loop.execute(ran::incrementAndGet);
        } catch (RejectedExecutionException e) {
            r.r2 = 1;
        }
    }

    @Actor
    public void close() {
        loop.close();
    }

    @Arbiter
    public void arbiter(II_Result r) {
        loop.close(); // waits until the loop has stopped
        r.r1 = ran.get();
    }
}
