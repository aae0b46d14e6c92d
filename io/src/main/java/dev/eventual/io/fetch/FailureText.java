package dev.eventual.io.fetch;

import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

/**
 * What went wrong with an exchange, in words: turns the JDK client's exception into the problem
 * part of a {@link FetchException}'s message ("cannot connect to host:port (Connection refused)",
 * "cannot resolve host x", "no response within 5000 ms (the request's timeout)"), and recovers the
 * cause the JDK loses when it retries a refused connect ({@link #diagnoseConnect}). Stateless:
 * every method may be called from any thread.
 */
final class FailureText {
    /** How long {@link #diagnoseConnect} waits for its own connection attempt. */
    static final int PROBE_MILLIS = 2_000;

    private FailureText() {}

    /** {@code error} without the {@code CompletionException}s and {@code ExecutionException}s around it. */
    static Throwable unwrap(Throwable error) {
        Throwable e = error;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    /**
     * The problem {@code e} (unwrapped) describes, for a hop to {@code uri} under the request's
     * {@code timeout}: completes "METHOD URL failed: ...".
     */
    static String describe(Throwable e, URI uri, Optional<Duration> timeout) {
        if (e instanceof HttpConnectTimeoutException) {
            return "could not connect within the client's connect timeout";
        }
        if (e instanceof HttpTimeoutException) {
            return "no response within " + timeout.map(FetchClient::formatDuration).orElse("the timeout")
                    + " (the request's timeout)";
        }
        if (e instanceof CancellationException) {
            return "cancelled";
        }
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof UnresolvedAddressException || c instanceof java.net.UnknownHostException) {
                return "cannot resolve host " + uri.getHost();
            }
        }
        if (e instanceof ConnectException) {
            String m = null;
            for (Throwable c = e; c != null && m == null; c = c.getCause()) {
                m = c.getMessage();
            }
            return "cannot connect to " + uri.getHost() + ":" + Exchange.port(uri) + " ("
                    + (m == null ? "refused or unreachable" : m) + ")";
        }
        if (e instanceof UncheckedIOException u) {
            return u.getMessage();
        }
        String m = FetchException.decodeJdkMessage(e.getMessage());
        return (m == null || m.isBlank() ? "" : m + " ") + "(" + e.getClass().getName() + ")" + FetchException.rootCauseSuffix(e);
    }

    /**
     * Whether {@code e} (unwrapped) is a failed connect whose cause the JDK lost: it retries a
     * failed connect once, on the channel the first attempt closed, and then reports a
     * {@code ConnectException} without a message caused by a {@code ClosedChannelException}:
     * "Connection refused" (or "No route to host") is gone.
     */
    static boolean lostConnectCause(Throwable e, URI uri) {
        return e instanceof ConnectException && messageless(e)
                && describe(e, uri, Optional.empty()).endsWith("(refused or unreachable)");
    }

    private static boolean messageless(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c.getMessage() != null) {
                return false;
            }
        }
        return true;
    }

    /**
     * Says what a connection to {@code uri}'s host and port meets, for a failure that
     * {@link #lostConnectCause} lost: one connection attempt of our own, on a virtual thread, at
     * most {@value #PROBE_MILLIS} ms, then {@code why} receives the text for the parentheses of
     * "cannot connect to host:port (...)". Only on this failure path.
     */
    static void diagnoseConnect(URI uri, Consumer<String> why) {
        String host = uri.getHost();
        int port = Exchange.port(uri);
        Thread.ofVirtual().name("eventual-fetch-connect-diagnosis").start(() -> {
            String met;
            try (java.net.Socket probe = new java.net.Socket()) {
                probe.connect(new java.net.InetSocketAddress(host, port), PROBE_MILLIS);
                met = "refused or unreachable; a second attempt, made to diagnose it, connected";
            } catch (java.net.SocketTimeoutException t) {
                met = "refused or unreachable; a second attempt, made to diagnose it, had no answer within "
                        + PROBE_MILLIS + " ms";
            } catch (java.io.IOException | RuntimeException other) {
                met = other.getMessage() == null ? "refused or unreachable" : other.getMessage();
            }
            why.accept(met);
        });
    }
}
