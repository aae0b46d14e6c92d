package dev.eventual.io.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.eventual.AbortController;
import dev.eventual.AbortSignal;
import dev.eventual.AsyncIterator;
import dev.eventual.Deferred;
import dev.eventual.EventLoop;
import dev.eventual.Promise;
import dev.eventual.Timeout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessesTest {
    /** Only catches hangs; no test asserts how long anything takes. */
    private static final Duration HANG_GUARD = Duration.ofSeconds(30);

    /** The outcome of a promise, recorded by its callback. */
    static final class Outcome<T> {
        volatile boolean settled;
        volatile T value;
        volatile Throwable error;
        volatile Thread callbackThread;
        volatile Thread loopThread;
    }

    private static Command sh(String script, String... extra) {
        List<String> args = new ArrayList<>(List.of("/bin/sh", "-c", script));
        args.addAll(Arrays.asList(extra));
        return Command.of(args);
    }

    /** Runs {@code main} on a new loop; returns once the loop has ended. */
    private static void loop(Runnable main) {
        assertTimeoutPreemptively(HANG_GUARD, () -> EventLoop.run(main));
    }

    /** Runs a loop that starts one promise; returns its outcome once the loop has ended. */
    private static <T> Outcome<T> outcome(Supplier<Promise<T>> start) {
        Outcome<T> o = new Outcome<>();
        loop(() -> {
            o.loopThread = Thread.currentThread();
            start.get().asCallback((error, value) -> {
                o.callbackThread = Thread.currentThread();
                o.error = error;
                o.value = value;
                o.settled = true;
            });
        });
        assertThat(o.settled).as("settled before the loop ended").isTrue();
        return o;
    }

    /**
     * A promise of the shell started with {@code marker} as its {@code $0}, once it has started
     * its child: polled on the loop (the test cannot know when the start thread forks).
     */
    private static Promise<ProcessHandle> shellWithChild(String marker) {
        Deferred<ProcessHandle> found = Promise.withResolvers();
        AtomicReference<Timeout> timer = new AtomicReference<>();
        timer.set(EventLoop.current().setInterval(() -> {
            Optional<ProcessHandle> shell = ProcessHandle.current().descendants()
                    .filter(h -> h.info().arguments().map(a -> Arrays.asList(a).contains(marker)).orElse(false))
                    .filter(h -> h.children().findAny().isPresent())
                    .findFirst();
            if (shell.isPresent()) {
                timer.get().cancel();
                found.resolve(shell.get());
            }
        }, 5));
        return found.promise();
    }

    /** Waits (bounded, a hang guard) for each process to be gone and asserts it is. */
    private static void assertDies(List<ProcessHandle> processes) throws Exception {
        assertThat(processes).isNotEmpty();
        for (ProcessHandle h : processes) {
            try {
                h.onExit().get(HANG_GUARD.toSeconds(), TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                // asserted below
            }
            assertThat(h.isAlive()).as("pid %d alive", h.pid()).isFalse();
        }
    }

    @AfterEach
    void noProcessThreadIsLeftBehind() throws InterruptedException {
        long deadline = System.nanoTime() + HANG_GUARD.toNanos();
        List<Thread> live;
        while (!(live = ProcessThreads.live()).isEmpty() && System.nanoTime() < deadline) {
            for (Thread t : live) {
                t.join(HANG_GUARD); // a thread may start another (the start thread a killer): look again
            }
        }
        assertThat(ProcessThreads.live()).isEmpty();
    }

    // ---------------------------------------------------------------- run

    @Test
    void run_capturesExitCodeStdoutAndStderr_onTheLoopThread() {
        Outcome<ProcessResult> o = outcome(() -> Processes.run("/bin/sh", "-c", "echo out; echo err >&2; exit 0"));

        assertThat(o.error).isNull();
        ProcessResult r = o.value;
        assertThat(r.command()).containsExactly("/bin/sh", "-c", "echo out; echo err >&2; exit 0");
        assertThat(r.exitCode()).isZero();
        assertThat(r.succeeded()).isTrue();
        assertThat(r.stdout()).isEqualTo("out\n");
        assertThat(r.stderr()).isEqualTo("err\n");
        assertThat(r.stdoutTruncated()).isFalse();
        assertThat(r.stderrTruncated()).isFalse();
        assertThat(o.callbackThread).isSameAs(o.loopThread);
    }

    @Test
    void run_withNonZeroExit_fulfils_andRequireSuccessThrowsNamingCommandCodeAndStderr() {
        Outcome<ProcessResult> o = outcome(() -> Processes.run(sh("echo first >&2; echo 'bad thing' >&2; exit 3")));

        assertThat(o.error).isNull();
        assertThat(o.value.exitCode()).isEqualTo(3);
        assertThat(o.value.succeeded()).isFalse();
        assertThatThrownBy(o.value::requireSuccess)
                .isInstanceOf(ProcessException.class)
                .hasMessage("[\"/bin/sh\", \"-c\", \"echo first >&2; echo 'bad thing' >&2; exit 3\"] exited with code 3: first\nbad thing")
                .satisfies(e -> assertThat(((ProcessException) e).result()).contains(o.value));
    }

    @Test
    void run_ofAnUnknownCommand_rejectsNamingIt() {
        Outcome<ProcessResult> o = outcome(() -> Processes.run("nosuchcmd-eventual", "--x"));

        assertThat(o.error).isInstanceOf(ProcessException.class)
                .hasMessage("cannot start [\"nosuchcmd-eventual\", \"--x\"]: No such file or directory");
        assertThat(((ProcessException) o.error).command()).containsExactly("nosuchcmd-eventual", "--x");
        assertThat(o.callbackThread).isSameAs(o.loopThread);
    }

    @Test
    void run_ofAProgramWithSpacesInItsName_rejectsQuotingEachArgument_withBreaksAndNulsEscaped() {
        Outcome<ProcessResult> o = outcome(() -> Processes.run("no such prog", "a", "b", "c\nd\0e", "say \"hi\" \\ \t"));

        assertThat(o.error).isInstanceOf(ProcessException.class)
                .message().startsWith("cannot start [\"no such prog\", \"a\", \"b\", \"c\\nd\\u0000e\", \"say \\\"hi\\\" \\\\ \\t\"]: ");
        assertThat(((ProcessException) o.error).command()).containsExactly("no such prog", "a", "b", "c\nd\0e", "say \"hi\" \\ \t");
    }

    @Test
    void run_inAMissingDirectory_rejectsNamingCommandAndDirectory(@TempDir Path dir) {
        Path missing = dir.resolve("missing");
        Outcome<ProcessResult> o = outcome(() -> Processes.run(Command.of("pwd").directory(missing)));

        assertThat(o.error).isInstanceOf(ProcessException.class)
                .hasMessage("cannot start [\"pwd\"] in " + missing + ": No such file or directory");
    }

    @Test
    void run_withOutputPastTheLimit_truncatesAndSetsTheFlag_andTheProcessStillExits() {
        Outcome<ProcessResult> o = outcome(() -> Processes.run(
                sh("head -c 100000 /dev/zero | tr '\\0' a; echo done >&2; exit 7").outputLimit(10)));

        ProcessResult r = o.value;
        assertThat(r.exitCode()).isEqualTo(7);
        assertThat(r.stdout()).isEqualTo("aaaaaaaaaa");
        assertThat(r.stdoutTruncated()).isTrue();
        assertThat(r.stderr()).isEqualTo("done\n");
        assertThat(r.stderrTruncated()).isFalse();
    }

    @Test
    void run_withLargeOutputOnBothStreams_neverBlocksTheChild_andKeepsTheDefaultLimit() {
        Outcome<ProcessResult> o = outcome(() -> Processes.run(
                sh("head -c 50000000 /dev/zero >&2; head -c 50000000 /dev/zero; echo end >&2")));

        ProcessResult r = o.value;
        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout()).hasSize(Command.DEFAULT_OUTPUT_LIMIT);
        assertThat(r.stderr()).hasSize(Command.DEFAULT_OUTPUT_LIMIT);
        assertThat(r.stdoutTruncated()).isTrue();
        assertThat(r.stderrTruncated()).isTrue();
    }

    @Test
    void run_withStdin_feedsTheTextAndClosesIt() {
        Outcome<ProcessResult> o = outcome(() -> Processes.run(Command.of("cat").stdin("hello\nwörld")));

        assertThat(o.value.stdout()).isEqualTo("hello\nwörld");
    }

    @Test
    void run_withoutStdin_givesEndOfInputAtOnce() {
        Outcome<ProcessResult> o = outcome(() -> Processes.run("cat"));

        assertThat(o.value.exitCode()).isZero();
        assertThat(o.value.stdout()).isEmpty();
    }

    @Test
    void run_withAStdinTheProgramDoesNotRead_isNotAFailure() {
        String big = "x".repeat(1 << 20);
        Outcome<ProcessResult> o = outcome(() -> Processes.run(sh("exit 0").stdin(big)));

        assertThat(o.error).isNull();
        assertThat(o.value.exitCode()).isZero();
    }

    @Test
    void run_withDirectoryAndEnvironment_usesThem(@TempDir Path dir) throws Exception {
        Outcome<ProcessResult> o = outcome(() -> Processes.run(
                sh("pwd; echo \"$EVENTUAL_A-$EVENTUAL_B\"").directory(dir)
                        .environment("EVENTUAL_A", "one")
                        .environment(java.util.Map.of("EVENTUAL_B", "two"))));

        assertThat(o.value.stdout()).isEqualTo(dir.toRealPath() + "\none-two\n");
    }

    @Test
    void run_withClearedEnvironment_passesOnlyWhatWasSet() {
        Outcome<ProcessResult> o = outcome(() -> Processes.run(
                Command.of("/usr/bin/env").environment("DROPPED", "x").clearEnvironment().environment("ONLY", "1")));

        assertThat(o.value.stdout()).isEqualTo("ONLY=1\n");
    }

    @Test
    void run_withCharset_decodesTheOutputWithIt() {
        Outcome<ProcessResult> o = outcome(() -> Processes.run(
                sh("printf '\\351t\\351'").charset(StandardCharsets.ISO_8859_1)));

        assertThat(o.value.stdout()).isEqualTo("été");
    }

    @Test
    void run_pastItsTimeout_rejectsNamingTheCommand_withATimeoutCause() {
        Outcome<ProcessResult> o = outcome(() -> Processes.run(sh("sleep 60").timeout(Duration.ofMillis(300))));

        assertThat(o.error).isInstanceOf(ProcessException.class)
                .hasMessage("[\"/bin/sh\", \"-c\", \"sleep 60\"] timed out after 300 ms; killed with SIGTERM")
                .hasCauseInstanceOf(TimeoutException.class);
    }

    @Test
    void stream_pastItsTimeout_killsTheProcess() throws Exception {
        AtomicReference<ProcessHandle> shell = new AtomicReference<>();
        Outcome<Integer> o = outcome(() -> Processes.stream(sh("echo $$; sleep 60; true").timeout(Duration.ofSeconds(1)),
                line -> shell.set(ProcessHandle.of(Long.parseLong(line)).orElseThrow()), line -> {}));

        assertThat(o.error).isInstanceOf(ProcessException.class).hasCauseInstanceOf(TimeoutException.class);
        assertDies(List.of(shell.get()));
    }

    @Test
    void cancel_killsTheProcessAndItsChildren_andReleasesTheLoop() throws Exception {
        String marker = "eventual-" + UUID.randomUUID();
        List<ProcessHandle> tree = new CopyOnWriteArrayList<>();
        Outcome<ProcessResult> o = outcome(() -> {
            Promise<ProcessResult> running = Processes.run(sh("sleep 60; true", marker));
            shellWithChild(marker).thenAccept(shell -> {
                tree.add(shell);
                shell.children().forEach(tree::add);
                assertThat(running.cancel()).isTrue();
            });
            return running;
        });

        assertThat(o.error).isInstanceOf(CancellationException.class);
        assertThat(tree).hasSize(2); // the shell and its sleep
        assertDies(tree);
    }

    /** The descriptors this JVM has open, from {@code /proc/self/fd}. */
    private static long openDescriptors() throws Exception {
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    /**
     * Starts {@code start} (given the marker) on a loop of its own, waits for the shell and its
     * children, closes the loop, and checks that the tree dies and the run's descriptors close.
     */
    private static void assertLoopCloseKillsTheTree(java.util.function.Function<String, Promise<?>> start) throws Exception {
        long before = openDescriptors();
        String marker = "eventual-" + UUID.randomUUID();
        java.util.concurrent.CompletableFuture<List<ProcessHandle>> found = new java.util.concurrent.CompletableFuture<>();
        AtomicReference<Promise<?>> running = new AtomicReference<>();
        EventLoop loop = EventLoop.start("process-close-test");
        loop.execute(() -> {
            running.set(start.apply(marker));
            shellWithChild(marker).thenAccept(shell -> {
                List<ProcessHandle> tree = new ArrayList<>(List.of(shell));
                shell.children().forEach(tree::add);
                found.complete(tree);
            });
        });
        List<ProcessHandle> tree = found.get(HANG_GUARD.toSeconds(), TimeUnit.SECONDS);
        assertThat(tree).hasSize(3); // the shell and its two sleeps
        assertThat(openDescriptors()).as("the run's pipes are open").isGreaterThan(before);

        loop.close();

        assertThat(running.get().isRejected()).as("closing the loop rejected the run").isTrue();
        assertDies(tree);
        long deadline = System.nanoTime() + HANG_GUARD.toNanos();
        long open;
        while ((open = openDescriptors()) > before && System.nanoTime() < deadline) {
            Thread.sleep(10); // the killer closes the pipes on its own thread: nothing to wait on
        }
        assertThat(open).as("descriptors open after the loop closed, against %d before", before).isLessThanOrEqualTo(before);
    }

    @Test
    void loopClose_whileARunsTreeIsRunning_killsEveryProcessOfIt_andClosesItsPipes() throws Exception {
        assertLoopCloseKillsTheTree(marker -> Processes.run(sh("trap '' HUP TERM; sleep 100 & sleep 100", marker)));
    }

    @Test
    void loopClose_whileAStreamsTreeIsRunning_killsEveryProcessOfIt_andClosesItsPipes() throws Exception {
        assertLoopCloseKillsTheTree(marker -> Processes.stream(
                sh("echo started; sleep 100 & sleep 100", marker), line -> {}, line -> {}));
    }

    /** Whether the process has exited: gone, or a zombie (which the JDK counts as alive). */
    private static boolean gone(ProcessHandle h) throws Exception {
        if (!h.isAlive()) {
            return true;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(h.pid()), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) == 'Z';
        } catch (java.nio.file.NoSuchFileException e) {
            return true;
        }
    }

    @Test
    void cancel_ofATreeIgnoringSigterm_keepsTheLoopRunningUntilEveryProcessIsGone() throws Exception {
        String marker = "eventual-" + UUID.randomUUID();
        List<ProcessHandle> tree = new CopyOnWriteArrayList<>();
        Outcome<ProcessResult> o = outcome(() -> {
            Promise<ProcessResult> running = Processes.run(sh("trap '' HUP TERM; sleep 100 & sleep 100", marker));
            shellWithChild(marker).thenAccept(shell -> {
                tree.add(shell);
                shell.children().forEach(tree::add);
                running.cancel();
            });
            return running;
        });

        assertThat(o.error).isInstanceOf(CancellationException.class);
        assertThat(tree).hasSizeGreaterThanOrEqualTo(2);
        for (ProcessHandle h : tree) { // at once: EventLoop.run returned only after the kill ended
            assertThat(gone(h)).as("pid %d gone when the loop ended", h.pid()).isTrue();
        }
    }

    @Test
    void timeout_ofATreeIgnoringSigterm_rejectsAfterTheKill_sayingItTookSigkill() {
        Outcome<ProcessResult> o = outcome(() -> Processes.run(
                sh("trap '' HUP TERM; sleep 100 & sleep 100").timeout(Duration.ofSeconds(1))));

        assertThat(o.error).isInstanceOf(ProcessException.class)
                .hasCauseInstanceOf(TimeoutException.class)
                .hasMessageStartingWith("[\"/bin/sh\", \"-c\", \"trap '' HUP TERM; sleep 100 & sleep 100\"] timed out after 1000 ms; "
                        + "killed with SIGKILL: ")
                .hasMessageEndingWith(" still running 2000 ms after SIGTERM");
    }

    /**
     * The stop/start handoff under real races: runs cancelled at once, in a microtask, and after
     * timers of 12 to 210 ms, before, while and after their start threads fork. When the loop ends, no process of any
     * of them may be left: the shells and the sleeps all carry the marker, a unique duration.
     */
    @Test
    void cancel_racingTheStart_leavesNoProcess_whenTheLoopEnds() throws Exception {
        String marker = "100." + Math.abs(UUID.randomUUID().getMostSignificantBits() % 1_000_000_000L);
        AtomicInteger rejected = new AtomicInteger();
        int runs = 36;
        loop(() -> {
            for (int i = 0; i < runs; i++) {
                Promise<ProcessResult> p = Processes.run(sh("sleep " + marker + " & sleep " + marker));
                p.asCallback((error, value) -> {
                    if (error instanceof CancellationException) {
                        rejected.incrementAndGet();
                    }
                });
                switch (i % 4) {
                    case 0 -> p.cancel();
                    case 1 -> EventLoop.current().queueMicrotask(p::cancel);
                    default -> EventLoop.current().setTimeout(p::cancel, i * 6L);
                }
            }
        });

        assertThat(rejected).hasValue(runs);
        List<String> left = new ArrayList<>();
        for (ProcessHandle h : ProcessHandle.allProcesses()
                .filter(h -> h.info().arguments().map(a -> Arrays.stream(a).anyMatch(x -> x.contains(marker))).orElse(false))
                .toList()) {
            if (!gone(h)) {
                left.add(h.pid() + " " + h.info().commandLine().orElse("?"));
                h.destroyForcibly();
            }
        }
        assertThat(left).as("processes left when the loop ended").isEmpty();
    }

    @Test
    void cancel_beforeTheProcessStarted_startsNothingThatOutlivesIt() {
        Outcome<ProcessResult> o = outcome(() -> {
            Promise<ProcessResult> running = Processes.run("sleep", "60");
            running.cancel();
            return running;
        });

        assertThat(o.error).isInstanceOf(CancellationException.class);
        // the thread check after each test waits for the start thread and a possible killer
    }

    @Test
    void abort_killsTheProcess_andRejectsWithTheReason() throws Exception {
        String marker = "eventual-" + UUID.randomUUID();
        List<ProcessHandle> tree = new CopyOnWriteArrayList<>();
        IllegalStateException reason = new IllegalStateException("enough");
        Outcome<ProcessResult> o = outcome(() -> {
            AbortController controller = new AbortController();
            shellWithChild(marker).thenAccept(shell -> {
                tree.add(shell);
                shell.children().forEach(tree::add);
                controller.abort(reason);
            });
            return Processes.run(sh("sleep 60; true", marker).signal(controller.signal()));
        });

        assertThat(o.error).isSameAs(reason);
        assertDies(tree);
    }

    @Test
    void run_withAnAbortedSignal_rejectsAtOnceWithTheReason() {
        IllegalStateException reason = new IllegalStateException("no");
        Outcome<ProcessResult> o = outcome(() -> {
            AbortController controller = new AbortController();
            controller.abort(reason);
            return Processes.run(Command.of("nosuchcmd-eventual").signal(controller.signal()));
        });

        assertThat(o.error).isSameAs(reason); // not "cannot start": nothing was started
    }

    @Test
    void run_thenAccept_deliversTheResultOnTheLoop_andFulfilsOnceItReturned() {
        AtomicReference<ProcessResult> got = new AtomicReference<>();
        AtomicReference<Thread> thread = new AtomicReference<>();
        Outcome<Void> o = outcome(() -> Processes.run("echo", "hi").thenAccept(r -> {
            thread.set(Thread.currentThread());
            got.set(r);
        }));

        assertThat(o.error).isNull();
        assertThat(got.get().stdout()).isEqualTo("hi\n");
        assertThat(thread.get()).isSameAs(o.loopThread);
    }

    @Test
    void run_thenAccept_rejectsWithTheFailure_withoutCallingIt() {
        AtomicInteger calls = new AtomicInteger();
        Outcome<Void> o = outcome(() -> Processes.run(Command.of("nosuchcmd-eventual")).thenAccept(r -> calls.incrementAndGet()));

        assertThat(o.error).isInstanceOf(ProcessException.class);
        assertThat(calls).hasValue(0);
    }

    @Test
    void run_asCallback_receivesTheValueOrTheError_onTheLoop() {
        List<String> calls = new CopyOnWriteArrayList<>();
        AtomicReference<Thread> loopThread = new AtomicReference<>();
        loop(() -> {
            loopThread.set(Thread.currentThread());
            Processes.run(Command.of("echo", "ok")).asCallback((error, r) ->
                    calls.add("ok " + error + " " + r.stdout().strip() + " " + (Thread.currentThread() == loopThread.get())));
            Processes.run(Command.of(List.of("nosuchcmd-eventual"))).asCallback((error, r) ->
                    calls.add("fail " + error.getClass().getSimpleName() + " " + r));
        });

        assertThat(calls).containsExactlyInAnyOrder("ok null ok true", "fail ProcessException null");
    }

    @Test
    void calls_withNullArguments_failNamingTheParameter_andOffALoop_failClearly() {
        assertThatThrownBy(() -> Processes.run((Command) null)).isInstanceOf(NullPointerException.class).hasMessage("command");
        assertThatThrownBy(() -> Command.of("true").signal(null)).hasMessage("signal");
        assertThatThrownBy(() -> Processes.stream(null, line -> {})).hasMessage("command");
        assertThatThrownBy(() -> Processes.stream(Command.of("true"), null, line -> {})).hasMessage("onStdoutLine");
        assertThatThrownBy(() -> Processes.stream(Command.of("true"), line -> {}, null)).hasMessage("onStderrLine");
        assertThatThrownBy(() -> Command.of("a", null)).hasMessage("command[1]");
        assertThatThrownBy(() -> Command.of()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Command.of("a").outputLimit(0)).hasMessage("outputLimit must be >= 1: 0");
        assertThatThrownBy(() -> Processes.run("true")).isInstanceOf(IllegalStateException.class);
    }

    // ---------------------------------------------------------------- stream

    @Test
    void stream_deliversEachStreamsLinesInOrder_onTheLoopThread_thenTheExitCode() {
        List<String> out = new ArrayList<>();
        List<String> err = new ArrayList<>();
        AtomicInteger offLoop = new AtomicInteger();
        AtomicReference<Thread> loopThread = new AtomicReference<>();
        Outcome<Integer> o = outcome(() -> {
            loopThread.set(Thread.currentThread());
            return Processes.stream(sh("seq 1 20000; echo e1 >&2; echo e2 >&2; exit 4"),
                    line -> {
                        if (Thread.currentThread() != loopThread.get()) {
                            offLoop.incrementAndGet();
                        }
                        out.add(line);
                    },
                    line -> {
                        if (Thread.currentThread() != loopThread.get()) {
                            offLoop.incrementAndGet();
                        }
                        err.add(line);
                    });
        });

        assertThat(o.value).isEqualTo(4);
        assertThat(out).isEqualTo(IntStream.rangeClosed(1, 20000).mapToObj(Integer::toString).toList());
        assertThat(err).containsExactly("e1", "e2");
        assertThat(offLoop).hasValue(0);
    }

    @Test
    void stream_whileTheConsumerLags_readsOnlyABoundedAmountAhead_soTheProgramWaits(@TempDir Path dir) {
        Path written = dir.resolve("written");
        AtomicInteger lines = new AtomicInteger();
        AtomicBoolean writtenWhileTheLoopWasBlocked = new AtomicBoolean(true);
        Outcome<Integer> o = outcome(() -> Processes.stream(sh("yes | head -n 1000000; touch '" + written + "'"), line -> {
            if (lines.incrementAndGet() == 1) {
                // Block the loop until the reader waits for it (it parks only in that wait), then look:
                // 2 MB cannot have gone through a 64 KiB pipe and the reader's bounded batches.
                Thread reader = ProcessThreads.live().stream()
                        .filter(t -> t.getName().endsWith("-stdout")).findFirst().orElseThrow();
                while (reader.getState() != Thread.State.TIMED_WAITING) {
                    Thread.onSpinWait();
                }
                writtenWhileTheLoopWasBlocked.set(Files.exists(written));
            }
        }, line -> {}));

        assertThat(writtenWhileTheLoopWasBlocked).isFalse();
        assertThat(o.value).isZero();
        assertThat(lines).hasValue(1_000_000);
        assertThat(written).exists();
    }

    @Test
    void stream_splitsAtEveryLineTerminator_andDeliversALastUnterminatedLine() {
        List<String> out = new ArrayList<>();
        outcome(() -> Processes.stream(sh("printf 'a\\r\\nb\\rc\\n\\nd'"), out::add, line -> {}));

        assertThat(out).containsExactly("a", "b", "c", "", "d");
    }

    @Test
    void stream_cutsALineLongerThanTheLimitIntoPieces() {
        List<String> out = new ArrayList<>();
        outcome(() -> Processes.stream(sh("printf 'abcdefghij\\nabcd\\nxy\\n'").outputLimit(4), out::add, line -> {}));

        assertThat(out).containsExactly("abcd", "efgh", "ij", "abcd", "xy");
    }

    @Test
    void stream_withOneConsumer_discardsStderr() {
        List<String> out = new ArrayList<>();
        Outcome<Integer> o = outcome(() -> Processes.stream(sh("echo a; head -c 1000000 /dev/zero >&2; echo b"), out::add));

        assertThat(o.value).isZero();
        assertThat(out).containsExactly("a", "b");
    }

    @Test
    void stream_whoseConsumerThrows_stopsTheLines_killsTheProcess_andRejectsWithThatException() throws Exception {
        List<String> out = new ArrayList<>();
        AtomicReference<ProcessHandle> shell = new AtomicReference<>();
        IllegalArgumentException boom = new IllegalArgumentException("boom");
        Outcome<Integer> o = outcome(() -> Processes.stream(sh("sleep 60 & echo $$; echo second; wait; echo never"), line -> {
            out.add(line);
            if (shell.get() == null) {
                shell.set(ProcessHandle.of(Long.parseLong(line)).orElseThrow());
                throw boom;
            }
        }, line -> {}));

        assertThat(o.error).isSameAs(boom);
        assertThat(out).hasSize(1);
        assertDies(List.of(shell.get()));
    }

    @Test
    void stream_ofAnEndlessProgram_canBeCancelledFromAConsumer() throws Exception {
        AtomicInteger lines = new AtomicInteger();
        AtomicReference<Promise<Integer>> running = new AtomicReference<>();
        Outcome<Integer> o = outcome(() -> {
            running.set(Processes.stream(Command.of("yes", "y"), line -> {
                if (lines.incrementAndGet() == 100_000) {
                    running.get().cancel();
                }
            }, line -> {}));
            return running.get();
        });

        assertThat(o.error).isInstanceOf(CancellationException.class);
        assertThat(lines).hasValue(100_000); // nothing delivered after the cancel
    }

    @Test
    void stream_abortedBySignal_stopsTheLines_andRejectsWithTheReason() {
        AtomicReference<AbortController> controller = new AtomicReference<>();
        List<String> out = new ArrayList<>();
        Outcome<Integer> o = outcome(() -> {
            controller.set(new AbortController());
            return Processes.stream(sh("echo go; sleep 60").signal(controller.get().signal()), line -> {
                out.add(line);
                controller.get().abort();
            }, line -> {});
        });

        assertThat(o.error).isInstanceOf(CancellationException.class).isSameAs(controller.get().signal().reason());
        assertThat(out).containsExactly("go");
    }

    @Test
    void stream_thenAcceptAndAsCallback_receiveTheExitCode() {
        List<String> calls = new CopyOnWriteArrayList<>();
        loop(() -> {
            Processes.stream(sh("echo a; exit 2"), calls::add, calls::add).thenAccept(code -> calls.add("code " + code));
            Processes.stream(sh("echo b >&2; exit 5"), calls::add, calls::add)
                    .asCallback((error, code) -> calls.add("node " + error + " " + code));
        });

        assertThat(calls).containsExactlyInAnyOrder("a", "code 2", "b", "node null 5");
    }

    /**
     * {@code list::add} names a method overloaded with one and two parameters; with one form per
     * operation no overload of {@code run} or {@code stream} can make such a reference ambiguous.
     */
    @Test
    void aReferenceToAnArityOverloadedMethod_compilesWithEveryOperationThatTakesACallback() {
        List<String> out = new CopyOnWriteArrayList<>();
        List<String> err = new CopyOnWriteArrayList<>();
        List<ProcessResult> results = new CopyOnWriteArrayList<>();
        List<Integer> codes = new CopyOnWriteArrayList<>();
        loop(() -> {
            Processes.run("echo", "r").thenAccept(results::add);
            Processes.run(Command.of("echo", "r")).thenAccept(results::add);
            Processes.stream(sh("echo s1"), out::add).thenAccept(codes::add);
            Processes.stream(sh("echo s2; echo e2 >&2"), out::add, err::add).thenAccept(codes::add);
        });

        assertThat(results).extracting(ProcessResult::stdout).containsExactly("r\n", "r\n");
        assertThat(out).containsExactlyInAnyOrder("s1", "s2");
        assertThat(err).containsExactly("e2");
        assertThat(codes).containsExactly(0, 0);
    }

    @Test
    void aCommandWithASignal_stopsEveryKindOfRun_andAnAbortedOneStartsNothing() {
        IllegalStateException reason = new IllegalStateException("stop all");
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        AtomicBoolean aborted = new AtomicBoolean();
        loop(() -> {
            AbortController controller = new AbortController();
            Command sleeper = sh("echo go; sleep 60").signal(controller.signal());
            controller.signal().addListener(() -> aborted.set(true));
            Processes.run(sleeper).asCallback((e, result) -> errors.add(e));
            Processes.stream(sleeper, line -> controller.abort(reason)).asCallback((e, code) -> errors.add(e));
            AsyncIterator<String> lines = Processes.lineIterator(sleeper);
            lines.next().thenCompose(first -> lines.next()).asCallback((e, line) -> errors.add(e));
        });
        assertThat(errors).hasSize(3).allSatisfy(e -> assertThat(e).isSameAs(reason));
        assertThat(aborted).isTrue();

        List<Throwable> late = new CopyOnWriteArrayList<>();
        loop(() -> Processes.run(Command.of("nosuchcmd-eventual").signal(AbortSignal.abort(reason)))
                .asCallback((e, result) -> late.add(e)));
        assertThat(late).containsExactly(reason); // not "cannot start": nothing was started
    }
}
