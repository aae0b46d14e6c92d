package dev.eventual.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.eventual.AbortController;
import dev.eventual.AsyncTimeoutException;
import dev.eventual.EventLoop;
import dev.eventual.io.fetch.FetchClient;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Runs the link checker against its local site: the whole crawl, and a crawl the deadline stops. */
class LinkCheckerTest {

    @Test
    void main_checksAll200Pages_findsThe8BrokenLinks_retriesThe11FlakyAnswers_with8InFlightAtMost() {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            assertTimeoutPreemptively(Duration.ofSeconds(60), () -> LinkChecker.main(new String[0]),
                    "the link checker did not finish (its own deadline is 20 s)");
        } finally {
            System.setOut(original);
        }
        List<String> lines = captured.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSize(9);
        // 10 pages answer 503 once (7, 27, ..., 187) and page 42 times out once: 11 retries.
        assertThat(lines.get(0)).matches(
                "checked 200 pages in \\d+ ms: 8 broken links, 11 retries, at most 8 requests in flight");
        String site = lines.get(1).replaceAll("broken: (http://127\\.0\\.0\\.1:\\d+)/.*", "$1");
        assertThat(lines.subList(1, 9)).containsExactlyElementsOf(IntStream.range(0, 8).map(i -> i * 25)
                .mapToObj(n -> "broken: " + site + "/gone/" + n + " (linked from /page/" + n + "): GET " + site
                        + "/gone/" + n + ": HTTP 404 Not Found")
                .sorted().toList());
    }

    @Test
    void anAbortOfTheCrawlsSignal_stopsTheWholeCrawl_noQueuedRequestReachesTheSiteAfterIt_andTheCapHeld() {
        AtomicReference<LinkChecker.Report> report = new AtomicReference<>();
        AtomicInteger requestsAtAbort = new AtomicInteger(-1);
        AsyncTimeoutException reason = new AsyncTimeoutException("deadline");
        try (LinkSite site = LinkSite.start(20, 20); FetchClient client = FetchClient.builder().build()) {
            assertTimeoutPreemptively(Duration.ofSeconds(30), () -> EventLoop.run(() -> {
                // The deadline, at a point of the crawl rather than of the clock: the 20th request
                // aborts it, from the site's thread (abort is thread-safe), with 8 in flight.
                AbortController deadline = new AbortController();
                site.onRequest(n -> {
                    if (n == 20) {
                        deadline.abort(reason);
                    }
                });
                // Listeners run after the operations the signal stops: the crawl is cancelled by now.
                deadline.signal().addListener(() -> requestsAtAbort.set(site.requests()));
                LinkChecker.check(client, URI.create(site.home()), LinkChecker.Limits.DEFAULT, deadline.signal())
                        .thenAccept(report::set);
            }));
            // The requests in flight at the abort end within the site's 20 ms; one sent after the
            // abort would be in flight before they end, so it is counted by then. A request sent
            // just before the abort may reach the site after the listener counted: the exact
            // bound is the cap, since the 20th request was one of the (at most) 8 in flight at
            // the abort, at most 7 others can arrive after it.
            assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
                while (site.inFlight() > 0) {
                    Thread.onSpinWait();
                }
            });
            assertThat(report.get().stoppedBy()).isSameAs(reason);
            assertThat(report.get().pagesChecked()).isLessThan(LinkSite.PAGES);
            assertThat(report.get().broken()).as("a check stopped by the abort is not a broken link")
                    .allSatisfy(link -> assertThat(link).contains("/gone/").endsWith(": HTTP 404 Not Found"));
            assertThat(requestsAtAbort.get()).isGreaterThanOrEqualTo(20);
            assertThat(site.requests()).as("requests that reached the site after the 20th, which aborted the crawl")
                    .isBetween(20, 20 + 7);
            assertThat(site.requests() - requestsAtAbort.get())
                    .as("requests that reached the site after the abort's listener ran: sent before it, so in flight")
                    .isBetween(0, 7);
            assertThat(site.mostInFlight()).isLessThanOrEqualTo(8);
            assertThat(report.get().mostInFlight()).isEqualTo(8);
        }
    }
}
