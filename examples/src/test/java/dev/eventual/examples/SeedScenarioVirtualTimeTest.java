package dev.eventual.examples;

import static dev.eventual.Async.async;
import static dev.eventual.Async.await;
import static dev.eventual.testkit.EventualAssertions.assertThat;

import dev.eventual.Promise;
import dev.eventual.testkit.EventualTest;
import dev.eventual.testkit.VirtualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The scenario of {@link SeedDemo} (a program asks a server for data and keeps running; the data
 * arrives through an inline callback, a callback by reference, a promise chain, a promise used
 * through thenAccept, and an async body), tested with the testkit: the server is a fake whose
 * delays are virtual, so the test checks what arrives when, to the millisecond, in no real time.
 */
@EventualTest
class SeedScenarioVirtualTimeTest {
    private static final Pattern USERS = Pattern.compile("/users/(\\d+)");

    /** The fake's HTTP error, unchecked as Fetch's FetchException is. */
    static final class HttpError extends RuntimeException {
        HttpError(String message) {
            super(message);
        }
    }

    /**
     * The fake of LocalServer behind Fetch.getText: {@code /users/N} answers "data from /users/N"
     * after N x 300 ms, as the demo's server does; any other path fails at once with a 404.
     */
    static Promise<String> getText(String path) {
        Matcher users = USERS.matcher(path);
        if (!users.matches()) {
            return Promise.reject(new HttpError("GET " + path + ": HTTP 404 Not Found"));
        }
        return Promise.delay(Duration.ofMillis(300L * Integer.parseInt(users.group(1)))).then(v -> "data from " + path);
    }

    @Test
    void theProgramKeepsRunningAndEachAnswerArrivesAtItsServersDelay(VirtualClock clock) {
        List<String> log = new ArrayList<>();
        Consumer<String> say = line -> log.add(clock.nowMillis() + " ms  " + line);
        Consumer<String> doSomethingCool = result -> say.accept("do_something_cool got: " + result);

        getText("/users/1").thenAccept(result -> doSomethingCool.accept(result)); // inline
        say.accept("inline: request sent, the program keeps running");
        getText("/users/2").thenAccept(doSomethingCool); // by reference
        Promise<Void> chain = getText("/users/3")
                .then(String::toUpperCase)
                .thenAccept(doSomethingCool)
                .thenCompose(ignored -> getText("/missing/4"))
                .thenAccept(doSomethingCool);
        Promise<String> five = getText("/users/5");
        assertThat(five).isPending(); // the call returned at once: there is no data to use yet
        five.thenAccept(doSomethingCool);
        Promise<Void> body = async(() -> {
            doSomethingCool.accept(await(getText("/users/6")));
            try {
                await(getText("/missing/7"));
            } catch (HttpError notFound) {
                say.accept("async/await: the second request failed: " + notFound.getMessage());
            }
        });
        say.accept("main: done sending");

        assertThat(chain).settlesWithin(Duration.ofSeconds(1))
                .isRejectedWith(HttpError.class).withMessage("GET /missing/4: HTTP 404 Not Found");
        assertThat(clock.now()).isEqualTo(Duration.ofMillis(900));
        assertThat(body).settlesWithin(Duration.ofSeconds(2)).isFulfilled();
        assertThat(log).containsExactly(
                "0 ms  inline: request sent, the program keeps running",
                "0 ms  main: done sending",
                "300 ms  do_something_cool got: data from /users/1",
                "600 ms  do_something_cool got: data from /users/2",
                "900 ms  do_something_cool got: DATA FROM /USERS/3",
                "1500 ms  do_something_cool got: data from /users/5",
                "1800 ms  do_something_cool got: data from /users/6",
                "1800 ms  async/await: the second request failed: GET /missing/7: HTTP 404 Not Found");
    }
}
