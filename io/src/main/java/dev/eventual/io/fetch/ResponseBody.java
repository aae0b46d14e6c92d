package dev.eventual.io.fetch;

import dev.eventual.AbortSignal;
import dev.eventual.CloseHook;
import dev.eventual.EventLoop;
import dev.eventual.EventLoopClosedException;
import dev.eventual.Promise;
import java.lang.ref.Cleaner;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The body of one response: the JDK's one-shot publisher of its bytes, read at most once, and
 * the host slot its connection holds until the body has been read, failed or been discarded.
 *
 * <p>Overview: {@code used} turns true once, when a reader takes the body (or the
 * {@link Cleaner} discards an unread one after its {@link Response} became unreachable: a
 * forgotten body must not hold a connection and a host slot forever). The reader subscribes to
 * the publisher on the calling thread; the JDK then delivers on its own threads. Each read is a
 * {@link CompletableFuture} subclass turned into a promise of the response's loop with
 * {@code loop.from}, so its result arrives on the loop (the contract's rule 1), a {@code KeepAlive} keeps
 * {@code EventLoop.run} waiting while the body is read (not while it lies unread), and the
 * promise's {@code cancel()} reaches {@link Read#cancel}, which cancels the subscription: the JDK
 * then closes the connection. {@code releaseSlot} runs exactly once (it is idempotent) when the
 * read ends in any way.
 *
 * <p>A body that holds a connection (not a buffered one) registers a close hook on its loop
 * ({@link EventLoop#onClose}), removed when the read ends: a loop that closes while the body is
 * unread or being read fails it, so its connection is closed and its slot given back (a chunk of
 * {@link #stream} queued on a loop that closes is dropped with the loop's queue, and nothing
 * else would ask the JDK for the next one).
 *
 * <p>{@link #fail} (the request's deadline passed, the loop closed) ends the body from outside: a
 * read in progress is abandoned with the reason, a body nobody took is taken and cancelled, and every
 * later read rejects with the reason. {@code failure} and {@code reading} are guarded by
 * {@code lock}, and a reader takes the body under it too, so that either {@code fail} finds the
 * read and abandons it, or the read finds the failure and does not start.
 */
final class ResponseBody {
    private static final Cleaner CLEANER = Cleaner.create();

    private final Flow.Publisher<List<ByteBuffer>> publisher;
    private final Runnable releaseSlot;
    private final EventLoop loop;
    private final AbortSignal signal;
    private final String method;
    private final URI uri;
    /** Set once, by the first reader or by the cleaner. */
    private final AtomicBoolean used = new AtomicBoolean();
    /** The loop's close hook, removed once the read ended; null for a buffered body. */
    private volatile CloseHook closeHook;
    /** The cleaner's registration, cleaned (deregistered) once a reader took the body; null if buffered. */
    private volatile Cleaner.Cleanable cleanable;
    private final ReentrantLock lock = new ReentrantLock();
    /** Why the body was ended from outside ({@link #fail}); null until then. Guarded by lock. */
    private Throwable failure;
    /** The read in progress, once a reader took the body. Guarded by lock. */
    private Read<?> reading;

    ResponseBody(Flow.Publisher<List<ByteBuffer>> publisher, Runnable releaseSlot, EventLoop loop,
            AbortSignal signal, String method, URI uri) {
        this.publisher = publisher;
        this.loop = loop;
        this.signal = signal;
        this.method = method;
        this.uri = uri;
        this.releaseSlot = () -> {
            releaseSlot.run();
            CloseHook hook = closeHook;
            if (hook != null) {
                hook.remove(); // idempotent; a long-lived loop keeps no finished body
            }
        };
        if (!(publisher instanceof SmallBody)) {
            // Last: the hook may run at once (the loop has closed) and needs every field.
            closeHook = loop.onClose(() -> fail(new EventLoopClosedException(method + " " + uri
                    + ": event loop '" + loop.name() + "' closed before the body was read to its end")));
        }
    }

    /**
     * Aborts the body if {@code owner} becomes unreachable before anyone read it. A buffered body
     * holds no connection and needs no cleaning.
     */
    void discardWhenUnreachable(Object owner) {
        if (!(publisher instanceof SmallBody)) {
            cleanable = CLEANER.register(owner, this::abort); // a method ref of this, never of owner
        }
    }

    /** Takes the body for one reader; false if someone had. Deregisters the cleaner's action. */
    private boolean take() {
        if (!used.compareAndSet(false, true)) {
            return false;
        }
        Cleaner.Cleanable c = cleanable;
        if (c != null) {
            c.clean(); // runs abort, which finds the body taken: only the registration goes
        }
        return true;
    }

    /**
     * A body the JDK read whole before the response was delivered (a small one with a
     * {@code Content-Length}, see {@link Exchange}): its connection is already free, and a read
     * completes at once, without another hand-off from the JDK's threads to the loop.
     */
    record SmallBody(byte[] bytes) implements Flow.Publisher<List<ByteBuffer>> {
        @Override
        public void subscribe(Flow.Subscriber<? super List<ByteBuffer>> subscriber) {
            subscriber.onSubscribe(new Flow.Subscription() {
                private boolean done;

                @Override
                public void request(long n) {
                    if (!done && n > 0) {
                        done = true;
                        if (bytes.length > 0) {
                            subscriber.onNext(List.of(ByteBuffer.wrap(bytes).asReadOnlyBuffer()));
                        }
                        subscriber.onComplete();
                    }
                }

                @Override
                public void cancel() {
                    done = true;
                }
            });
        }
    }

    EventLoop loop() {
        return loop;
    }

    boolean used() {
        return used.get();
    }

    /**
     * Reads the whole body and returns a promise of {@code finish} applied to its bytes. A small
     * body's bytes are at hand, and {@code finish} runs at once, on the calling thread: keep it
     * cheap (decoding text), or use {@link #parseAll}.
     */
    <T> Promise<T> readAll(String what, Function<byte[], T> finish) {
        return readAll(what, finish, false);
    }

    /**
     * {@link #readAll} for a {@code parse} that may be slow (JSON: the first parse loads Jackson's
     * classes): it never runs on the calling thread, which is the loop's. A large body's bytes
     * are finished on the JDK thread that delivered the last of them; a small body's on a virtual
     * thread of their own.
     */
    <T> Promise<T> parseAll(String what, Function<byte[], T> parse) {
        return readAll(what, parse, true);
    }

    private <T> Promise<T> readAll(String what, Function<byte[], T> finish, boolean offTheCallingThread) {
        if (publisher instanceof SmallBody small && (signal == null || !signal.aborted())) {
            lock.lock();
            try {
                if (!take()) {
                    return alreadyRead();
                }
            } finally {
                lock.unlock();
            }
            releaseSlot.run(); // nothing more to read: ends the deadline too
            byte[] bytes = small.bytes(); // no copy: take() made this the one reader, and nothing else reads it
            if (offTheCallingThread) {
                CompletableFuture<T> parsed = new CompletableFuture<>();
                Thread.ofVirtual().name("eventual-fetch-parse").start(() -> finish(what, finish, bytes, parsed));
                return loop.from(parsed);
            }
            try {
                return loop.resolved(finish == null ? null : finish.apply(bytes));
            } catch (Throwable e) {
                return loop.rejected(e instanceof FetchException ? e : readFailure(what, e));
            }
        }
        return start(new WholeRead<>(what, finish));
    }

    /** Completes {@code result} with {@code finish} applied to {@code bytes}, or with its failure. */
    private <T> void finish(String what, Function<byte[], T> finish, byte[] bytes, CompletableFuture<T> result) {
        try {
            result.complete(finish.apply(bytes));
        } catch (Throwable e) { // an Error too (a linkage error from Jackson): never leave the read pending
            result.completeExceptionally(e instanceof FetchException ? e : readFailure(what, e));
        }
    }

    /** A read of a body already taken: by an earlier read, or by {@link #fail}. Under lock. */
    private <T> Promise<T> alreadyRead() {
        if (failure != null) {
            return loop.rejected(failure);
        }
        return loop.rejected(new IllegalStateException("the body of " + method + " " + uri
                + " was already read (a body can be read once: keep the text or bytes you got)"));
    }

    /**
     * Ends the body with {@code reason}, from any thread: a read in progress stops (its
     * connection is closed, its promise rejects with the reason), an untaken body is cancelled,
     * and every later read rejects with the reason. Does nothing once the body has been read or
     * failed.
     */
    void fail(Throwable reason) {
        Read<?> current;
        boolean untaken;
        lock.lock();
        try {
            if (failure != null) {
                return;
            }
            failure = reason;
            current = reading;
            untaken = current == null && take();
        } finally {
            lock.unlock();
        }
        if (current != null) {
            current.abandon(reason);
        } else if (untaken) {
            new WholeRead<Void>("discard", null).subscribeAndCancel(publisher, releaseSlot);
        }
    }

    /** Streams the body to {@code onChunk}, one chunk at a time, on the loop. */
    Promise<Void> stream(Consumer<? super ByteBuffer> onChunk) {
        return start(new StreamingRead(Objects.requireNonNull(onChunk, "onChunk"), null));
    }

    /**
     * {@link #stream(Consumer)} that asks {@code demand} after each chunk was handed over and asks
     * the JDK for the next one only once that promise fulfils (an {@code AsyncIterator}'s pull).
     */
    Promise<Void> stream(Consumer<? super ByteBuffer> onChunk, Supplier<Promise<Void>> demand) {
        return start(new StreamingRead(Objects.requireNonNull(onChunk, "onChunk"), Objects.requireNonNull(demand, "demand")));
    }

    private <T> Promise<T> start(Read<T> read) {
        lock.lock();
        try {
            if (!take()) {
                return alreadyRead();
            }
            reading = read;
        } finally {
            lock.unlock();
        }
        if (signal != null && signal.aborted()) {
            read.subscribeAndCancel(publisher, releaseSlot);
            return loop.rejected(signal.reason());
        }
        Promise<T> promise = dev.eventual.Timeline.track(
                dev.eventual.internal.Traces.operation(loop, "body", read), "fetch", "body of " + method + " " + uri); // loop.from, traced and recorded
        read.subscribe(publisher, releaseSlot);
        return signal == null ? promise : promise.withSignal(signal);
    }

    /**
     * Takes the body if no one has, cancelling it at once: the JDK closes the connection, and the
     * slot is given back. For a response nobody will read (cancelled, unreachable).
     */
    void abort() {
        if (take()) {
            new WholeRead<Void>("discard", null).subscribeAndCancel(publisher, releaseSlot);
        }
    }

    /**
     * Reads to the end keeping nothing, so the connection can be reused: {@link Response#discard()}.
     */
    Promise<Void> discard() {
        return readAll("discarding the body", null);
    }

    FetchException readFailure(String what, Throwable cause) {
        String detail = cause instanceof JsonBinding.NotJson ? cause.getMessage()
                : FetchException.decodeJdkMessage(cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage())
                + FetchException.rootCauseSuffix(cause);
        return new FetchException(method, uri, what + " failed: " + detail, cause);
    }

    /**
     * One read of the body. {@code subscription} is set once by {@code onSubscribe} (a JDK
     * thread or the subscribing thread); {@code cancel} may come first from any thread, so both
     * go through the atomic reference: a cancel before the subscription leaves {@code CANCELLED}
     * there and {@code onSubscribe} cancels what it receives.
     */
    private abstract class Read<T> extends CompletableFuture<T> implements Flow.Subscriber<List<ByteBuffer>> {
        private final AtomicReference<Flow.Subscription> subscription = new AtomicReference<>();
        private Runnable release;

        final void subscribe(Flow.Publisher<List<ByteBuffer>> from, Runnable releaseSlot) {
            this.release = releaseSlot;
            whenComplete((v, e) -> releaseSlot.run());
            from.subscribe(this);
        }

        final void subscribeAndCancel(Flow.Publisher<List<ByteBuffer>> from, Runnable releaseSlot) {
            subscription.set(CANCELLED);
            this.release = releaseSlot;
            from.subscribe(this);
            releaseSlot.run();
        }

        @Override
        public final void onSubscribe(Flow.Subscription s) {
            if (!subscription.compareAndSet(null, s)) {
                s.cancel(); // cancelled before it arrived (or a second subscription, against the spec)
                return;
            }
            onStart(s);
        }

        abstract void onStart(Flow.Subscription s);

        final void request(long n) {
            Flow.Subscription s = subscription.get();
            if (s != null && s != CANCELLED) {
                s.request(n);
            }
        }

        @Override
        public void onError(Throwable error) {
            completeExceptionally(readFailure("reading the body", error));
        }

        @Override
        public boolean cancel(boolean mayInterrupt) {
            Flow.Subscription s = subscription.getAndSet(CANCELLED);
            if (s != null && s != CANCELLED) {
                s.cancel();
            }
            boolean cancelled = super.cancel(mayInterrupt);
            if (release != null) {
                release.run();
            }
            return cancelled;
        }

        /**
         * Stops reading after a failure of our own (a callback threw, the loop closed, the
         * deadline passed). Completes first: cancelling makes the JDK report an error of its own
         * ("subscription cancelled"), which must not become the read's reason.
         */
        final void abandon(Throwable reason) {
            completeExceptionally(reason);
            Flow.Subscription s = subscription.getAndSet(CANCELLED);
            if (s != null && s != CANCELLED) {
                s.cancel();
            }
        }
    }

    private static final Flow.Subscription CANCELLED = new Flow.Subscription() {
        @Override
        public void request(long n) {}

        @Override
        public void cancel() {}
    };

    /** Collects every byte, then finishes on the JDK thread that delivered the last one. */
    private final class WholeRead<T> extends Read<T> {
        private final String what;
        private final Function<byte[], T> finish;
        /** Written only by the subscriber's signals, which the Flow spec serializes; unused by a discard. */
        private byte[] bytes;
        private int size;

        /** {@code finish} null: a discard, which keeps no byte. */
        WholeRead(String what, Function<byte[], T> finish) {
            this.what = what;
            this.finish = finish;
            this.bytes = finish == null ? null : new byte[256];
        }

        @Override
        void onStart(Flow.Subscription s) {
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            if (finish == null) {
                return;
            }
            for (ByteBuffer b : buffers) {
                int n = b.remaining();
                if (n > Integer.MAX_VALUE - 8 - size) {
                    abandon(new FetchException(method, uri, what + " failed: the body is larger than 2 GB;"
                            + " read it with Response.stream", null));
                    return;
                }
                if (size + n > bytes.length) {
                    bytes = java.util.Arrays.copyOf(bytes, (int) Math.min(Integer.MAX_VALUE - 8L,
                            Math.max((long) bytes.length * 2, (long) size + n)));
                }
                b.get(bytes, size, n);
                size += n;
            }
        }

        @Override
        public void onComplete() {
            if (finish == null) {
                complete(null); // a discard: nothing was kept
                return;
            }
            T result;
            try {
                byte[] all = size == bytes.length ? bytes : java.util.Arrays.copyOf(bytes, size);
                bytes = null;
                result = finish.apply(all);
            } catch (Throwable e) { // an Error too (OutOfMemoryError, a linkage error from Jackson): never leave the read pending
                completeExceptionally(e instanceof FetchException ? e : readFailure(what, e));
                return;
            }
            complete(result);
        }
    }

    /**
     * Hands one chunk at a time to the loop and asks the JDK for the next only after the
     * callback returned (and, with a {@code demand}, once its promise fulfilled): at most one
     * chunk is held, however large the body.
     */
    private final class StreamingRead extends Read<Void> {
        private final Consumer<? super ByteBuffer> onChunk;
        /** Null for a callback stream; else asked after each chunk, the next read waits for it. */
        private final Supplier<Promise<Void>> demand;

        StreamingRead(Consumer<? super ByteBuffer> onChunk, Supplier<Promise<Void>> demand) {
            this.onChunk = onChunk;
            this.demand = demand;
        }

        @Override
        void onStart(Flow.Subscription s) {
            s.request(1);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            try {
                loop.execute(() -> deliver(buffers));
            } catch (RuntimeException closed) { // RejectedExecutionException: the loop has closed
                abandon(closed);
            }
        }

        private void deliver(List<ByteBuffer> buffers) {
            if (isDone()) {
                return; // cancelled, aborted or failed while this chunk waited for the loop
            }
            try {
                for (ByteBuffer b : buffers) {
                    onChunk.accept(b.asReadOnlyBuffer());
                }
            } catch (Throwable t) {
                abandon(t); // the promise rejects with what the callback threw
                return;
            }
            if (demand == null) {
                request(1);
            } else {
                demand.get().thenAccept(v -> {
                    if (!isDone()) {
                        request(1);
                    }
                });
            }
        }

        @Override
        public void onError(Throwable error) {
            // Through the loop too, behind the chunks already handed over, which the user gets first.
            try {
                loop.execute(() -> super.onError(error));
            } catch (RuntimeException closed) {
                super.onError(error);
            }
        }

        @Override
        public void onComplete() {
            // Through the loop, behind the chunks still waiting there: the promise must not
            // fulfil (and deliver() then skip them as done) before the last chunk was handed over.
            try {
                loop.execute(() -> complete(null));
            } catch (RuntimeException closed) {
                abandon(closed);
            }
        }
    }
}
