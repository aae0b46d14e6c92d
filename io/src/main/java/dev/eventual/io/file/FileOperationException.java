package dev.eventual.io.file;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The reason an {@link AsyncFiles} promise rejects when the file system fails: it names the
 * operation and the path, and its {@linkplain #getCause() cause} is the original
 * {@link IOException} ({@link NoSuchFileException}, {@link AccessDeniedException}, ...), so code
 * can branch on the cause's type. The message reads
 * {@code "readString /tmp/missing.txt failed: no such file or directory (NoSuchFileException)"}.
 *
 * <p>Unchecked, as promise rejection reasons are: a handler receives it as it is, never wrapped.
 * The path is not serialized (a {@link Path} is not serializable); the message keeps it.
 */
public final class FileOperationException extends UncheckedIOException {
    private static final long serialVersionUID = 1L;

    /** The method that failed, as {@code "readString"}. */
    private final String operation;
    /** The path it was given; {@code null} only after deserialization. */
    private final transient Path path;

    /**
     * Creates one; the message is made from the three arguments.
     *
     * @param operation the method that failed, as {@code "readString"}; must not be null
     * @param path the path it was given; must not be null
     * @param cause what the file system reported; must not be null
     */
    FileOperationException(String operation, Path path, IOException cause) {
        super(operation + " " + path + " failed: " + describe(Objects.requireNonNull(cause, "cause")),
                cause);
        this.operation = Objects.requireNonNull(operation, "operation");
        this.path = Objects.requireNonNull(path, "path");
    }

    /**
     * Returns the method that failed, as {@code "readString"}.
     *
     * @return the name of the method that failed
     */
    public String operation() {
        return operation;
    }

    /**
     * Returns the path the operation was given ({@code null} after deserialization).
     *
     * @return the path the operation was given, or {@code null} after deserialization
     */
    public Path path() {
        return path;
    }

    /**
     * A short reason in the words of the POSIX error (what Node prints after {@code ENOENT:}),
     * then the exception's class, so the message stands on its own in a log.
     */
    private static String describe(IOException cause) {
        String reason;
        if (cause instanceof NoSuchFileException) {
            reason = "no such file or directory";
        } else if (cause instanceof AccessDeniedException) {
            reason = "permission denied";
        } else if (cause instanceof FileAlreadyExistsException) {
            reason = "file already exists";
        } else if (cause instanceof NotDirectoryException) {
            reason = "not a directory";
        } else if (cause instanceof DirectoryNotEmptyException) {
            reason = "directory not empty";
        } else if (cause instanceof FileSystemException fse) {
            reason = fse.getReason() != null ? fse.getReason() : "file system error";
        } else {
            reason = cause.getMessage() != null ? cause.getMessage() : "I/O error";
        }
        return reason + " (" + cause.getClass().getSimpleName() + ")";
    }
}
