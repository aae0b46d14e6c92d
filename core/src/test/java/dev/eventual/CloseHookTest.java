package dev.eventual;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** EventLoop.onClose: a resource's release runs once when its loop closes, unless removed first. */
class CloseHookTest {

    @Test
    void runsOnceOnTheLoopThread_afterPendingPromisesReadAsClosed() throws Exception {
        EventLoop loop = EventLoop.builder().name("hooks").daemon(true).start();
        AtomicReference<Thread> loopThread = new AtomicReference<>();
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        AtomicReference<Boolean> closedWhenRun = new AtomicReference<>();
        AtomicInteger runs = new AtomicInteger();
        Deferred<String> pending = loop.withResolvers();
        loopThread.set(loop.submit(Thread::currentThread).toCompletableFuture().get());
        loop.onClose(() -> {
            runs.incrementAndGet();
            ranOn.set(Thread.currentThread());
            closedWhenRun.set(loop.isClosed());
        });
        loop.close();
        assertThat(runs.get()).isEqualTo(1);
        assertThat(ranOn.get()).isSameAs(loopThread.get());
        assertThat(closedWhenRun.get()).isTrue();
        assertThat(pending.promise().toCompletableFuture()).isCompletedExceptionally();
    }

    @Test
    void aRemovedHookNeverRuns_andRemoveSaysWhetherItWon() {
        EventLoop loop = EventLoop.builder().name("hooks").daemon(true).start();
        AtomicInteger runs = new AtomicInteger();
        CloseHook removed = loop.onClose(runs::incrementAndGet);
        CloseHook kept = loop.onClose(runs::incrementAndGet);
        assertThat(removed.remove()).isTrue();
        assertThat(removed.remove()).isFalse();
        loop.close();
        assertThat(runs.get()).isEqualTo(1);
        assertThat(kept.remove()).as("it ran: too late to remove").isFalse();
    }

    @Test
    void aHookRegisteredAfterCloseRunsAtOnceOnTheCallingThread() {
        EventLoop loop = EventLoop.builder().name("hooks").daemon(true).start();
        loop.close();
        List<Thread> ranOn = new ArrayList<>();
        CloseHook hook = loop.onClose(() -> ranOn.add(Thread.currentThread()));
        assertThat(ranOn).containsExactly(Thread.currentThread());
        assertThat(hook.remove()).isFalse();
    }

    @Test
    void aRunLoopThatEndsForLackOfWorkRunsItsHooksToo() {
        List<String> log = new ArrayList<>();
        EventLoop.run(() -> EventLoop.current().onClose(() -> log.add("released")));
        assertThat(log).containsExactly("released");
    }

    @Test
    void aThrowingHookGoesToTheTaskErrorHandler_andTheOthersStillRun() {
        List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
        EventLoop loop = EventLoop.builder().name("hooks").daemon(true).onTaskError(errors::add).start();
        AtomicInteger runs = new AtomicInteger();
        loop.onClose(() -> {
            throw new IllegalStateException("release failed");
        });
        loop.onClose(runs::incrementAndGet);
        loop.close();
        assertThat(runs.get()).isEqualTo(1);
        assertThat(errors).singleElement().satisfies(e -> assertThat(e).hasMessage("release failed"));
    }

    @Test
    void nullActionIsRefusedByName() {
        EventLoop loop = EventLoop.builder().name("hooks").daemon(true).start();
        try {
            assertThatThrownBy(() -> loop.onClose(null)).isInstanceOf(NullPointerException.class).hasMessage("action");
        } finally {
            loop.close();
        }
    }

    @Test
    void hooksRegisteredWhileTheLoopClosesRunExactlyOnceEach() throws Exception {
        for (int round = 0; round < 200; round++) {
            EventLoop loop = EventLoop.builder().name("hooks-race").daemon(true).start();
            AtomicInteger runs = new AtomicInteger();
            int perThread = 50;
            CountDownLatch go = new CountDownLatch(1);
            Thread[] registrars = new Thread[2];
            for (int i = 0; i < registrars.length; i++) {
                registrars[i] = Thread.ofPlatform().start(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                    for (int k = 0; k < perThread; k++) {
                        loop.onClose(runs::incrementAndGet);
                    }
                });
            }
            go.countDown();
            loop.close();
            for (Thread t : registrars) {
                t.join();
            }
            assertThat(runs.get()).as("round %d", round).isEqualTo(registrars.length * perThread);
        }
    }
}
