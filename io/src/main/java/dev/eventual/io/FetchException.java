package dev.eventual.io;

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
 */
public class FetchException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String method;
    private final URI uri;
    private final int status;

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
    }

    /** Returns the request's method ({@code GET}, {@code POST}, ...). */
    public String method() {
        return method;
    }

    /** Returns the URL that failed. */
    public URI uri() {
        return uri;
    }

    /**
     * Returns the HTTP status when the failure is a status refused by a convenience method
     * ({@link Fetch#getText(String)} and kin), else {@code -1}.
     */
    public int status() {
        return status;
    }

    /**
     * Returns ": " and the message of {@code e}'s root cause when {@code e} wraps one its own
     * message leaves out (the JDK describes its parser's state and keeps "Connection reset" or
     * "EOF reached while reading" in the cause), else "".
     */
    static String rootCause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = root.getMessage();
        if (root == e || m == null || m.isBlank() || (e.getMessage() != null && e.getMessage().contains(m))) {
            return "";
        }
        return ": " + readable(m);
    }

    private static final java.util.regex.Pattern CHUNK_SIZE_CODE =
            java.util.regex.Pattern.compile("Illegal character in chunk size: (\\d+)");

    /**
     * Rewrites the JDK's messages that need decoding: "Illegal character in chunk size: 90" (a
     * character code) becomes "... chunk size: 'Z' (0x5A)". Other messages are returned as they are.
     */
    static String readable(String jdkMessage) {
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
        return new FetchException(method, uri, status, method + " " + uri + ": HTTP " + status + " " + Response.reason(status), null);
    }
}
