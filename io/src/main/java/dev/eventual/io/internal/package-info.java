/**
 * What the io module's topics share, not exported: {@link dev.eventual.io.internal.PullQueue}
 * turns a push stream (the lines of a file or a program, the chunks of a response body) into an
 * {@link dev.eventual.AsyncIterator}, and {@link dev.eventual.io.internal.LineSplitter} splits
 * text into lines for files and programs alike.
 */
package dev.eventual.io.internal;
