package dev.eventual.internal;

/**
 * Text of a user's exception for the loop's own reports (task errors, unhandled rejections).
 * A hostile exception may refuse to print itself (its {@code toString} or {@code getMessage}
 * throws); a report must not fail because of that, since it runs on the loop thread outside
 * any callback's try block and would end the loop. So every report goes through here, and an
 * exception that cannot be printed is shown by its class name.
 */
final class ErrorText {
    private ErrorText() {}

    /** {@code error.toString()}, or its class name when that throws. */
    static String describe(Throwable error) {
        try {
            return String.valueOf(error);
        } catch (Throwable refused) {
            return unprintable(error, refused);
        }
    }

    /** {@code error.printStackTrace()} on {@code System.err}, or one line when that throws. */
    static void printStackTrace(Throwable error) {
        try {
            error.printStackTrace();
        } catch (Throwable refused) {
            System.err.println(unprintable(error, refused));
        }
    }

    private static String unprintable(Throwable error, Throwable refused) {
        return error.getClass().getName() + " (cannot be printed: printing it threw " + refused.getClass().getName() + ")";
    }
}
