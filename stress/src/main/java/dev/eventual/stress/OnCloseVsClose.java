package dev.eventual.stress;

import dev.eventual.EventLoop;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * {@code onClose} from another thread racing {@code close}: the hook runs exactly once, either on
 * the loop thread as it closes or at once on the registering thread when it registered too late
 * for shutdown to see it. Never lost, never twice.
 */
@JCStressTest
@Outcome(id = "1, 0", expect = Expect.ACCEPTABLE, desc = "shutdown found the hook and ran it")
@Outcome(id = "1, 1", expect = Expect.ACCEPTABLE, desc = "registered after shutdown's pass; ran on the registering thread")
@Outcome(expect = Expect.FORBIDDEN, desc = "lost or run twice")
@State
public class OnCloseVsClose {
    private final EventLoop loop = EventLoop.builder().name("stress-onclose").daemon(true).start();
    private final AtomicInteger runs = new AtomicInteger();
    private volatile Thread registrar;
    private volatile boolean ranOnRegistrar;

    @Actor
    public void register() {
        registrar = Thread.currentThread();
        loop.onClose(() -> {
            runs.incrementAndGet();
            if (Thread.currentThread() == registrar) {
                ranOnRegistrar = true;
            }
        });
    }

    @Actor
    public void close() {
        loop.close();
    }

    @Arbiter
    public void arbiter(II_Result r) {
        loop.close(); // waits until the loop has stopped
        r.r1 = runs.get();
        r.r2 = ranOnRegistrar ? 1 : 0;
    }
}
