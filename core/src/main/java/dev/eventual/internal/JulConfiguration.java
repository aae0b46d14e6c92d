package dev.eventual.internal;

import java.util.logging.ConsoleHandler;
import java.util.logging.Handler;
import java.util.logging.LogManager;

/**
 * Whether a program configured {@code java.util.logging} for Eventual's messages, when the JDK's
 * {@link System.LoggerFinder} sends {@link System.Logger} calls to it (see {@link Report}).
 *
 * <p>Configured means any of: a configuration file or class named by the
 * {@code java.util.logging.config.file} / {@code .class} system properties; a level or a handler
 * on the logger {@code dev.eventual} or on {@code dev}; root handlers other than the JDK's one
 * default {@link ConsoleHandler} (a bridge such as SLF4J's {@code SLF4JBridgeHandler} replaces
 * it). Only loaded when {@code java.logging} is present: {@link Report} asks only when the
 * finder itself lives in that module.
 */
final class JulConfiguration {
    private JulConfiguration() {}

    static boolean configured(String name) {
        if (System.getProperty("java.util.logging.config.file") != null
                || System.getProperty("java.util.logging.config.class") != null) {
            return true;
        }
        LogManager manager = LogManager.getLogManager();
        for (String n = name; !n.isEmpty(); n = n.contains(".") ? n.substring(0, n.lastIndexOf('.')) : "") {
            java.util.logging.Logger logger = manager.getLogger(n);
            if (logger != null && (logger.getLevel() != null || logger.getHandlers().length > 0)) {
                return true;
            }
        }
        java.util.logging.Logger root = manager.getLogger("");
        if (root == null) {
            return false;
        }
        Handler[] handlers = root.getHandlers();
        return !(handlers.length == 1 && handlers[0].getClass() == ConsoleHandler.class);
    }
}
