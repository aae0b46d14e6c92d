package dev.eventual;

import dev.eventual.internal.EventLoopImpl;
import dev.eventual.internal.Signal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Tells an operation to stop: the web platform's {@code AbortSignal}, for Java. Get one from an
 * {@link AbortController}, or from {@link #timeout(Duration)}, {@link #any(AbortSignal...)} or
 * {@link #abort(Throwable)}; hand it to the operations it should stop
 * ({@link Promise#delay(Duration, AbortSignal)}, {@link Promise#withSignal(AbortSignal)},
 * {@link Async#await(Promise, AbortSignal)}, {@link Promise#retry(RetryPolicy, AbortSignal,
 * java.util.function.Supplier)}). A signal aborts once, with a reason, and stays aborted.
 *
 * <h2>Reasons</h2>
 * {@code abort()} without a reason uses a {@link java.util.concurrent.CancellationException}
 * ("This operation was aborted"): the web's {@code AbortError}. {@link #timeout(Duration)}
 * aborts with an {@link AsyncTimeoutException} ("signal timed out after 1000 ms"): the web's
 * {@code TimeoutError}, which it names by {@link AsyncTimeoutException#name()}. Both are
 * unchecked, so {@link Async#await(Promise)} throws them as they are. An operation stopped by a
 * signal rejects with the signal's reason itself, as {@code fetch} does.
 *
 * <h2>Threading</h2>
 * A signal belongs to an {@link EventLoop}, the one current where it was made. Every method may
 * be called from any thread. Listeners run on that loop's thread: inside the {@code abort} call
 * when it is made on that thread, as the web dispatches the {@code abort} event synchronously
 * (a listener is an event listener, not a promise reaction: promises the abort settles still
 * run their handlers as microtasks, {@linkplain dev.eventual##rule-2 rule 2}); when {@code abort}
 * is called on another thread, they run as one task of the loop. Order: the operations the signal
 * was handed to stop first
 * (the DOM's "abort algorithms"), then the listeners in the order they were added, then the
 * signals made by {@link #any} from this one (as Node 20 does). A listener that throws goes to
 * the loop's task error handler; the others still run.
 *
 * <h2>Nulls</h2>
 * No parameter may be {@code null} ({@link NullPointerException} naming it);
 * {@link #reason()} is {@code null} until the signal aborts.
 *
 * <p>Only Eventual implements this interface: operations refuse a signal of another
 * implementation with an {@link IllegalArgumentException}. (It is not {@code sealed} because a
 * sealed type's permitted class must share its package when the jar is on the class path.)
 */
public interface AbortSignal {

    /**
     * Returns a signal of the current loop that aborts with an {@link AsyncTimeoutException}
     * naming the delay ("signal timed out after 100 ms") after {@code delay}, on an
     * unref'd timer (as Node's): the signal alone does not keep {@link EventLoop#run} waiting.
     *
     * @param delay the delay; not negative
     * @return a new signal
     * @throws IllegalStateException if the calling thread runs no loop
     */
    static AbortSignal timeout(Duration delay) {
        return Signal.timeout(EventLoopImpl.require("AbortSignal.timeout"), delay);
    }

    /**
     * Returns a signal that aborts when the first of {@code signals} aborts, with its reason; if
     * one already has, the result is aborted already, with the first such reason in argument
     * order. It belongs to the current loop, or the first signal's off a loop. Once aborted, it
     * unsubscribes from the others; until then each input holds it.
     *
     * @param signals the signals to follow
     * @return a new signal
     * @throws IllegalStateException if no loop can be determined (no signals, off a loop)
     */
    static AbortSignal any(AbortSignal... signals) {
        return any(Arrays.asList(Objects.requireNonNull(signals, "signals")));
    }

    /**
     * {@link #any(AbortSignal...)} over an iterable.
     *
     * @param signals the signals to follow
     * @return a new signal
     */
    static AbortSignal any(Iterable<? extends AbortSignal> signals) {
        Objects.requireNonNull(signals, "signals");
        List<Signal> list = new ArrayList<>();
        int i = 0;
        for (AbortSignal s : signals) {
            list.add(Signal.of(Objects.requireNonNull(s, "signals[" + i + "]")));
            i++;
        }
        EventLoopImpl loop = EventLoopImpl.current();
        if (loop == null) {
            loop = list.isEmpty() ? EventLoopImpl.require("AbortSignal.any of no signals") : (EventLoopImpl) list.get(0).loop();
        }
        return Signal.any(loop, list);
    }

    /**
     * Returns a signal of the current loop that is already aborted with {@code reason}.
     *
     * @param reason the reason
     * @return an aborted signal
     */
    static AbortSignal abort(Throwable reason) {
        Signal s = new Signal(EventLoopImpl.require("AbortSignal.abort"));
        s.abort(reason);
        return s;
    }

    /**
     * Returns a signal of the current loop already aborted with the default reason.
     *
     * @return an aborted signal
     */
    static AbortSignal abort() {
        return abort(Signal.abortError());
    }

    /**
     * Whether the signal has aborted.
     *
     * @return {@code true} once the signal has aborted (it stays aborted), else {@code false}
     */
    boolean aborted();

    /**
     * Returns the reason it aborted with, or {@code null} while it has not.
     *
     * @return the abort reason, or {@code null} while the signal has not aborted
     */
    Throwable reason();

    /**
     * Throws the reason if the signal has aborted; returns otherwise. An unchecked reason (the
     * default {@code CancellationException}, the {@link AsyncTimeoutException} of
     * {@link #timeout}) is thrown as it is; a checked one (one given to {@code abort(reason)}) as an
     * {@link AwaitException} whose cause is the reason, as {@link Async#await} throws it, so an
     * async body that lets it escape rejects with the reason itself.
     */
    default void throwIfAborted() {
        Throwable r = reason();
        if (r == null) {
            return;
        }
        if (r instanceof RuntimeException e) {
            throw e;
        }
        if (r instanceof Error e) {
            throw e;
        }
        throw new AwaitException("signal aborted with a checked reason: " + r, r);
    }

    /**
     * Adds {@code listener}, called once when the signal aborts (the web's
     * {@code addEventListener('abort', listener)}); see the class javadoc for its thread and order.
     * It reads the reason with {@link #reason()}. Adding the same object again does nothing; a
     * listener added after the abort is never called, as on the web (check {@link #aborted()}).
     *
     * @param listener the listener
     */
    void addListener(Runnable listener);

    /**
     * Removes {@code listener} (the same object that was added); unknown listeners are ignored.
     *
     * @param listener the listener
     */
    void removeListener(Runnable listener);

    /**
     * Returns the loop whose thread runs the listeners.
     *
     * @return the loop whose thread runs this signal's listeners
     */
    EventLoop loop();
}
