package dev.eventual.soak;

import dev.eventual.EventLoop;
import dev.eventual.Promise;

/**
 * Issue 15.4's reproduction: a {@code thenCompose} recursion {@code depth} deep (1,000,000 by
 * default) in a heap too small for it, so the first OutOfMemoryError is raised inside the
 * library's bookkeeping of a handler ({@code Derived.react}), and more follow in the loop's
 * reports and shutdown. {@code EventLoop.run} must throw the first one. Prints what run threw;
 * which error that was shows in the exception log (compare its address with the first
 * OutOfMemoryError logged). Not part of {@code mvn verify}. Run:
 *
 * <pre>
 * mvn -B -q -pl stress -am package -DskipTests
 * java -Xmx32m -Xlog:exceptions=info:file=exceptions.log -cp stress/target/jcstress.jar \
 *     dev.eventual.soak.DeepComposeOutOfMemory 1000000
 * </pre>
 */
public final class DeepComposeOutOfMemory {
    private DeepComposeOutOfMemory() {}

    private static Promise<Integer> down(int n) {
        return n == 0 ? Promise.resolve(0) : Promise.resolve(n).thenCompose(v -> down(v - 1).then(x -> x + 1));
    }

    public static void main(String[] args) {
        int depth = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        Throwable thrown = null;
        try {
            EventLoop.run(() -> down(depth).thenAccept(v -> System.out.println("result " + v)));
        } catch (Throwable t) {
            thrown = t;
        }
        System.gc(); // the loop is gone: room to print
        if (thrown == null) {
            System.out.println("run returned normally");
        } else {
            System.out.println("run threw " + thrown + " (identity " + Integer.toHexString(System.identityHashCode(thrown))
                    + ", " + thrown.getStackTrace().length + " frames, " + thrown.getSuppressed().length + " suppressed)");
        }
    }
}
