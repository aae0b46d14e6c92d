/**
 * Eventual's io: {@code fetch} over the JDK {@code HttpClient}, files and processes, each result
 * delivered on the calling event loop's thread.
 *
 * <p>Exported, one package per topic: {@code dev.eventual.io.fetch} (HTTP),
 * {@code dev.eventual.io.file} (files) and {@code dev.eventual.io.process} (programs). Each holds
 * its API and, package-private, its implementation; {@code dev.eventual.io.internal} (not
 * exported) holds what the topics share. Jackson is optional: {@code Response.json()} uses it
 * when it is present.
 */
module dev.eventual.io {
    requires transitive dev.eventual;
    requires transitive java.net.http;
    requires static com.fasterxml.jackson.databind;
    requires static com.fasterxml.jackson.core;

    exports dev.eventual.io.fetch;
    exports dev.eventual.io.file;
    exports dev.eventual.io.process;
}
