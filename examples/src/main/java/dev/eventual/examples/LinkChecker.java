package dev.eventual.examples;

import dev.eventual.AbortSignal;
import dev.eventual.EventLoop;
import dev.eventual.Limiter;
import dev.eventual.Promise;
import dev.eventual.RetryPolicy;
import dev.eventual.Scope;
import dev.eventual.io.fetch.FetchClient;
import dev.eventual.io.fetch.FetchException;
import dev.eventual.io.fetch.Request;
import dev.eventual.io.fetch.Response;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The cookbook's link checker: crawls a site from its home page and checks every link, with at
 * most 8 requests in flight, a 1 s timeout per request, up to 3 retries with exponential backoff
 * for the failures that may pass, and one deadline that stops the whole crawl.
 *
 * <p>Each tool has one job. A {@link Scope} owns the crawl: every page check is forked in it, so
 * the report is written only once every check has settled, and the deadline (the signal given
 * to {@code Scope.run}) cancels all of them at once. A {@link Limiter} made with the scope's
 * signal keeps 8 requests in flight and drops the queued ones when the scope is cancelled, so
 * none of them reaches the server. {@link Promise#retry} wraps the limited request, so a page
 * waiting to try again does not hold a slot. The request's own timeout bounds each attempt.
 *
 * <p>All the crawl's state lives on the loop's thread (the callbacks run there), so it is plain
 * fields and collections: no locks.
 *
 * <p>Run it: {@code mvn -q -pl examples -am compile exec:exec -Ddemo.main=dev.eventual.examples.LinkChecker}
 */
public final class LinkChecker {
    private static final Pattern LINK = Pattern.compile("href=\"([^\"]+)\"");

    /**
     * How the crawl is limited.
     *
     * @param maxInFlight the most requests in flight at once
     * @param requestTimeout how long one request may wait for its response
     * @param retries how many times a failure that may pass is tried again
     * @param deadline when the whole crawl stops
     */
    public record Limits(int maxInFlight, Duration requestTimeout, int retries, Duration deadline) {
        /** 8 in flight, 1 s per request, 3 retries, 20 s in all. */
        public static final Limits DEFAULT = new Limits(8, Duration.ofSeconds(1), 3, Duration.ofSeconds(20));
    }

    /**
     * What a crawl found.
     *
     * @param pagesChecked pages fetched successfully
     * @param broken the broken links, sorted, each with the page that links to it and the reason
     * @param retries how many times a request was tried again
     * @param mostInFlight the most requests the limiter had in flight at once
     * @param stoppedBy why the crawl stopped early (the deadline's reason), or null if it finished
     */
    public record Report(int pagesChecked, List<String> broken, int retries, int mostInFlight, Throwable stoppedBy) {}

    private LinkChecker() {}

    /**
     * Crawls from {@code home}, on the current loop, and returns a promise of the report. It
     * fulfils, as a microtask of the loop, once every check has settled: normally, or after
     * {@code deadline} aborted the crawl (then {@link Report#stoppedBy()} is its reason).
     *
     * @param client the HTTP client
     * @param home the page to start from
     * @param limits the limits
     * @param deadline stops the whole crawl when it aborts
     * @return a promise of the report
     */
    public static Promise<Report> check(FetchClient client, URI home, Limits limits, AbortSignal deadline) {
        Crawl crawl = new Crawl(client, limits);
        return Scope.run(deadline, scope -> {
            crawl.start(scope, home);
            return Promise.resolve(null);
        }).then(done -> crawl.report(null), stoppedBy -> crawl.report(stoppedBy));
    }

    /** One crawl's state and steps; loop thread only. */
    private static final class Crawl {
        private final FetchClient client;
        private final Limits limits;
        private final RetryPolicy retry;
        private final Set<URI> seen = new HashSet<>();
        private final List<String> broken = new ArrayList<>();
        private int checked;
        private int retries;
        private int mostInFlight;
        private Scope scope;
        private Limiter limit;

        Crawl(FetchClient client, Limits limits) {
            this.client = client;
            this.limits = limits;
            this.retry = RetryPolicy.exponential(limits.retries() + 1, Duration.ofMillis(100))
                    .withRetryIf(e -> RetryPolicy.retriesByDefault(e) && e instanceof FetchException f && f.isTransient())
                    .withOnRetry((attempt, delay, reason) -> retries++);
        }

        void start(Scope scope, URI home) {
            this.scope = scope;
            this.limit = Limiter.of(limits.maxInFlight(), scope.signal());
            limit.onChange(() -> mostInFlight = Math.max(mostInFlight, limit.active()));
            visit(home, home);
        }

        /** Checks {@code url} once, then the links of the page it finds there. */
        private void visit(URI url, URI from) {
            if (!seen.add(url)) {
                return;
            }
            scope.fork(() -> Promise.retry(retry, scope.signal(), () -> limit.run(() -> get(url)))
                    .then(links -> {
                        checked++;
                        links.forEach(link -> visit(link, url));
                        return null;
                    }, failure -> {
                        if (!scope.signal().aborted()) { // stopped by the deadline: not a broken link
                            broken.add(url + " (linked from " + from.getPath() + "): " + failure.getMessage());
                        }
                        return null;
                    }));
        }

        /**
         * Fetches a page and returns its links; rejects with a FetchException on a status outside
         * 200-299 (requireOk) or a failed exchange.
         */
        private Promise<List<URI>> get(URI url) {
            Request request = Request.builder(url).timeout(limits.requestTimeout()).signal(scope.signal()).build();
            return client.fetch(request)
                    .thenCompose(Response::requireOk)
                    .thenCompose(Response::text)
                    .then(html -> links(url, html));
        }

        Report report(Throwable stoppedBy) {
            return new Report(checked, broken.stream().sorted().toList(), retries, mostInFlight, stoppedBy);
        }
    }

    private static List<URI> links(URI page, String html) {
        List<URI> links = new ArrayList<>();
        Matcher m = LINK.matcher(html);
        while (m.find()) {
            links.add(page.resolve(m.group(1)));
        }
        return links;
    }

    /**
     * Starts a {@link LinkSite}, checks it with the default limits, and prints the report.
     *
     * @param args unused
     */
    public static void main(String[] args) {
        try (LinkSite site = LinkSite.start(5, 1_200); FetchClient client = FetchClient.builder().build()) {
            EventLoop.run(() -> {
                long start = System.nanoTime();
                AbortSignal deadline = AbortSignal.timeout(Limits.DEFAULT.deadline());
                check(client, URI.create(site.home()), Limits.DEFAULT, deadline).thenAccept(report -> {
                    long ms = (System.nanoTime() - start) / 1_000_000;
                    System.out.println((report.stoppedBy() == null ? "checked " : "stopped (" + report.stoppedBy().getMessage()
                            + ") after checking ") + report.pagesChecked() + " pages in " + ms + " ms: "
                            + report.broken().size() + " broken links, " + report.retries() + " retries, at most "
                            + report.mostInFlight() + " requests in flight");
                    report.broken().forEach(link -> System.out.println("broken: " + link));
                });
            });
        }
    }
}
