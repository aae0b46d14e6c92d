package dev.eventual.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs each test method on a fresh {@link TestLoop}: put it on a test class (or a method, which
 * then overrides the class's), beside the usual {@code @Test}.
 *
 * <p>Each test's loop is made before the {@code @BeforeEach} methods, on the thread that runs the
 * test, and closed after the {@code @AfterEach} methods. The test's own code is the loop's
 * top-level code: it can call {@code setTimeout}, {@code Promise.delay}, {@code async(...)},
 * {@code retry}, ... directly. Test and lifecycle methods can declare parameters of type
 * {@link TestLoop}, {@link dev.eventual.EventLoop} and (virtual time) {@link VirtualClock}.
 * Time is virtual unless {@link #realTime()}.
 *
 * <p>JUnit test methods return void, so a test waits for a promise with
 * {@link TestLoop#await}, or {@code assertThat(promise).settlesWithin(...)}, or moves the virtual
 * clock. When the method returns, the extension runs what is due now (the microtasks the test
 * queued) and then fails the test, with a message that names the test, the loop's time and what
 * was found, on:
 * <ul>
 *   <li>an unhandled rejection on the loop (the reason is the failure's cause), unless
 *       {@link Expect#UNHANDLED_REJECTION};</li>
 *   <li>an exception thrown by a callback (timer, task, handler), unless
 *       {@link Expect#CALLBACK_ERROR};</li>
 *   <li>work left over: pending timers (unref'd ones aside), queued tasks, async bodies
 *       suspended in await, outside work in flight (I/O), unless {@link Expect#LEFTOVER_WORK}.</li>
 * </ul>
 * A real-time test's waits ({@code await}, {@code runUntilIdle}, {@code settlesWithin}) give up
 * after {@link #realTimeLimitMillis()} with what the loop was waiting for; on virtual time that
 * limit bounds the wait for outside work.
 *
 * <p>The test must run on the thread that ran its {@code @BeforeEach} callbacks: a test moved to
 * another thread (JUnit's {@code @Timeout} with {@code SEPARATE_THREAD}) fails with an
 * {@link IllegalStateException} that says so.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(EventualExtension.class)
public @interface EventualTest {

    /**
     * Whether the loop runs on the real clock instead of virtual time.
     *
     * @return true for real time
     */
    boolean realTime() default false;

    /**
     * What the test expects to leave behind, so that it does not fail the test.
     *
     * @return the expected problems
     */
    Expect[] expect() default {};

    /**
     * How long, in ms of real time, the loop's waits last before they fail (see
     * {@link TestLoop#realTimeLimit(java.time.Duration)}).
     *
     * @return the limit in ms
     */
    long realTimeLimitMillis() default 10_000;

    /** What a test may declare as expected. */
    enum Expect {
        /** Rejections reported unhandled on the loop. */
        UNHANDLED_REJECTION,
        /** Exceptions thrown by the loop's callbacks. */
        CALLBACK_ERROR,
        /** Timers, tasks, suspended async bodies or outside work left when the test returns. */
        LEFTOVER_WORK
    }
}
