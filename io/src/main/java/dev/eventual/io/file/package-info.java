/**
 * Files without blocking the event loop: {@link dev.eventual.io.file.AsyncFiles} reads and
 * writes whole files as text or bytes, appends, and streams a file's lines (Node's
 * {@code fs.promises} and {@code readline}); {@link dev.eventual.io.file.FileOperationException}
 * is how a file system failure reaches the promise.
 *
 * <p>Every operation returns a {@link dev.eventual.Promise} of the calling thread's loop; a
 * callback is given through that promise ({@code .thenAccept(this::show)},
 * {@code .asCallback((error, text) -> ...)}), and an {@link dev.eventual.AbortSignal} or a time
 * limit through {@link dev.eventual.Promise#withSignal} and {@link dev.eventual.Promise#timeout}.
 *
 * <p>Implementation, package-private: one job per operation ({@code FileRead}, {@code FileWrite},
 * {@code FileAppend}, {@code FileLines}) on the common base {@code FileJob}, which takes a slot
 * of the process-wide limit on open files ({@code FileSlots}), opens the file on a thread of its
 * own ({@code FileThreads}) and closes it however the job ends; {@code FileIo} reads and writes
 * regular files through {@code AsynchronousFileChannel} and pipes or devices with blocking calls
 * on {@code PipeThreads}, as {@code FileKind} tells them apart.
 */
package dev.eventual.io.file;
