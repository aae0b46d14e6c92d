/**
 * Eventual's io: {@code fetch} over the JDK {@code HttpClient}, files and processes, each result
 * delivered on the calling event loop's thread.
 *
 * <p>Exported: {@code dev.eventual.io.fetch} (HTTP) and {@code dev.eventual.io} (files and
 * processes); {@code dev.eventual.io.internal} is the implementation they share. Jackson is
 * optional: {@code Response.json()} uses it when it is present.
 */
module dev.eventual.io {
    requires transitive dev.eventual;
    requires transitive java.net.http;
    requires static com.fasterxml.jackson.databind;
    requires static com.fasterxml.jackson.core;

    exports dev.eventual.io;
    exports dev.eventual.io.fetch;
}
