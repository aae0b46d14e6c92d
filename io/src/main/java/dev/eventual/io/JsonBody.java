package dev.eventual.io;

/**
 * JSON for {@link Response#json}, through Jackson when it is on the class or module path. The
 * Jackson types are only named in {@link Parser}, which is loaded on the first parse, so without
 * Jackson this class still loads and {@link #available()} says no.
 */
final class JsonBody {
    static final String MISSING = "Response.json() needs Jackson: add com.fasterxml.jackson.core:jackson-databind"
            + " (2.x) to the class path (Maven: <groupId>com.fasterxml.jackson.core</groupId>"
            + "<artifactId>jackson-databind</artifactId>), or read the body with text() and parse it yourself";

    private static final boolean AVAILABLE = detect();

    private JsonBody() {}

    static boolean available() {
        return AVAILABLE;
    }

    private static boolean detect() {
        try {
            Class.forName("com.fasterxml.jackson.databind.ObjectMapper", false, JsonBody.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    static <T> T parse(byte[] json, Class<T> type) {
        return Parser.parse(json, type);
    }

    /** Holds the one shared mapper (thread-safe once configured, as Jackson documents). */
    private static final class Parser {
        private static final com.fasterxml.jackson.databind.ObjectMapper MAPPER =
                new com.fasterxml.jackson.databind.ObjectMapper();

        static <T> T parse(byte[] json, Class<T> type) {
            try {
                return MAPPER.readValue(json, type);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new java.io.UncheckedIOException("not valid JSON for " + type.getSimpleName() + ": "
                        + e.getOriginalMessage(), e);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }
}
