package dev.eventual.examples;

import dev.eventual.EventLoop;
import dev.eventual.NodeCallback;
import dev.eventual.Promise;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A stand-in for a server far away: a request "travels" for {@code latencyMillis} on a timer of
 * the caller's loop, then the answer arrives. Real HTTP comes with the {@code io} module; the
 * calling conventions here are the ones it uses.
 *
 * <p>Every method must be called on an event loop thread, returns at once, and delivers the
 * answer later on that same loop thread, as a callback or through a promise.
 */
public final class SimulatedServer {
    private final long latencyMillis;

    /**
     * Creates a server that answers after {@code latencyMillis}.
     *
     * @param latencyMillis the round-trip time; not negative
     */
    public SimulatedServer(long latencyMillis) {
        if (latencyMillis < 0) {
            throw new IllegalArgumentException("latencyMillis must be >= 0: " + latencyMillis);
        }
        this.latencyMillis = latencyMillis;
    }

    /**
     * Asks for the data at {@code path} and calls {@code callback} with it.
     *
     * <p>The callback receives the response body, a non-null {@code String}, once, on the calling
     * loop's thread, about {@code latencyMillis} after this call returns, never during it. A path
     * starting with {@code /missing} has no data: then the callback is not called, and the
     * failure is reported as the loop's task error. Use {@link #get(String)} or
     * {@link #get(String, NodeCallback)} to handle failures yourself.
     *
     * @param path what to ask for; must not be null
     * @param callback receives the body; must not be null
     */
    public void get(String path, Consumer<String> callback) {
        Objects.requireNonNull(callback, "callback");
        get(path).thenAccept(callback).caught(error -> {
            EventLoop.current().execute(() -> {
                throw new IllegalStateException("GET " + path + " failed and the callback has no error parameter", error);
            });
            return null;
        });
    }

    /**
     * Asks for the data at {@code path} and calls {@code callback} Node-style: {@code (null, body)}
     * on success, {@code (error, null)} on failure (an {@link IllegalArgumentException} naming the
     * path). Called once, on the calling loop's thread, after this call returns.
     *
     * @param path what to ask for; must not be null
     * @param callback receives the outcome; must not be null
     */
    public void get(String path, NodeCallback<String> callback) {
        get(path).asCallback(callback);
    }

    /**
     * Asks for the data at {@code path}.
     *
     * @param path what to ask for; must not be null
     * @return a promise of the calling loop that fulfils with the body about {@code latencyMillis}
     *     later, or rejects with an {@link IllegalArgumentException} naming the path when there is
     *     no data there
     * @throws IllegalStateException if the calling thread runs no event loop
     */
    public Promise<String> get(String path) {
        Objects.requireNonNull(path, "path");
        var response = Promise.<String>withResolvers();
        EventLoop.current().setTimeout(() -> {
            if (path.startsWith("/missing")) {
                response.reject(new IllegalArgumentException("GET " + path + ": 404 Not Found"));
            } else {
                response.resolve("data from " + path);
            }
        }, latencyMillis);
        return response.promise();
    }
}
