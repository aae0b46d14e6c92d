package dev.eventual.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The links of an async stack (Trace): a derived promise's link is its site and its run in one,
 * a growing chain is cut to its newest links, and a cut never keeps the old chain reachable.
 */
class TraceTest {
    private static final StackTraceElement FRAME = new StackTraceElement("App", "main", "App.java", 12);

    private static List<Trace> chain(Trace head) {
        List<Trace> links = new ArrayList<>();
        for (Trace t = head; t != null; t = t.cause) {
            links.add(t);
        }
        return links;
    }

    @Test
    void aReactingLink_runsAsItsOwnSite_causedByItsTrigger_andLetsGoOfItsHandler() {
        Trace context = Trace.site("execute", FRAME, null);
        Trace trigger = Trace.site("setTimeout", FRAME, context);
        Object handler = new Object();
        Trace.Reacting link = new Trace.Reacting("then", FRAME, context, handler);
        assertThat(link.cause).as("cause before it is queued: the registering context").isSameAs(context);
        link.trigger(trigger);
        link.trigger(context); // a later trigger (a wrapper's, at run time) does not replace the first
        assertThat(link.start()).isSameAs(handler);
        assertThat(link.cause).isSameAs(trigger);
        assertThat(link.depth).isEqualTo(3);
        assertThat(link.start()).as("the handler, asked for again after it ran").isNull();
    }

    @Test
    void anUntriggeredLink_runsCausedByTheCodeThatRegisteredIt() {
        Trace context = Trace.site("execute", FRAME, null);
        Trace.Reacting link = new Trace.Reacting("then", FRAME, context, "handler");
        link.start();
        assertThat(link.cause).isSameAs(context);
        assertThat(link.depth).isEqualTo(2);
    }

    @Test
    void aGrowingChainOfDerivedLinks_isCut_andNoCutKeepsAnOldLinkReachable() {
        Set<Trace> made = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Trace.Reacting> order = new ArrayList<>();
        Trace head = Trace.site("execute", FRAME, null);
        int shortest = Integer.MAX_VALUE;
        for (int i = 0; i < 1_000; i++) {
            Trace.Reacting link = new Trace.Reacting("then", FRAME, null, "handler");
            link.trigger(head);
            link.start();
            made.add(link);
            order.add(link);
            head = link;
            List<Trace> links = chain(head);
            assertThat(links.size()).as("links after %d then links", i + 1).isLessThanOrEqualTo(Trace.MAX_DEPTH);
            assertThat(head.depth).isEqualTo(links.size());
            if (i >= Trace.MAX_DEPTH) {
                shortest = Math.min(shortest, links.size());
            }
        }
        assertThat(shortest).as("the shortest chain after a cut").isGreaterThanOrEqualTo(16);
        // Whatever the head reaches, through causes and registrations, is a recent original or a
        // copy: never a link made long ago, which (its cause being the old chain) would keep
        // every older link reachable.
        Set<Trace> recent = Collections.newSetFromMap(new IdentityHashMap<>());
        recent.addAll(order.subList(order.size() - Trace.MAX_DEPTH, order.size()));
        Set<Trace> reached = TraceReach.reachable(head);
        for (Trace t : reached) {
            assertThat(!made.contains(t) || recent.contains(t)).as("an old link reached from the head").isTrue();
        }
        assertThat(reached.size()).as("links reachable from the head").isLessThanOrEqualTo(2 * Trace.MAX_DEPTH);
    }

    @Test
    void aRun_holdsItsSitesKindAndFrame_butNotTheSite() {
        Trace context = Trace.site("async", FRAME, null);
        Trace site = Trace.site("await", FRAME, context);
        Trace trigger = Trace.site("setTimeout", FRAME, null);
        Trace run = Trace.run(site, trigger);
        assertThat(run.kind).isEqualTo("await");
        assertThat(run.frame).isSameAs(FRAME);
        assertThat(run.cause).isSameAs(trigger);
        assertThat(TraceReach.reachable(run)).as("what the run keeps reachable").containsOnly(run, trigger);
        assertThat(Trace.run(site, null)).as("a run nothing else caused").isSameAs(site);
    }

    @Test
    void aGrowingChainOfRuns_asAnAwaitLoopMakesIt_isCut_andNoCutKeepsAnOldLinkReachable() {
        // Each await: a site registered in the body's context, then its run caused by the trigger
        // (here the body's context too, as for an already settled promise).
        Set<Trace> made = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Trace> order = new ArrayList<>();
        Trace head = Trace.site("async", FRAME, null);
        for (int i = 0; i < 1_000; i++) {
            Trace site = Trace.site("await", FRAME, head);
            head = Trace.run(site, head);
            made.add(site);
            made.add(head);
            order.add(site);
            order.add(head);
            assertThat(chain(head).size()).as("links after %d awaits", i + 1).isLessThanOrEqualTo(Trace.MAX_DEPTH);
            assertThat(head.depth).isEqualTo(chain(head).size());
        }
        Set<Trace> recent = Collections.newSetFromMap(new IdentityHashMap<>());
        recent.addAll(order.subList(order.size() - 2 * Trace.MAX_DEPTH, order.size()));
        Set<Trace> reached = TraceReach.reachable(head);
        assertThat(reached.size()).as("links reachable from the head after 1000 awaits").isLessThanOrEqualTo(TraceReach.BOUND);
        int oldest = order.size();
        for (Trace t : reached) {
            if (made.contains(t) && !recent.contains(t)) {
                oldest = Math.min(oldest, order.indexOf(t));
            }
        }
        assertThat(oldest == order.size())
                .as("the head still reaches a link of await %d of 1000 (only the newest %d may be reached)",
                        oldest / 2 + 1, Trace.MAX_DEPTH)
                .isTrue();
    }
}
