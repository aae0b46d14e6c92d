package dev.eventual.testkit;

import dev.eventual.EventLoop;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The JUnit 5 extension behind {@link EventualTest}, which documents what it does; use the
 * annotation rather than this class.
 */
public final class EventualExtension implements BeforeEachCallback, AfterEachCallback, InvocationInterceptor,
        ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(EventualExtension.class);

    /** Made by JUnit. */
    public EventualExtension() {}

    private static EventualTest settings(ExtensionContext context) {
        Optional<EventualTest> onMethod = context.getTestMethod()
                .flatMap(m -> AnnotationSupport.findAnnotation(m, EventualTest.class));
        if (onMethod.isPresent()) {
            return onMethod.get();
        }
        for (Class<?> c = context.getRequiredTestClass(); c != null; c = c.getEnclosingClass()) {
            Optional<EventualTest> found = AnnotationSupport.findAnnotation((AnnotatedElement) c, EventualTest.class);
            if (found.isPresent()) {
                return found.get();
            }
        }
        throw new IllegalStateException("EventualExtension on " + context.getDisplayName()
                + " without @EventualTest: annotate the class or method with @EventualTest instead");
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        EventualTest settings = settings(context);
        TestLoop loop = settings.realTime() ? TestLoop.realTime() : TestLoop.virtualTime();
        loop.realTimeLimit(Duration.ofMillis(settings.realTimeLimitMillis()));
        context.getStore(NAMESPACE).put(TestLoop.class, loop);
    }

    private static TestLoop loop(ExtensionContext context) {
        return context.getStore(NAMESPACE).get(TestLoop.class, TestLoop.class);
    }

    @Override
    public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> invocationContext,
                                    ExtensionContext context) throws Throwable {
        TestLoop loop = loop(context);
        if (loop == null || TestLoop.current().orElse(null) != loop) {
            invocation.skip();
            throw new IllegalStateException("@EventualTest " + context.getDisplayName() + " runs on thread '"
                    + Thread.currentThread().getName() + "', not on the thread its test loop was made on (a"
                    + " @Timeout with SEPARATE_THREAD?); the loop is driven by the test's own thread");
        }
        try {
            invocation.proceed();
        } catch (Throwable failure) {
            // The test failed on its own; what the loop collected may say why
            loop.unhandledRejections().forEach(failure::addSuppressed);
            loop.callbackErrors().forEach(failure::addSuppressed);
            throw failure;
        }
        boolean closed = loop.eventLoop().isClosed(); // the test (or a callback) closed it: nothing is left
        if (!closed) {
            loop.runCurrent();
        }
        check(loop, settings(context), context.getDisplayName(), closed);
    }

    private static void check(TestLoop loop, EventualTest settings, String test, boolean closed) {
        List<EventualTest.Expect> expected = Arrays.asList(settings.expect());
        List<String> problems = new ArrayList<>();
        List<Throwable> causes = new ArrayList<>();
        if (!expected.contains(EventualTest.Expect.UNHANDLED_REJECTION)) {
            for (Throwable reason : loop.unhandledRejections()) {
                problems.add("unhandled promise rejection: " + reason);
                causes.add(reason);
            }
        }
        if (!expected.contains(EventualTest.Expect.CALLBACK_ERROR)) {
            for (Throwable error : loop.callbackErrors()) {
                problems.add("exception thrown by a callback: " + error);
                causes.add(error);
            }
        }
        if (!closed && !expected.contains(EventualTest.Expect.LEFTOVER_WORK)) {
            PendingWork work = loop.pendingWork();
            if (!work.isEmpty()) {
                problems.add("work left over: " + work + ". Run it to the end (clock.advanceBy, loop.await,"
                        + " runUntilIdle) or cancel it");
            }
        }
        if (problems.isEmpty()) {
            return;
        }
        StringBuilder message = new StringBuilder("@EventualTest ").append(test).append(" (its loop at ")
                .append(loop.now().toMillis()).append(" ms ").append(loop.isVirtualTime() ? "virtual" : "real")
                .append(" time) ended with:");
        for (String p : problems) {
            message.append(System.lineSeparator()).append("  - ").append(p);
        }
        message.append(System.lineSeparator()).append("  (if the test expects it: @EventualTest(expect = ...))");
        AssertionError failure = new AssertionError(message.toString(), causes.isEmpty() ? null : causes.get(0));
        for (int i = 1; i < causes.size(); i++) {
            failure.addSuppressed(causes.get(i));
        }
        throw failure;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        TestLoop loop = context.getStore(NAMESPACE).remove(TestLoop.class, TestLoop.class);
        if (loop != null) {
            loop.close();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Class<?> type = parameterContext.getParameter().getType();
        return type == TestLoop.class || type == EventLoop.class || type == VirtualClock.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        TestLoop loop = loop(extensionContext);
        Class<?> type = parameterContext.getParameter().getType();
        if (loop == null) {
            throw new ParameterResolutionException("@EventualTest gives a " + type.getSimpleName()
                    + " to test methods and @BeforeEach/@AfterEach methods only, not to "
                    + parameterContext.getDeclaringExecutable());
        }
        if (type == TestLoop.class) {
            return loop;
        }
        if (type == EventLoop.class) {
            return loop.eventLoop();
        }
        if (!loop.isVirtualTime()) {
            throw new ParameterResolutionException("@EventualTest(realTime = true) " + extensionContext.getDisplayName()
                    + " has no VirtualClock; drop realTime or the parameter");
        }
        return loop.clock();
    }
}
