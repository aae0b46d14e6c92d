package dev.eventual.io.fetch;

/**
 * JSON for {@link Response#json}, through Jackson when it is on the class or module path. The
 * Jackson types are only named in {@link Jackson}, which is loaded on the first parse, so without
 * Jackson this class still loads and {@link #available()} says no.
 */
final class JsonBinding {
    static final String MISSING = "Response.json() needs Jackson: add com.fasterxml.jackson.core:jackson-databind"
            + " (2.x) to the class path (Maven: <groupId>com.fasterxml.jackson.core</groupId>"
            + "<artifactId>jackson-databind</artifactId>), or read the body with text() and parse it yourself";

    private static final boolean AVAILABLE = detect();

    private JsonBinding() {}

    static boolean available() {
        return AVAILABLE;
    }

    private static boolean detect() {
        try {
            Class.forName("com.fasterxml.jackson.databind.ObjectMapper", false, JsonBinding.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    static <T> T parse(byte[] json, Class<T> type) {
        return Jackson.parse(json, type);
    }

    /** {@code type} is a Jackson {@code TypeReference}: named here only as Object, so that this class loads without Jackson. */
    @SuppressWarnings("unchecked")
    static <T> T parse(byte[] json, Object typeReference) {
        return (T) Jackson.parseReference(json, typeReference);
    }

    @SuppressWarnings("unchecked")
    static <T> T parse(byte[] json, java.lang.reflect.Type type) {
        return (T) Jackson.parseType(json, type);
    }

    /**
     * A body that is not JSON (or not of the type asked for): its message is complete (the
     * parser's sentence and where), so a failure built from it does not repeat its cause's.
     */
    static final class NotJson extends java.io.UncheckedIOException {
        private static final long serialVersionUID = 1L;

        NotJson(String message, java.io.IOException cause) {
            super(message, cause);
        }
    }

    /** Holds the one shared mapper (thread-safe once configured, as Jackson documents). */
    private static final class Jackson {
        private static final com.fasterxml.jackson.databind.ObjectMapper MAPPER =
                new com.fasterxml.jackson.databind.ObjectMapper();

        static <T> T parse(byte[] json, Class<T> type) {
            return read(json, MAPPER.getTypeFactory().constructType(type), type.getSimpleName());
        }

        static Object parseReference(byte[] json, Object typeReference) {
            com.fasterxml.jackson.core.type.TypeReference<?> ref = (com.fasterxml.jackson.core.type.TypeReference<?>) typeReference;
            return read(json, MAPPER.getTypeFactory().constructType(ref), ref.getType().getTypeName());
        }

        static Object parseType(byte[] json, java.lang.reflect.Type type) {
            return read(json, MAPPER.getTypeFactory().constructType(type), type.getTypeName());
        }

        private static <T> T read(byte[] json, com.fasterxml.jackson.databind.JavaType type, String name) {
            try {
                return MAPPER.readValue(json, type);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new NotJson("not valid JSON for " + name + ": " + e.getOriginalMessage()
                        + where(e.getLocation()), e);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        private static String where(com.fasterxml.jackson.core.JsonLocation at) {
            return at == null || at.getLineNr() < 0 ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
        }
    }
}
