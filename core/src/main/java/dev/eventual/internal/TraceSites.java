package dev.eventual.internal;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Finds where user code made a registration: the first stack frame outside Eventual (see
 * {@link Traces}). Called only when async stack traces are on.
 *
 * <pre>
 * Whose frame it is ({@link #LIBRARY}, decided once per class):
 *   - java.*, javax.*, jdk.*, sun.*, com.sun.*: the JDK (a stream's forEach, a lambda form, the
 *     ClassValue that caches sites) is skipped, so a registration made through it is shown at the
 *     user's line that called it;
 *   - dev.eventual and dev.eventual.internal: Eventual's core, but only when loaded from the same
 *     place as this class (the core's jar or classes directory): the core's own tests, in the same
 *     packages, are user code;
 *   - dev.eventual.io and dev.eventual.testkit, and their subpackages: the other library modules,
 *     except a class whose top-level name looks like a test (Test*, *Test, *Tests, *TestCase, *IT);
 *   - any other package, dev.eventual.examples and the stress and bench packages included: user code.
 *
 * The cost. Walking the stack takes microseconds, a then() under a hundred nanoseconds. So for a
 * handler whose class is a lambda or method reference (a hidden class that is not Eventual's), the
 * frame is found once per class and kept ({@link #BY_LAMBDA}): each lambda expression has its own
 * class, and is nearly always registered where it is written. A lambda stored and registered from
 * several lines is shown at the first. Every other registration walks.
 * </pre>
 */
final class TraceSites {
    private TraceSites() {}

    private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);
    /** Marks "no frame cached for this class: walk every time" in {@link #BY_LAMBDA}. */
    private static final StackTraceElement WALK = new StackTraceElement("-", "-", null, -1);
    /** Marks "walked, and no frame outside Eventual" in {@link #BY_LAMBDA}. */
    private static final StackTraceElement NONE = new StackTraceElement("-", "none", null, -1);
    private static final AtomicLong WALKS = new AtomicLong();
    private static final String CORE = codeSource(TraceSites.class);

    /** Whether a class is Eventual's (see the overview). */
    private static final ClassValue<Boolean> LIBRARY = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            return isLibrary(type);
        }
    };

    /** A user lambda class's registration frame, or WALK for any other class. */
    private static final ClassValue<StackTraceElement> BY_LAMBDA = new ClassValue<>() {
        @Override
        protected StackTraceElement computeValue(Class<?> type) {
            if (!type.isHidden() || LIBRARY.get(type)) {
                return WALK;
            }
            StackTraceElement frame = walk();
            return frame == null ? NONE : frame;
        }
    };

    /** Test hook: how many times a stack was walked, over the JVM. */
    static long walksForTest() {
        return WALKS.get();
    }

    /** The frame of the registration being made now; {@code handler} (may be null) keys the cache. */
    static StackTraceElement capture(Object handler) {
        if (handler != null) {
            StackTraceElement cached = BY_LAMBDA.get(handler.getClass());
            if (cached != WALK) {
                return cached == NONE ? null : cached;
            }
        }
        return walk();
    }

    /** The first frame outside Eventual on the calling thread's stack, or null. */
    static StackTraceElement walk() {
        WALKS.incrementAndGet();
        return WALKER.walk(frames -> frames
                .filter(f -> !LIBRARY.get(f.getDeclaringClass()))
                .findFirst()
                .map(StackWalker.StackFrame::toStackTraceElement)
                .orElse(null));
    }

    static boolean isLibrary(Class<?> type) {
        String name = type.getName();
        if (name.startsWith("java.") || name.startsWith("javax.") || name.startsWith("jdk.")
                || name.startsWith("sun.") || name.startsWith("com.sun.")) {
            return true;
        }
        String pkg = type.getPackageName();
        if (pkg.equals("dev.eventual") || pkg.equals("dev.eventual.internal")) {
            return Objects.equals(codeSource(type), CORE);
        }
        if (within(pkg, "dev.eventual.io") || within(pkg, "dev.eventual.testkit")) {
            return !looksLikeTest(type);
        }
        return false;
    }

    private static boolean within(String pkg, String root) {
        return pkg.equals(root) || pkg.startsWith(root + ".");
    }

    /** Whether the top-level class's simple name follows a test naming convention. */
    static boolean looksLikeTest(Class<?> type) {
        String name = type.getName();
        int dollar = name.indexOf('$');
        String top = dollar < 0 ? name : name.substring(0, dollar);
        String simple = top.substring(top.lastIndexOf('.') + 1);
        return simple.startsWith("Test") || simple.endsWith("Test") || simple.endsWith("Tests")
                || simple.endsWith("TestCase") || simple.endsWith("IT");
    }

    /** Where a class was loaded from (compared as text: URL.equals may resolve host names), or null. */
    private static String codeSource(Class<?> type) {
        try {
            var domain = type.getProtectionDomain();
            var source = domain == null ? null : domain.getCodeSource();
            return source == null || source.getLocation() == null ? null : source.getLocation().toString();
        } catch (SecurityException e) {
            return null;
        }
    }
}
