package dev.eventual.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;

/**
 * Every message Eventual writes (unhandled rejection, rejection handled later, uncaught
 * callback exception, loop closed with work not run, blocked loop) goes through here, to the
 * {@link System.Logger} named {@value #NAME}.
 *
 * <p>Where it lands: when a logging framework provides the {@link System.LoggerFinder} (SLF4J,
 * Log4j, any other), or the JDK's finder runs over {@code java.util.logging} and the user has
 * configured it (see {@link JulConfiguration}), the message is logged, with the error as its
 * throwable, and the framework routes it. Otherwise nobody chose where it goes, and the text is
 * printed as is on {@code System.err} (the exception's stack trace after it): the JDK's console
 * formats would put a date line before each message and split it from its stack trace.
 *
 * <p>Invariants: a report never throws for the sake of the error it reports (an exception that
 * cannot print itself is shown by its class name, see {@link ErrorText}); the choice is made per
 * message, so a handler a program adds to the {@code dev.eventual} JUL logger at any time
 * receives the messages written after it.
 */
final class Report {
    /** The logger name, for every message. */
    static final String NAME = "dev.eventual";

    private Report() {}

    /** Writes {@code text} (and {@code error}'s stack trace if not null) at {@code level}. */
    static void log(Level level, String text, Throwable error) {
        Logger logger = viaLogger();
        if (logger == null) {
            System.err.println(text);
            if (error != null) {
                ErrorText.printStackTrace(error);
            }
        } else if (error == null) {
            logger.log(level, text);
        } else {
            logger.log(level, text, printable(error));
        }
    }

    /** The logger when a framework or the user's JUL configuration routes the messages, else null. */
    private static Logger viaLogger() {
        Module finder = System.LoggerFinder.getLoggerFinder().getClass().getModule();
        String module = finder.getName();
        if ("java.base".equals(module)) {
            return null; // no java.logging: the JDK's simple console logger, nobody configured it
        }
        if ("java.logging".equals(module) && !JulConfiguration.configured(NAME)) {
            return null;
        }
        return System.getLogger(NAME);
    }

    /**
     * The error as given to a logger, unless printing it throws: a logging framework formats
     * the throwable (its {@code toString}, its stack trace) outside Eventual's reach, so a hostile
     * error is checked here and replaced by a plain one that names its class.
     */
    private static Throwable printable(Throwable error) {
        try {
            String.valueOf(error);
            error.getStackTrace();
            return error;
        } catch (Throwable refused) {
            return new IllegalStateException(ErrorText.describe(error));
        }
    }

}
