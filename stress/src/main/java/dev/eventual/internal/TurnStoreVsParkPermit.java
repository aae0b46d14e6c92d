package dev.eventual.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * The race behind "Waking" in the {@link AsyncBody} overview, as the JDK's virtual thread park and
 * unpark do it: the giver stores TURN = BODY as AsyncBody.enter does, then unparks the body, which
 * does nothing but read the permit when it is already set (a permit left over from an earlier
 * round); the body, about to park, consumes its permit (getAndSet) and, since park returned, reads
 * TURN again. r1: 1 if the unpark found the permit set (and so woke nobody); r2: the TURN the body
 * read. (1, GIVER) is the lost wake-up: the unpark did nothing and the body parks again, for good.
 * The store is volatile as in AsyncBody; with setRelease the memory model allows this outcome.
 */
@JCStressTest
@Outcome(id = {"0, 0", "0, 1", "1, 1"}, expect = Expect.ACCEPTABLE,
        desc = "the unpark set the permit (the body's next park returns), or the body saw TURN given")
@Outcome(id = "1, 0", expect = Expect.FORBIDDEN,
        desc = "lost wake-up: the unpark saw the old permit, the body consumed it and missed TURN")
@State
public class TurnStoreVsParkPermit {
    private static final int GIVER = 0;
    private static final int BODY = 1;
    private static final VarHandle TURN;
    private static final VarHandle PERMIT;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            TURN = l.findVarHandle(TurnStoreVsParkPermit.class, "turn", int.class);
            PERMIT = l.findVarHandle(TurnStoreVsParkPermit.class, "permit", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") // accessed through TURN
    private volatile int turn = GIVER;
    /** The body's park permit, left set by an earlier round's unpark. */
    @SuppressWarnings("unused") // accessed through PERMIT
    private volatile boolean permit = true;

    @Actor
    public void giver(II_Result r) {
        TURN.setVolatile(this, BODY); // as AsyncBody.enter
        // VirtualThread.unpark: getAndSetParkPermit(true) reads first, and sets only if clear
        boolean wasSet = (boolean) PERMIT.getVolatile(this) || (boolean) PERMIT.getAndSet(this, true);
        r.r1 = wasSet ? 1 : 0;
    }

    @Actor
    public void body(II_Result r) {
        PERMIT.getAndSet(this, false); // VirtualThread.park: consumes the permit and returns at once
        r.r2 = (int) TURN.getAcquire(this); // AsyncBody.awaitValue's loop reads TURN again
    }
}
