package dev.eventual.tck;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.testng.ITestResult;
import org.testng.TestListenerAdapter;
import org.testng.TestNG;

/**
 * Runs the Reactive Streams TCK (TestNG) for {@link dev.eventual.Flows} from JUnit, so that
 * surefire needs no second provider: every rule the TCK checks must pass or be skipped by the
 * TCK itself (rules that do not apply, such as those for publishers that cannot fail).
 */
class FlowsTckTest {
    @Test
    void publisherPassesTheReactiveStreamsTck() {
        runTck(FlowsPublisherVerification.class, 20);
    }

    @Test
    void subscriberPassesTheReactiveStreamsTck() {
        runTck(FlowsSubscriberVerification.class, 10);
    }

    private static void runTck(Class<?> verification, int minPassed) {
        TestListenerAdapter listener = new TestListenerAdapter();
        TestNG testng = new TestNG(false);
        testng.setUseDefaultListeners(false);
        testng.setTestClasses(new Class<?>[] {verification});
        testng.addListener(listener);
        testng.run();
        List<String> failures = new ArrayList<>();
        for (ITestResult r : listener.getFailedTests()) {
            failures.add(r.getName() + ": " + r.getThrowable());
        }
        assertThat(failures).as("TCK rules that failed").isEmpty();
        assertThat(listener.getPassedTests()).as("TCK rules that passed").hasSizeGreaterThan(minPassed);
        System.out.println("TCK " + verification.getSimpleName() + ": passed " + listener.getPassedTests().size() + ", skipped "
                + listener.getSkippedTests().size() + ", failed " + listener.getFailedTests().size());
    }
}
