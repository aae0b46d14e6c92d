package dev.eventual.io.fetch;

import java.net.URI;
import java.util.Objects;

/**
 * The reason a {@link Fetch fetch} rejects: the exchange could not be completed (connection
 * refused or reset, host not found, no response within the request's timeout, a malformed or
 * truncated response, too many redirects, a redirect refused by {@link Request.Redirect#ERROR}), or a
 * convenience method such as {@link Fetch#getText(String)} received a status outside 200-299.
 * A response with any status, 404 and 500 included, is not a failure of {@code fetch} itself, as
 * on the web.
 *
 * <p>The message names the method, the URL and what went wrong ("GET http://localhost:8080/a
 * failed: connection refused"); {@link #getCause()} is the JDK's exception where there is one.
 * {@link #isTransient()} says whether the same request may succeed if tried again, for a retry
 * predicate.
 */
public class FetchException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The request's method; see {@link #method()}. */
    private final String method;
    /** The URL that failed; see {@link #uri()}. */
    private final URI uri;
    /** The refused HTTP status, or {@code -1}; see {@link #status()}. */
    private final int status;
    /** Whether a retry may succeed; see {@link #isTransient()}. */
    private final boolean transientFailure;

    /**
     * Creates one.
     *
     * @param method the request's method
     * @param uri the URL that failed (the redirect target, if the failure happened after one)
     * @param problem what went wrong, completing "METHOD URL failed: ..."
     * @param cause the underlying exception, or null
     */
    public FetchException(String method, URI uri, String problem, Throwable cause) {
        this(method, uri, -1, method + " " + uri + " failed: " + problem, cause);
    }

    FetchException(String method, URI uri, int status, String message, Throwable cause) {
        super(message, cause);
        this.method = Objects.requireNonNull(method, "method");
        this.uri = Objects.requireNonNull(uri, "uri");
        this.status = status;
        this.transientFailure = status >= 0 ? transientStatus(status) : transientCause(cause);
    }

    /**
     * Whether trying the same request again may succeed, as retry libraries decide it (got,
     * p-retry's users, the AWS and Google clients): true for a failure to connect (refused,
     * unreachable, host not resolved, connect timeout), the request's timeout, a connection reset
     * or closed before the response or body was complete, and the statuses 408, 425, 429, 500,
     * 502, 503 and 504; false for other statuses (4xx, 501, 505...), a response the JDK could not
     * parse (a protocol error), a body that is not valid JSON, too many redirects, a redirect
     * refused by its policy, a cancelled exchange, and a failure whose cause is unknown. Note that
     * retrying a request that is not idempotent (a POST) after it may have reached the server is
     * the caller's decision.
     *
     * @return whether a retry may succeed
     */
    public boolean isTransient() {
        return transientFailure;
    }

    private static boolean transientStatus(int status) {
        return status == 408 || status == 425 || status == 429 || status == 500 || status == 502 || status == 503
                || status == 504;
    }

    private static boolean transientCause(Throwable cause) {
        boolean network = false;
        for (Throwable c = cause; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof java.net.ProtocolException || c instanceof JsonBinding.NotJson
                    || (c.getMessage() != null && c.getMessage().startsWith("Illegal character in chunk size"))) {
                return false; // the server answered something unparsable: it would again
            }
            if (c instanceof java.util.concurrent.CancellationException) {
                return false;
            }
            if (c instanceof java.net.http.HttpTimeoutException || c instanceof java.net.ConnectException
                    || c instanceof java.net.SocketException || c instanceof java.io.EOFException
                    || c instanceof java.net.UnknownHostException || c instanceof java.nio.channels.UnresolvedAddressException
                    || c instanceof java.nio.channels.ClosedChannelException
                    || c.getClass() == java.io.IOException.class) {
                // a plain IOException from the JDK client: "fixed content-length: N, bytes
                // received: M", "HTTP/1.1 header parser received no bytes", "connection closed"
                network = true;
            }
        }
        return network;
    }

    /**
     * Returns the request's method ({@code GET}, {@code POST}, ...).
     *
     * @return the method of the request that failed, as {@code "GET"}
     */
    public String method() {
        return method;
    }

    /**
     * Returns the URL that failed.
     *
     * @return the URL that failed: the request's, or the redirect target when the failure came
     *     after a redirect
     */
    public URI uri() {
        return uri;
    }

    /**
     * Returns the HTTP status when the failure is a status refused by a convenience method
     * ({@link Fetch#getText(String)} and kin), else {@code -1}.
     *
     * @return the HTTP status a convenience method refused, or {@code -1} for any other failure
     */
    public int status() {
        return status;
    }

    /**
     * Returns ": " and the message of {@code e}'s root cause when {@code e} wraps one its own
     * message leaves out (the JDK describes its parser's state and keeps "Connection reset" or
     * "EOF reached while reading" in the cause), else "".
     */
    static String rootCauseSuffix(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = root.getMessage();
        if (root == e || m == null || m.isBlank() || (e.getMessage() != null && e.getMessage().contains(m))) {
            return "";
        }
        return ": " + decodeJdkMessage(m);
    }

    private static final java.util.regex.Pattern CHUNK_SIZE_CODE =
            java.util.regex.Pattern.compile("Illegal character in chunk size: (\\d+)");

    /**
     * Rewrites the JDK's messages that need decoding: "Illegal character in chunk size: 90" (a
     * character code) becomes "... chunk size: 'Z' (0x5A)". Other messages are returned as they are.
     */
    static String decodeJdkMessage(String jdkMessage) {
        if (jdkMessage == null) {
            return null;
        }
        java.util.regex.Matcher m = CHUNK_SIZE_CODE.matcher(jdkMessage);
        if (!m.find()) {
            return jdkMessage;
        }
        int code;
        try {
            code = Integer.parseInt(m.group(1));
        } catch (NumberFormatException e) {
            return jdkMessage;
        }
        String shown = code >= 0x21 && code <= 0x7E ? "'" + (char) code + "'"
                : code == ' ' ? "a space" : code == '\r' ? "CR" : code == '\n' ? "LF" : "a control or non-ASCII byte";
        return jdkMessage.substring(0, m.start()) + "Illegal character in chunk size: " + shown
                + String.format(" (0x%02X)", code) + jdkMessage.substring(m.end());
    }

    static FetchException badStatus(String method, URI uri, int status) {
        return new FetchException(method, uri, status, method + " " + uri + ": HTTP " + status + " " + Response.reasonPhrase(status), null);
    }
}
