package dev.eventual.examples;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The site {@link LinkChecker} crawls: a real HTTP server on localhost (a {@link LoopbackServer})
 * with {@value #PAGES} pages.
 *
 * <p>Page {@code /page/N} links to pages {@code 2N+1} and {@code 2N+2} (those below
 * {@value #PAGES}), so a crawl from page 0 finds them all, and every 25th page also links to
 * {@code /gone/N}, which answers {@code 404}. Its faults, each on the first request for the page
 * only: pages {@code 7, 27, 47, ...} answer {@code 503}, and page 42 answers after
 * {@code slowMillis}. Every answer takes {@code latencyMillis}. It counts the requests it
 * received and the most it was handling at once.
 */
public final class LinkSite implements AutoCloseable {
    /** How many pages the site has. */
    public static final int PAGES = 200;
    private static final Pattern PATH = Pattern.compile("/(page|gone)/(\\d{1,3})");

    private final long latencyMillis;
    private final long slowMillis;
    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger mostInFlight = new AtomicInteger();
    private volatile IntConsumer onRequest = n -> { };
    private final LoopbackServer server;

    private LinkSite(long latencyMillis, long slowMillis) {
        this.latencyMillis = latencyMillis;
        this.slowMillis = slowMillis;
        server = LoopbackServer.start("the link site", this::answer); // last: answer reads the fields above
    }

    /**
     * Starts the site on a free port of the loopback interface.
     *
     * @param latencyMillis how long every answer takes
     * @param slowMillis how long page 42 takes to answer the first time
     * @return the running site
     * @throws UncheckedIOException if no port can be bound
     */
    public static LinkSite start(long latencyMillis, long slowMillis) {
        return new LinkSite(latencyMillis, slowMillis);
    }

    /** Returns the URL of page 0, where a crawl starts. */
    public String home() {
        return server.url("/page/0");
    }

    /** Returns how many requests the site has received. */
    public int requests() {
        return requests.get();
    }

    /**
     * Sets what is told the number of each request as it arrives (1 for the first), on the
     * server's thread for that request, before it is answered.
     *
     * @param listener receives the request's number
     */
    public void onRequest(IntConsumer listener) {
        this.onRequest = listener;
    }

    /** Returns how many requests the site is handling now. */
    public int inFlight() {
        return inFlight.get();
    }

    /** Returns the most requests the site was handling at once. */
    public int mostInFlight() {
        return mostInFlight.get();
    }

    private void answer(HttpExchange exchange) throws IOException {
        int number = requests.incrementAndGet();
        onRequest.accept(number);
        mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        try {
            String path = exchange.getRequestURI().getPath();
            Matcher m = PATH.matcher(path);
            int n = m.matches() ? Integer.parseInt(m.group(2)) : -1;
            boolean page = m.matches() && m.group(1).equals("page") && n < PAGES;
            boolean first = seen.add(path);
            sleep(page && n == 42 && first ? slowMillis : latencyMillis);
            if (page && n % 20 == 7 && first) {
                send(exchange, 503, "try again");
            } else if (page) {
                send(exchange, 200, html(n));
            } else {
                send(exchange, 404, "no such page");
            }
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private static String html(int n) {
        StringBuilder s = new StringBuilder("<html><body><h1>Page ").append(n).append("</h1>\n");
        for (int child = 2 * n + 1; child <= 2 * n + 2 && child < PAGES; child++) {
            s.append("<a href=\"/page/").append(child).append("\">page ").append(child).append("</a>\n");
        }
        if (n % 25 == 0) {
            s.append("<a href=\"/gone/").append(n).append("\">an old page</a>\n");
        }
        return s.append("</body></html>\n").toString();
    }

    private static void send(HttpExchange exchange, int status, String text) {
        try {
            LoopbackServer.reply(exchange, status, "text/html", text);
        } catch (IOException gone) {
            // The client gave up (its timeout or an abort) while this answer was on its way.
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the site at once. */
    @Override
    public void close() {
        server.close();
    }
}
