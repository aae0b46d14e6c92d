package dev.eventual;

import static dev.eventual.Async.async;
import static dev.eventual.Async.await;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Rule 6: cancel rejects with a CancellationException and reaches the producer (timer, future,
 * async body, combinator inputs), a derived promise cancels its source only when no other
 * consumer needs it, and after cancelling everything the loop has nothing left (rule 7).
 *
 * <p>Long timers (60 s) stand for work that must be stopped: {@link #runPromptly} fails the test
 * if {@code EventLoop.run} does not return, instead of waiting for them. Nothing asserts a time.
 */
class CancellationTest {
    private static final Duration LONG = Duration.ofSeconds(60);

    /** Runs a program on a new loop, failing (not hanging) if its loop does not end by itself. */
    private static void runPromptly(Runnable main) {
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> EventLoop.builder()
                .unhandledRejections(UnhandledRejectionPolicy.THROW).run(main),
                "EventLoop.run did not return: something cancelled still keeps the loop alive");
    }

    private static Throwable reasonOf(Promise<?> p) {
        return ((Settled.Rejected<?>) p.peek().orElseThrow()).reason();
    }

    @Test
    void cancel_ofADelay_rejectsWithCancellation_clearsItsTimer_soItNeverFires_andRunReturnsAtOnce() {
        List<String> log = new ArrayList<>();
        AtomicReference<Promise<Void>> delay = new AtomicReference<>();
        runPromptly(() -> {
            Promise<Void> d = Promise.delay(LONG);
            delay.set(d);
            d.then(v -> log.add("fired"), e -> log.add("rejected " + e.getClass().getSimpleName()));
            assertThat(d.cancel()).isTrue();
            assertThat(d.cancel()).isFalse();
            log.add("sync");
        });
        assertThat(log).containsExactly("sync", "rejected CancellationException");
        assertThat(reasonOf(delay.get())).isInstanceOf(CancellationException.class);
    }

    @Test
    void cancel_ofAPromiseFromACompletableFuture_cancelsTheFuture_andReleasesTheLoop() {
        CompletableFuture<String> future = new CompletableFuture<>();
        runPromptly(() -> {
            Promise<String> p = Promise.from(future);
            p.caught(CancellationException.class, e -> "cancelled");
            p.cancel();
        });
        assertThat(future.isCancelled()).isTrue();
    }

    @Test
    void cancel_ofAnAsyncBody_throwsCancellationAtItsAwait_runsFinally_andEveryLaterAwaitThrowsAtOnce() {
        List<String> log = new ArrayList<>();
        runPromptly(() -> {
            Promise<String> body = async(() -> {
                try {
                    await(Promise.delay(LONG)); // only this body awaits it: its timer is cleared
                    log.add("not reached");
                } catch (CancellationException e) {
                    log.add("await threw");
                } finally {
                    log.add("finally");
                }
                try {
                    await(Promise.resolve("x"));
                } catch (CancellationException e) {
                    log.add("later await threw");
                }
                return "ended";
            });
            body.caught(e -> {
                log.add("body rejected " + e.getClass().getSimpleName());
                return null;
            });
            log.add("cancel " + body.cancel());
        });
        // The cancel rejects the body's promise at once; the body resumes as the next microtask.
        assertThat(log).containsExactly("cancel true", "body rejected CancellationException", "await threw", "finally",
                "later await threw");
    }

    @Test
    void cancel_ofItsOwnPromiseByARunningBody_makesItsNextAwaitThrow() {
        List<String> log = new ArrayList<>();
        runPromptly(() -> {
            AtomicReference<Promise<Void>> self = new AtomicReference<>();
            Deferred<Void> started = Promise.withResolvers();
            self.set(async(() -> {
                await(started.promise());
                self.get().cancel();
                log.add("still running after cancel");
                try {
                    await(Promise.resolve(null));
                } catch (CancellationException e) {
                    log.add("next await threw");
                }
            }));
            self.get().caught(e -> null);
            started.resolve(null);
        });
        assertThat(log).containsExactly("still running after cancel", "next await threw");
    }

    @Test
    void cancel_ofABodyNotYetStartedOffTheLoop_neverRunsIt() throws Exception {
        List<String> log = new ArrayList<>();
        try (EventLoop loop = EventLoop.builder().daemon(true).start()) {
            CompletableFuture<Void> gate = new CompletableFuture<>();
            loop.execute(gate::join); // holds the loop until the body's start task is queued and cancelled
            Promise<String> body = async(loop, () -> {
                log.add("ran");
                return "x";
            });
            assertThat(body.cancel()).isTrue();
            gate.complete(null);
            CompletableFuture<String> result = body.toCompletableFuture();
            // A CompletableFuture completed with a CancellationException throws it from get() as it is.
            assertThatThrownBy(() -> result.get(10, SECONDS)).isInstanceOf(CancellationException.class);
            loop.submit(() -> null).toCompletableFuture().get(10, SECONDS);
        }
        assertThat(log).isEmpty();
    }

    @Test
    void cancel_ofTheLastLinkOfAChain_cancelsEveryLinkUpToTheTimer_andNoHandlerRuns() {
        List<String> log = new ArrayList<>();
        AtomicReference<Promise<Void>> source = new AtomicReference<>();
        runPromptly(() -> {
            Promise<Void> d = Promise.delay(LONG);
            source.set(d);
            Promise<String> last = d.then(v -> log.add("first") ? "a" : "b").then(v -> log.add("second") ? "c" : "d");
            last.cancel();
        });
        assertThat(log).isEmpty();
        assertThat(reasonOf(source.get())).isInstanceOf(CancellationException.class);
    }

    @Test
    void cancel_ofOneOfTwoConsumers_leavesTheSharedSourceRunning_andOnlyTheOtherHandlerRuns() {
        List<String> log = new ArrayList<>();
        runPromptly(() -> {
            Promise<Void> shared = Promise.delay(Duration.ofMillis(5));
            Promise<Boolean> cancelled = shared.then(v -> log.add("cancelled consumer ran"));
            shared.then(v -> log.add("other consumer ran"));
            cancelled.caught(e -> log.add("cancelled consumer rejected"));
            cancelled.cancel();
            shared.thenAccept(v -> log.add("source fulfilled"));
        });
        assertThat(log).containsExactly("cancelled consumer rejected", "other consumer ran", "source fulfilled");
    }

    @Test
    void cancel_ofEveryConsumer_cancelsTheSharedSource() {
        AtomicReference<Promise<Void>> shared = new AtomicReference<>();
        runPromptly(() -> {
            Promise<Void> s = Promise.delay(LONG);
            shared.set(s);
            Promise<Void> a = s.thenAccept(v -> {});
            Promise<Void> b = s.thenAccept(v -> {});
            a.cancel();
            assertThat(s.isPending()).isTrue(); // b still needs it
            b.cancel();
            assertThat(s.isRejected()).isTrue();
        });
        assertThat(reasonOf(shared.get())).isInstanceOf(CancellationException.class);
    }

    @Test
    void cancel_ofAThenComposeFollowingADelay_cancelsTheDelayItFollows() {
        AtomicReference<Promise<Void>> inner = new AtomicReference<>();
        runPromptly(() -> {
            Promise<Void> outer = Promise.resolve("go").thenCompose(v -> {
                Promise<Void> d = Promise.delay(LONG);
                inner.set(d);
                return d;
            });
            outer.caught(e -> null);
            EventLoop.current().setTimeout(() -> outer.cancel(), 1); // once it follows the delay
        });
        assertThat(reasonOf(inner.get())).isInstanceOf(CancellationException.class);
    }

    @Test
    void cancel_ofASettledPromise_returnsFalse_andAResolveAfterACancelLoses() {
        runPromptly(() -> {
            Promise<String> done = Promise.resolve("v");
            assertThat(done.cancel()).isFalse();
            assertThat(done.isFulfilled()).isTrue();
            Deferred<String> d = Promise.withResolvers();
            assertThat(d.promise().cancel()).isTrue();
            assertThat(d.tryResolve("late")).isFalse();
            assertThat(d.promise().isRejected()).isTrue();
        });
    }

    @Test
    void cancel_withNoHandler_isNotReportedAsAnUnhandledRejection() {
        // runPromptly uses the THROW policy: a report would make run throw.
        runPromptly(() -> Promise.delay(LONG).cancel());
    }

    @Test
    void cancel_fromAnotherThread_rejectsOnce_andTheProducerStopsOnTheLoop() throws Exception {
        try (EventLoop loop = EventLoop.builder().daemon(true).start()) {
            Promise<Void> d = loop.submit(() -> Promise.delay(LONG)).toCompletableFuture().get(10, SECONDS);
            CompletableFuture<Void> outcome = d.toCompletableFuture();
            assertThat(d.cancel()).isTrue();
            assertThat(d.cancel()).isFalse();
            assertThatThrownBy(() -> outcome.get(10, SECONDS)).isInstanceOf(CancellationException.class);
        }
    }

    @Test
    void cancelRacingResolveFromAnotherThread_settlesExactlyOnce_eachTime() throws Exception {
        int rounds = 20_000;
        try (EventLoop loop = EventLoop.builder().daemon(true).start()) {
            List<Deferred<String>> deferreds = new ArrayList<>();
            for (int i = 0; i < rounds; i++) {
                deferreds.add(loop.withResolvers());
            }
            boolean[] resolved = new boolean[rounds];
            boolean[] cancelled = new boolean[rounds];
            CyclicBarrier start = new CyclicBarrier(2);
            Thread resolver = Thread.ofPlatform().start(() -> {
                arrive(start);
                for (int i = 0; i < rounds; i++) {
                    resolved[i] = deferreds.get(i).tryResolve("v");
                }
            });
            Thread canceller = Thread.ofPlatform().start(() -> {
                arrive(start);
                for (int i = 0; i < rounds; i++) {
                    cancelled[i] = deferreds.get(i).promise().cancel();
                }
            });
            resolver.join();
            canceller.join();
            int cancels = 0;
            for (int i = 0; i < rounds; i++) {
                Promise<String> p = deferreds.get(i).promise();
                assertThat(resolved[i] ^ cancelled[i]).as("exactly one winner in round %d", i).isTrue();
                assertThat(p.isRejected()).as("state of round %d is the winner's", i).isEqualTo(cancelled[i]);
                if (cancelled[i]) {
                    cancels++;
                    assertThat(reasonOf(p)).isInstanceOf(CancellationException.class);
                }
            }
            System.out.println("cancel won " + cancels + " of " + rounds + " races");
        }
    }

    private static void arrive(CyclicBarrier barrier) {
        try {
            barrier.await(10, SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void timeout_ofASourceThatSettlesFirst_settlesLikeIt_andClearsItsTimerSoRunReturnsAtOnce() {
        List<String> log = new ArrayList<>();
        runPromptly(() -> Promise.resolve("quick").timeout(LONG).thenAccept(log::add));
        assertThat(log).containsExactly("quick");
    }

    @Test
    void cancel_ofATimeoutPromise_clearsItsTimer_andCancelsItsSource() {
        AtomicReference<Promise<Void>> source = new AtomicReference<>();
        runPromptly(() -> {
            Promise<Void> s = Promise.delay(LONG);
            source.set(s);
            s.timeout(LONG).cancel();
        });
        assertThat(reasonOf(source.get())).isInstanceOf(CancellationException.class);
    }

    @Test
    void raceCancelling_cancelsTheLosers_butALoserSharedWithAnotherConsumerKeepsRunning() {
        List<String> log = new ArrayList<>();
        AtomicReference<Promise<Void>> loser = new AtomicReference<>();
        runPromptly(() -> {
            Promise<String> winner = Promise.delay(Duration.ofMillis(5)).then(v -> "winner");
            Promise<Void> alone = Promise.delay(LONG);
            loser.set(alone);
            Promise<String> shared = Promise.delay(Duration.ofMillis(30)).then(v -> "shared");
            shared.thenAccept(v -> log.add("shared still ran: " + v));
            Promise.<Object>raceCancelling(winner, alone, shared).thenAccept(v -> log.add("race: " + v));
        });
        assertThat(log).containsExactly("race: winner", "shared still ran: shared");
        assertThat(reasonOf(loser.get())).isInstanceOf(CancellationException.class);
    }

    @Test
    void race_plain_leavesTheLosersRunning_asJavaScriptDoes() {
        List<String> log = new ArrayList<>();
        runPromptly(() -> {
            Promise<String> slow = Promise.delay(Duration.ofMillis(20)).then(v -> "slow");
            Promise.race(Promise.resolve("fast"), slow).thenAccept(v -> log.add("race: " + v));
            EventLoop.current().setTimeout(() -> slow.thenAccept(v -> log.add("loser fulfilled: " + v)), 1);
        });
        assertThat(log).containsExactly("race: fast", "loser fulfilled: slow");
    }

    @Test
    void allCancelling_cancelsTheRestOnceOneRejects() {
        List<String> log = new ArrayList<>();
        AtomicReference<Promise<Void>> rest = new AtomicReference<>();
        runPromptly(() -> {
            Promise<Void> pending = Promise.delay(LONG);
            rest.set(pending);
            Promise<Void> failing = Promise.delay(Duration.ofMillis(5)).thenAccept(v -> {
                throw new IllegalStateException("boom");
            });
            Promise.allCancelling(pending, failing).caught(e -> {
                log.add("all rejected: " + e.getMessage());
                return null;
            });
        });
        assertThat(log).containsExactly("all rejected: boom");
        assertThat(reasonOf(rest.get())).isInstanceOf(CancellationException.class);
    }

    @Test
    void anyCancelling_cancelsTheRestOnceOneFulfils() {
        AtomicReference<Promise<Void>> rest = new AtomicReference<>();
        List<String> log = new ArrayList<>();
        runPromptly(() -> {
            Promise<Void> pending = Promise.delay(LONG);
            rest.set(pending);
            Promise.<Object>anyCancelling(pending, Promise.reject(new RuntimeException("no")), Promise.resolve("yes"))
                    .thenAccept(v -> log.add("any: " + v));
        });
        assertThat(log).containsExactly("any: yes");
        assertThat(reasonOf(rest.get())).isInstanceOf(CancellationException.class);
    }

    @Test
    void cancel_ofAPlainCombinatorsResult_cancelsTheInputsNobodyElseNeeds() {
        AtomicReference<Promise<Void>> input = new AtomicReference<>();
        runPromptly(() -> {
            Promise<Void> d = Promise.delay(LONG);
            input.set(d);
            Promise.all(d, Promise.resolve(null)).cancel();
        });
        assertThat(reasonOf(input.get())).isInstanceOf(CancellationException.class);
    }

    @Test
    void cancellingEverythingAProgramStarted_letsRunReturnAtOnce() {
        CompletableFuture<String> future = new CompletableFuture<>();
        runPromptly(() -> {
            List<Promise<?>> started = new ArrayList<>();
            started.add(Promise.delay(LONG));
            started.add(Promise.from(future));
            started.add(async(() -> await(Promise.delay(LONG))));
            started.add(Promise.delay(LONG).then(v -> "x").timeout(LONG));
            started.add(Promise.retry(RetryPolicy.exponential(5, LONG), () -> Promise.delay(LONG)));
            started.add(Promise.race(Promise.delay(LONG), Promise.delay(LONG)));
            EventLoop.current().setTimeout(() -> started.forEach(Promise::cancel), 1);
        });
        assertThat(future.isCancelled()).isTrue();
    }
}
