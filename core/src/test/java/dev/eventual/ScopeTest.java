package dev.eventual;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Scope: it settles after all its work, cancels all of it, fails as its kind says, follows a
 * signal, and reports no unhandled rejection for a cancellation. Every run uses the THROW policy,
 * so an unhandled rejection fails the test.
 */
class ScopeTest {
    private static final Duration LONG = Duration.ofSeconds(60);

    private static void runPromptly(Runnable main) {
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> EventLoop.builder()
                .unhandledRejections(UnhandledRejectionPolicy.THROW).run(main),
                "EventLoop.run did not return: a scope left work keeping the loop alive");
    }

    private static Promise<String> after(int ms, String value, List<String> log) {
        return Promise.delay(Duration.ofMillis(ms)).then(v -> {
            log.add("child " + value + " done");
            return value;
        });
    }

    private static String describe(Throwable e) {
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    @Nested
    class Lifetime {
        @Test
        void theScopeSettlesOnlyAfterEveryChild_evenWhenTheBodyIsDoneFirst() {
            List<String> log = new ArrayList<>();
            runPromptly(() -> Scope.run(scope -> {
                scope.fork(() -> after(20, "slow", log));
                scope.fork(() -> after(5, "fast", log));
                log.add("body returns, pending " + scope.pending());
                return Promise.resolve("body value");
            }).thenAccept(v -> log.add("scope: " + v)));
            assertThat(log).containsExactly("body returns, pending 3", "child fast done", "child slow done",
                    "scope: body value");
        }

        @Test
        void forkFromACallbackWhileOpenIsOwnedToo_butForkAfterTheEndOrOffTheLoopIsRefused() {
            List<String> log = new ArrayList<>();
            AtomicReference<Scope> held = new AtomicReference<>();
            runPromptly(() -> Scope.run(scope -> {
                held.set(scope);
                return scope.fork(() -> after(5, "first", log)).thenAccept(v ->
                        scope.fork(() -> after(5, "second, forked by a callback", log)));
            }).thenAccept(v -> {
                log.add("scope done");
                assertThatThrownBy(() -> held.get().fork(() -> Promise.resolve(1)))
                        .isInstanceOf(IllegalStateException.class).hasMessageContaining("after the scope ended");
            }));
            assertThat(log).containsExactly("child first done", "child second, forked by a callback done", "scope done");
            assertThatThrownBy(() -> held.get().fork(() -> Promise.resolve(1)))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("must be called on the thread");
        }

        @Test
        void aChildOfAnotherLoop_isWaitedFor_evenThroughACancel() throws Exception {
            EventLoop other = EventLoop.start("other-loop");
            try {
                List<String> log = new ArrayList<>();
                CompletableFuture<Promise<Void>> remote = new CompletableFuture<>();
                other.execute(() -> remote.complete(Promise.delay(LONG)));
                Promise<Void> child = remote.get(10, TimeUnit.SECONDS);
                runPromptly(() -> {
                    Promise<Object> s = Scope.run(scope -> {
                        scope.fork(() -> child);
                        return Promise.resolve(null);
                    });
                    s.caught(e -> {
                        log.add("scope rejected, child " + child.state());
                        return null;
                    });
                    Promise.delay(Duration.ofMillis(2)).thenAccept(v -> {
                        s.cancel();
                        log.add("cancel returned, scope " + s.state());
                    });
                });
                assertThat(log).containsExactly("cancel returned, scope PENDING", "scope rejected, child REJECTED");
            } finally {
                other.close();
            }
        }
    }

    @Nested
    class Cancelling {
        @Test
        void cancel_abortsTheSignal_cancelsEveryChildAndTheBody_andRejectsOnlyAfterThemWithoutAnUnhandledReport() {
            List<String> log = new ArrayList<>();
            List<Promise<?>> children = new ArrayList<>();
            AtomicReference<Promise<String>> scopePromise = new AtomicReference<>();
            runPromptly(() -> {
                scopePromise.set(Scope.run(scope -> {
                    scope.signal().addListener(() -> log.add("signal aborted: " + scope.signal().reason().getMessage()));
                    for (int i = 0; i < 3; i++) {
                        int n = i;
                        // The whole chain is forked, so its cancellation is the scope's, handled.
                        children.add(scope.fork(() -> Promise.delay(LONG).then(v -> "child " + n)));
                    }
                    return Async.async(() -> {
                        Async.await(Promise.delay(LONG));
                        return "never";
                    });
                }));
                scopePromise.get().caught(e -> {
                    log.add("scope: " + describe(e));
                    return null;
                });
                Promise.delay(Duration.ofMillis(2)).thenAccept(v -> {
                    boolean first = scopePromise.get().cancel();
                    log.add("cancel " + first + ", again " + scopePromise.get().cancel() + ", scope "
                            + scopePromise.get().state());
                });
            });
            assertThat(log).containsExactly("signal aborted: scope cancelled", "cancel true, again false, scope PENDING",
                    "scope: CancellationException: scope cancelled");
            assertThat(children).allSatisfy(c -> assertThat(c.isRejected()).isTrue());
        }

        @Test
        void cancellingAPromiseDerivedFromTheScope_cancelsTheScopeUnderTheConsumerRule() {
            List<String> log = new ArrayList<>();
            AtomicReference<Promise<Void>> child = new AtomicReference<>();
            runPromptly(() -> {
                Promise<String> derived = Scope.run(scope -> {
                    child.set(scope.fork(() -> Promise.delay(LONG)));
                    return Promise.resolve("v");
                }).then(v -> v + "!");
                Promise.delay(Duration.ofMillis(2)).thenAccept(v -> {
                    derived.cancel();
                    log.add("child " + child.get().state());
                });
            });
            assertThat(log).containsExactly("child REJECTED");
        }

        @Test
        void aSignalGivenToRun_cancelsTheScope_whichRejectsWithItsReason_andALimiterOnTheScopesSignalEmpties() {
            List<String> log = new ArrayList<>();
            AtomicInteger started = new AtomicInteger();
            runPromptly(() -> {
                AbortSignal deadline = AbortSignal.timeout(Duration.ofMillis(5));
                Scope.run(deadline, scope -> {
                    Limiter limit = Limiter.of(2, scope.signal());
                    List<Promise<String>> pages = new ArrayList<>();
                    for (int i = 0; i < 10; i++) {
                        pages.add(scope.fork(() -> limit.run(() -> {
                            started.incrementAndGet();
                            return Promise.delay(LONG, scope.signal()).then(v -> "page");
                        })));
                    }
                    return Promise.all(pages);
                }).caught(e -> {
                    log.add("scope: " + describe(e));
                    return null;
                });
            });
            assertThat(log).containsExactly("scope: AsyncTimeoutException: signal timed out after 5 ms");
            assertThat(started.get()).as("tasks started: the queued ones never were").isEqualTo(2);
        }

        @Test
        void aBodyThatCancelsItsScope_hasThePromiseItThenReturnsCancelledToo() {
            AtomicReference<Promise<Void>> returned = new AtomicReference<>();
            AtomicReference<Throwable> reason = new AtomicReference<>();
            runPromptly(() -> Scope.run(scope -> {
                scope.cancel();
                returned.set(Promise.delay(LONG));
                return returned.get();
            }).caught(e -> {
                reason.set(e);
                return null;
            }));
            assertThat(returned.get().isRejected()).isTrue();
            assertThat(reason.get()).isInstanceOf(CancellationException.class).hasMessage("scope cancelled");
        }

        @Test
        void forkWhileCancelling_doesNotCallTheWork_andRejectsWithTheScopesReason() {
            AtomicInteger calls = new AtomicInteger();
            AtomicReference<Throwable> reason = new AtomicReference<>();
            runPromptly(() -> Scope.run(scope -> {
                scope.signal().addListener(() -> scope.fork(() -> {
                    calls.incrementAndGet();
                    return Promise.resolve(1);
                }).caught(e -> {
                    reason.set(e);
                    return 0;
                }));
                scope.cancel();
                return Promise.resolve(null);
            }).caught(e -> null));
            assertThat(calls.get()).isZero();
            assertThat(reason.get()).isInstanceOf(CancellationException.class).hasMessage("scope cancelled");
        }
    }

    @Nested
    class Failing {
        @Test
        void run_letsTheSiblingsFinish_thenRejectsWithTheFirstFailure() {
            List<String> log = new ArrayList<>();
            runPromptly(() -> Scope.run(scope -> {
                scope.fork(() -> Promise.delay(Duration.ofMillis(2)).thenCompose(v -> Promise.reject(new IOException("page 42"))));
                scope.fork(() -> Promise.delay(Duration.ofMillis(4)).thenCompose(v -> Promise.reject(new IOException("page 43"))));
                scope.fork(() -> after(15, "sibling", log));
                return Promise.resolve("body");
            }).caught(e -> {
                log.add("scope: " + describe(e));
                return null;
            }));
            assertThat(log).containsExactly("child sibling done", "scope: IOException: page 42");
        }

        @Test
        void runCancelling_cancelsTheSiblingsAtTheFirstFailure_andRejectsWithIt_afterTheyHaveSettled() {
            List<String> log = new ArrayList<>();
            AtomicReference<Promise<String>> sibling = new AtomicReference<>();
            AtomicReference<Throwable> signalReason = new AtomicReference<>();
            IOException failure = new IOException("page 42");
            runPromptly(() -> Scope.runCancelling(scope -> {
                scope.signal().addListener(() -> signalReason.set(scope.signal().reason()));
                scope.fork(() -> Promise.delay(Duration.ofMillis(2)).thenCompose(v -> Promise.reject(failure)));
                sibling.set(scope.fork(() -> after(60_000, "sibling", log)));
                return Promise.resolve("body");
            }).caught(e -> {
                log.add("scope: " + describe(e) + ", sibling " + sibling.get().state());
                return null;
            }));
            assertThat(log).containsExactly("scope: IOException: page 42, sibling REJECTED");
            assertThat(signalReason.get()).isInstanceOf(CancellationException.class).hasCause(failure);
        }

        @Test
        void aBodyThatThrows_cancelsTheChildren_andTheScopeRejectsWithWhatItThrew() {
            AtomicReference<Promise<Void>> child = new AtomicReference<>();
            AtomicReference<Throwable> reason = new AtomicReference<>();
            IllegalStateException thrown = new IllegalStateException("body broke");
            runPromptly(() -> Scope.run(scope -> {
                child.set(scope.fork(() -> Promise.delay(LONG)));
                throw thrown;
            }).caught(e -> {
                reason.set(e);
                return null;
            }));
            assertThat(reason.get()).isSameAs(thrown);
            assertThat(child.get().isRejected()).isTrue();
        }

        @Test
        void aChildThatThrowsOrReturnsNull_isAChildFailure() {
            List<String> log = new ArrayList<>();
            runPromptly(() -> {
                Scope.run(scope -> {
                    scope.fork(() -> {
                        throw new IllegalArgumentException("bad url");
                    });
                    return Promise.resolve(null);
                }).caught(e -> {
                    log.add(describe(e));
                    return null;
                });
                Scope.run(scope -> {
                    scope.fork(() -> null);
                    return Promise.resolve(null);
                }).caught(e -> {
                    log.add(e.getClass().getSimpleName());
                    return null;
                });
            });
            assertThat(log).containsExactly("IllegalArgumentException: bad url", "NullPointerException");
        }

        @Test
        void scopesNeedALoop_andAnArgument() {
            assertThatThrownBy(() -> Scope.run(s -> Promise.resolve(1))).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("Scope.run");
            runPromptly(() -> assertThatThrownBy(() -> Scope.run(null)).hasMessage("body"));
        }
    }
}
