package dev.eventual.io.process;

import dev.eventual.AbortSignal;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A program to run with {@link Processes} and how to run it: its arguments, working directory,
 * environment, the text fed to its standard input, the charset of its text, the bound on the
 * output kept, a time limit and a signal that stops it.
 *
 * <pre>{@code
 * Command sort = Command.of("sort", "-r")
 *         .directory(Path.of("/tmp"))
 *         .environment("LC_ALL", "C")
 *         .stdin("b\na\nc\n")
 *         .timeout(Duration.ofSeconds(10));
 * Processes.run(sort).thenAccept(r -> System.out.print(r.stdout()));
 * }</pre>
 *
 * <h2>Immutability</h2>
 * A command is an immutable value: every method that configures it returns a new command and
 * leaves this one as it was, so one command may be shared, run many times and run from several
 * threads.
 *
 * <h2>Defaults</h2>
 * The working directory and the environment are the Java process's; standard input is closed at
 * once (the program reads end of input, as with {@code < /dev/null}); the charset is UTF-8; the
 * output limit is {@link #DEFAULT_OUTPUT_LIMIT} (16 MiB) per stream; there is no time limit and
 * no signal.
 *
 * <h2>Nulls</h2>
 * No parameter may be {@code null}: a {@code null} fails at the call with a
 * {@link NullPointerException} naming the parameter. Optional settings are read through
 * {@link Optional}.
 */
public final class Command {

    /**
     * The default {@link #outputLimit(int) output limit}: 16 MiB (16,777,216 bytes) of standard
     * output and as much of standard error are kept by {@link Processes#run(Command)}, and a line
     * of up to 16 Mi characters is delivered whole by {@link Processes#stream}.
     */
    public static final int DEFAULT_OUTPUT_LIMIT = 16 * 1024 * 1024;

    private final List<String> arguments;
    private final Path directory; // null: the Java process's working directory
    private final boolean inheritEnvironment;
    private final Map<String, String> environment; // unmodifiable; set on top of the inherited one
    private final String stdin; // null: standard input closed at once
    private final Charset charset;
    private final int outputLimit;
    private final Duration timeout; // null: no time limit
    private final AbortSignal signal; // null: none

    private Command(List<String> arguments, Path directory, boolean inheritEnvironment,
                    Map<String, String> environment, String stdin, Charset charset, int outputLimit,
                    Duration timeout, AbortSignal signal) {
        this.arguments = arguments;
        this.directory = directory;
        this.inheritEnvironment = inheritEnvironment;
        this.environment = environment;
        this.stdin = stdin;
        this.charset = charset;
        this.outputLimit = outputLimit;
        this.timeout = timeout;
        this.signal = signal;
    }

    /**
     * Returns a command that runs {@code command}: the program, then its arguments, passed to it
     * as they are (no shell: write {@code Command.of("/bin/sh", "-c", script)} for one).
     *
     * @param command the program and its arguments; at least the program
     * @return a new command with the defaults
     * @throws IllegalArgumentException if {@code command} is empty
     */
    public static Command of(String... command) {
        return of(Arrays.asList(Objects.requireNonNull(command, "command")));
    }

    /**
     * Returns a command that runs {@code command}; see {@link #of(String...)}.
     *
     * @param command the program and its arguments; at least the program; no null element
     * @return a new command with the defaults
     * @throws IllegalArgumentException if {@code command} is empty
     */
    public static Command of(List<String> command) {
        Objects.requireNonNull(command, "command");
        for (int i = 0; i < command.size(); i++) {
            Objects.requireNonNull(command.get(i), "command[" + i + "]");
        }
        if (command.isEmpty()) {
            throw new IllegalArgumentException("command must name a program: []");
        }
        return new Command(List.copyOf(command), null, true, Map.of(), null, StandardCharsets.UTF_8,
                DEFAULT_OUTPUT_LIMIT, null, null);
    }

    /**
     * Returns this command run in {@code directory} instead of the Java process's working
     * directory. A directory that does not exist makes the run fail to start.
     *
     * @param directory the working directory
     * @return a new command
     */
    public Command directory(Path directory) {
        Objects.requireNonNull(directory, "directory");
        return new Command(arguments, directory, inheritEnvironment, environment, stdin, charset,
                outputLimit, timeout, signal);
    }

    /**
     * Returns this command with the environment variable {@code name} set to {@code value}, on
     * top of the inherited environment (unless {@link #clearEnvironment()} was called) and of the
     * variables set before; a later setting of the same name wins.
     *
     * @param name the variable's name
     * @param value its value
     * @return a new command
     */
    public Command environment(String name, String value) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        Map<String, String> env = new LinkedHashMap<>(environment);
        env.put(name, value);
        return new Command(arguments, directory, inheritEnvironment, Collections.unmodifiableMap(env),
                stdin, charset, outputLimit, timeout, signal);
    }

    /**
     * Returns this command with every entry of {@code variables} set, as
     * {@link #environment(String, String)} does for one.
     *
     * @param variables names and values; no null key or value
     * @return a new command
     */
    public Command environment(Map<String, String> variables) {
        Objects.requireNonNull(variables, "variables");
        Command result = this;
        for (Map.Entry<String, String> e : variables.entrySet()) {
            result = result.environment(Objects.requireNonNull(e.getKey(), "variables key"),
                    Objects.requireNonNull(e.getValue(), "variables[" + e.getKey() + "]"));
        }
        return result;
    }

    /**
     * Returns this command started with an empty environment instead of the Java process's:
     * only the variables set afterwards with {@link #environment(String, String)} are passed
     * (those set before are dropped too). Note that without {@code PATH} a program name is
     * still looked up in the Java process's {@code PATH} by the JDK on some platforms; give a
     * full path to be sure.
     *
     * @return a new command
     */
    public Command clearEnvironment() {
        return new Command(arguments, directory, false, Map.of(), stdin, charset, outputLimit, timeout, signal);
    }

    /**
     * Returns this command with {@code text} written to its standard input, encoded with the
     * {@link #charset(Charset) charset}, after which the input is closed. A program that exits
     * without reading it all is not an error: the rest is dropped.
     *
     * @param text the whole standard input
     * @return a new command
     */
    public Command stdin(String text) {
        Objects.requireNonNull(text, "text");
        return new Command(arguments, directory, inheritEnvironment, environment, text, charset,
                outputLimit, timeout, signal);
    }

    /**
     * Returns this command with {@code charset} used to encode the standard input and decode
     * the output (default UTF-8). Bytes that do not decode become U+FFFD.
     *
     * @param charset the charset of the program's text
     * @return a new command
     */
    public Command charset(Charset charset) {
        Objects.requireNonNull(charset, "charset");
        return new Command(arguments, directory, inheritEnvironment, environment, stdin, charset,
                outputLimit, timeout, signal);
    }

    /**
     * Returns this command with another bound on the memory its output may take (default
     * {@link #DEFAULT_OUTPUT_LIMIT}, 16 MiB). {@link Processes#run(Command)} keeps at most
     * {@code bytes} bytes of standard output and as many of standard error; what comes after is
     * still read, so that the program never blocks on a full pipe, and dropped, and the result
     * says the stream was {@linkplain ProcessResult#stdoutTruncated() truncated} (a multi-byte
     * character cut at the limit decodes as U+FFFD). {@link Processes#stream} delivers a line
     * longer than {@code bytes} characters in pieces of that many characters.
     *
     * @param bytes the limit per stream; at least 1
     * @return a new command
     * @throws IllegalArgumentException if {@code bytes} is below 1
     */
    public Command outputLimit(int bytes) {
        if (bytes < 1) {
            throw new IllegalArgumentException("outputLimit must be >= 1: " + bytes);
        }
        return new Command(arguments, directory, inheritEnvironment, environment, stdin, charset,
                bytes, timeout, signal);
    }

    /**
     * Returns this command with a time limit: a run still going after {@code timeout} (from the
     * call that started it) is killed as a cancelled one is (see {@link Processes}) and rejects
     * with a {@link ProcessException} naming the command and the limit, whose cause is a
     * {@link java.util.concurrent.TimeoutException}.
     *
     * @param timeout the limit, rounded down to milliseconds; positive
     * @return a new command
     * @throws IllegalArgumentException if {@code timeout} is zero or negative
     */
    public Command timeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be > 0: " + timeout);
        }
        return new Command(arguments, directory, inheritEnvironment, environment, stdin, charset,
                outputLimit, timeout, signal);
    }

    /**
     * Returns this command stopped by {@code signal}: when it aborts, a run of this command is
     * killed as a cancelled one is (see {@link Processes}) and its promise rejects with the
     * signal's {@linkplain AbortSignal#reason() reason}; a run started with the signal already
     * aborted rejects at once and starts nothing. The signal is the one place to stop
     * {@link Processes#run(Command) run}, {@link Processes#stream(Command, java.util.function.Consumer)
     * stream} and {@link Processes#lineIterator(Command) lineIterator} alike, as a
     * {@code Request}'s signal is for {@code fetch}. Every run of this command (it may be run
     * many times) listens to it, and stops listening when it ends.
     *
     * @param signal stops the runs of this command
     * @return a new command
     */
    public Command signal(AbortSignal signal) {
        Objects.requireNonNull(signal, "signal");
        return new Command(arguments, directory, inheritEnvironment, environment, stdin, charset,
                outputLimit, timeout, signal);
    }

    /**
     * Returns the program and its arguments, unmodifiable.
     *
     * @return the program followed by its arguments; unmodifiable
     */
    public List<String> arguments() {
        return arguments;
    }

    /**
     * Returns the working directory, or empty for the Java process's.
     *
     * @return the directory the program starts in, or an empty {@code Optional} for the Java
     *     process's working directory
     */
    public Optional<Path> directory() {
        return Optional.ofNullable(directory);
    }

    /**
     * Whether the program starts from the Java process's environment (default {@code true}).
     *
     * @return {@code true} if the program starts from a copy of the Java process's environment,
     *     {@code false} after {@link #clearEnvironment()}, when it starts from an empty one
     */
    public boolean inheritsEnvironment() {
        return inheritEnvironment;
    }

    /**
     * Returns the variables set on top of the starting environment, unmodifiable, in order set.
     *
     * @return the variables set on top of the starting environment, in the order first set;
     *     unmodifiable
     */
    public Map<String, String> environment() {
        return environment;
    }

    /**
     * Returns the standard input text, or empty when standard input is closed at once.
     *
     * @return the text written to the program's standard input, or an empty {@code Optional} when
     *     standard input is closed at once
     */
    public Optional<String> stdin() {
        return Optional.ofNullable(stdin);
    }

    /**
     * Returns the charset of the program's text.
     *
     * @return the charset that encodes standard input and decodes standard output and error
     */
    public Charset charset() {
        return charset;
    }

    /**
     * Returns the output limit per stream; see {@link #outputLimit(int)}.
     *
     * @return the most bytes kept from each of standard output and standard error
     */
    public int outputLimit() {
        return outputLimit;
    }

    /**
     * Returns the time limit, or empty when there is none.
     *
     * @return the time the program may run before it is killed, or an empty {@code Optional} for no
     *     limit
     */
    public Optional<Duration> timeout() {
        return Optional.ofNullable(timeout);
    }

    /**
     * Returns the signal that stops the runs of this command, or empty when there is none.
     *
     * @return the signal set with {@link #signal(AbortSignal)}, or an empty {@code Optional}
     */
    public Optional<AbortSignal> signal() {
        return Optional.ofNullable(signal);
    }

    /**
     * Returns the arguments as failure messages show them: each quoted, as a JSON array of
     * strings, {@code ["sh", "-c", "exit 3"]}, so that the program and every argument stand out
     * whatever spaces they hold; a quote or backslash in one is escaped with a backslash, a line
     * break as {@code \n}, a NUL and any other control character as JSON's six-character escape
     * (a backslash, {@code u} and four hex digits).
     */
    @Override
    public String toString() {
        return describe(arguments);
    }

    /** Formats a command line for messages, as {@link #toString()} describes. */
    static String describe(List<String> command) {
        StringBuilder out = new StringBuilder("[");
        for (String argument : command) {
            if (out.length() > 1) {
                out.append(", ");
            }
            quote(argument, out);
        }
        return out.append(']').toString();
    }

    private static void quote(String argument, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < argument.length(); i++) {
            char c = argument.charAt(i);
            switch (c) {
                case '"', '\\' -> out.append('\\').append(c);
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
