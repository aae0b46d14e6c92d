package dev.eventual;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class TimelineTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The trace events of {@code timeline}, parsed back by Jackson (so the hand-written JSON is valid). */
    private static List<JsonNode> events(Timeline timeline) throws Exception {
        JsonNode root = JSON.readTree(timeline.toJson());
        List<JsonNode> events = new ArrayList<>();
        root.get("traceEvents").forEach(events::add);
        return events;
    }

    private static List<JsonNode> named(List<JsonNode> events, String ph, String name) {
        return events.stream().filter(e -> e.get("ph").asText().equals(ph) && e.get("name").asText().equals(name)).toList();
    }

    private static JsonNode one(List<JsonNode> events, Predicate<JsonNode> which, String what) {
        List<JsonNode> found = events.stream().filter(which).toList();
        assertThat(found).as(what + " in " + events).hasSize(1);
        return found.get(0);
    }

    /** thread_name metadata: tid -> lane label, per pid. */
    private static Map<String, String> laneNames(List<JsonNode> events) {
        Map<String, String> names = new HashMap<>();
        for (JsonNode e : events) {
            if (e.get("ph").asText().equals("M") && e.get("name").asText().equals("thread_name")) {
                names.put(e.get("pid").asInt() + "/" + e.get("tid").asInt(), e.get("args").get("name").asText());
            }
        }
        return names;
    }

    private static String lane(Map<String, String> names, JsonNode event) {
        return names.get(event.get("pid").asInt() + "/" + event.get("tid").asInt());
    }

    private static double ts(JsonNode e) {
        return e.get("ts").asDouble();
    }

    /** The "X" slice on the lane of {@code event} that encloses its time. */
    private static JsonNode enclosing(List<JsonNode> events, JsonNode event) {
        return one(events, e -> e.get("ph").asText().equals("X") && e.get("tid").equals(event.get("tid"))
                && e.get("pid").equals(event.get("pid")) && !e.get("name").asText().equals("microtask checkpoint")
                && ts(e) <= ts(event) && ts(event) <= ts(e) + e.get("dur").asDouble(), "the slice around " + event);
    }

    /** The flow pair ("s" then "f") with {@code cat} whose "f" is on the lane of {@code target} at {@code at}. */
    private static JsonNode[] flowInto(List<JsonNode> events, String cat, JsonNode target, double at) {
        JsonNode f = one(events, e -> e.get("ph").asText().equals("f") && e.get("cat").asText().equals(cat)
                && e.get("tid").equals(target.get("tid")) && Math.abs(ts(e) - at) < 0.002, cat + " flow end at " + at);
        JsonNode s = one(events, e -> e.get("ph").asText().equals("s") && e.get("id").equals(f.get("id"))
                && e.get("cat").asText().equals(cat), cat + " flow start of " + f);
        return new JsonNode[] {s, f};
    }

    @Nested
    class Recording {
        @Test
        void offByDefault_trackReturnsThePromiseAndRecordsNothing() {
            Timeline timeline = Timeline.create();
            EventLoop.run(() -> {
                Promise<String> p = EventLoop.current().resolved("x");
                assertThat(Timeline.track(p, "custom", "nothing")).isSameAs(p);
                EventLoop.current().setTimeout(() -> {}, 1);
            });
            assertThat(timeline.size()).isZero();
            assertThat(timeline.toJson()).contains("\"traceEvents\":[");
        }

        @Test
        void timers_setFireAndCancel_withTheCallbackThatSetThemAndTheTurnThatRan() throws Exception {
            Timeline timeline = Timeline.create();
            EventLoop.builder().record(timeline).run(() -> {
                EventLoop loop = EventLoop.current();
                loop.queueMicrotask(() -> {});
                loop.setTimeout(() -> {}, 5);
                loop.setTimeout(() -> {}, 50).cancel();
            });
            List<JsonNode> events = events(timeline);
            Map<String, String> lanes = laneNames(events);
            JsonNode main = one(events, e -> e.get("ph").asText().equals("X") && e.get("name").asText().equals("main program"),
                    "the main task");
            assertThat(lane(lanes, main)).isEqualTo("your program, on the loop thread 'main'");
            JsonNode checkpoint = one(named(events, "X", "microtask checkpoint"), e -> true, "main's checkpoint");
            assertThat(ts(checkpoint)).isBetween(ts(main), ts(main) + main.get("dur").asDouble());

            JsonNode set = one(named(events, "B", "setTimeout(5 ms)"), e -> true, "the 5 ms timer");
            assertThat(lane(lanes, set)).startsWith("timer");
            JsonNode[] cause = flowInto(events, "cause", set, ts(set));
            assertThat(enclosing(events, cause[0])).isEqualTo(main); // set by main

            JsonNode fired = one(events, e -> e.get("ph").asText().equals("E") && e.get("tid").equals(set.get("tid"))
                    && e.get("args").get("outcome").asText().equals("fired"), "the 5 ms timer's end");
            assertThat(ts(fired) - ts(set)).isGreaterThanOrEqualTo(4_000); // microseconds
            JsonNode timerTurn = one(named(events, "X", "timer fired"), e -> true, "the timer's turn");
            JsonNode[] result = flowInto(events, "result", timerTurn, ts(fired));
            assertThat(result[0].get("tid")).isEqualTo(set.get("tid"));
            assertThat(enclosing(events, result[1])).isEqualTo(timerTurn);

            JsonNode cancelledSet = one(named(events, "B", "setTimeout(50 ms)"), e -> true, "the cancelled timer");
            JsonNode cancelled = one(events, e -> e.get("ph").asText().equals("E") && e.get("tid").equals(cancelledSet.get("tid"))
                    && e.get("args").get("outcome").asText().equals("cancelled"), "the cancel");
            assertThat(ts(cancelled)).isLessThan(ts(main) + main.get("dur").asDouble()); // cancelled inside main
        }

        @Test
        void operation_fromStartToTheTurnThatReceivedItsResult_settledOnAnotherThread() throws Exception {
            Timeline timeline = Timeline.create();
            EventLoop.builder().record(timeline).run(() -> {
                Deferred<String> d = EventLoop.current().withResolvers();
                KeepAlive alive = EventLoop.current().keepAlive();
                Timeline.track(d.promise(), "database", "SELECT \"x\"").thenAccept(v -> alive.close());
                new Thread(() -> d.resolve("row")).start();
            });
            List<JsonNode> events = events(timeline);
            Map<String, String> lanes = laneNames(events);
            JsonNode begin = one(named(events, "B", "SELECT \"x\""), e -> true, "the operation");
            assertThat(lane(lanes, begin)).isEqualTo("database 1");
            assertThat(begin.get("args").get("kind").asText()).isEqualTo("database");
            JsonNode end = one(events, e -> e.get("ph").asText().equals("E") && e.get("tid").equals(begin.get("tid")), "its end");
            assertThat(end.get("args").get("outcome").asText()).isEqualTo("fulfilled");
            JsonNode received = one(named(events, "X", "result of SELECT \"x\""), e -> true, "the turn that received it");
            flowInto(events, "result", received, ts(end));
            JsonNode[] cause = flowInto(events, "cause", begin, ts(begin));
            assertThat(enclosing(events, cause[0]).get("name").asText()).isEqualTo("main program");
        }

        @Test
        void operationNobodyWaitsFor_fulfilledOnAnotherThread_endsWhenTheLoopCloses_sayingSo() throws Exception {
            Timeline timeline = Timeline.create();
            EventLoop.builder().record(timeline).run(() -> {
                Deferred<String> d = EventLoop.current().withResolvers();
                KeepAlive alive = EventLoop.current().keepAlive();
                Timeline.track(d.promise(), "custom", "unwatched"); // no handler: never dispatched on the loop
                new Thread(() -> {
                    d.resolve("done");
                    alive.close();
                }).start();
            });
            JsonNode end = one(events(timeline), e -> e.get("ph").asText().equals("E"), "the end");
            assertThat(end.get("args").get("outcome").asText()).isEqualTo("ended with no callback waiting for it (when, unseen)");
        }

        @Test
        void rejectedOperation_saysWhy() throws Exception {
            Timeline timeline = Timeline.create();
            EventLoop.builder().record(timeline).run(() -> {
                Promise<Object> failed = EventLoop.current().rejected(new IllegalStateException("no route"));
                Timeline.track(failed, "custom", "doomed").caught(e -> null);
            });
            JsonNode end = one(events(timeline), e -> e.get("ph").asText().equals("E"), "the end");
            assertThat(end.get("args").get("outcome").asText()).isEqualTo("rejected: IllegalStateException: no route");
        }

        @Test
        void asyncBody_startSuspendAtAwaitAndResume() throws Exception {
            Timeline timeline = Timeline.create();
            EventLoop.builder().record(timeline).run(() -> Async.async(() -> {
                Async.await(Promise.delay(java.time.Duration.ofMillis(5)));
                return null;
            }));
            List<JsonNode> events = events(timeline);
            Map<String, String> lanes = laneNames(events);
            JsonNode start = one(named(events, "X", "async body starts"), e -> true, "the body's first stretch");
            JsonNode wait = one(named(events, "X", "waiting at await"), e -> true, "the await");
            JsonNode resume = one(named(events, "X", "resumes after await"), e -> true, "the resumption");
            assertThat(lane(lanes, start)).startsWith("async body 1 (thread '").isEqualTo(lane(lanes, wait))
                    .isEqualTo(lane(lanes, resume));
            assertThat(ts(start)).isLessThanOrEqualTo(ts(wait));
            assertThat(ts(wait) + wait.get("dur").asDouble()).isLessThanOrEqualTo(ts(resume) + 0.001);
            assertThat(enclosing(events, flowInto(events, "cause", start, ts(start))[0]).get("name").asText())
                    .isEqualTo("main program");
            assertThat(ts(resume) - ts(start)).isGreaterThanOrEqualTo(4_000); // the 5 ms delay, in microseconds
        }

        @Test
        void startedLoop_startAndStopFromAnotherThread_recordsOnlyBetween() throws Exception {
            Timeline timeline = Timeline.create();
            EventLoop loop = EventLoop.start("worker");
            try {
                loop.submit(() -> "before").toCompletableFuture().get(10, TimeUnit.SECONDS);
                loop.startRecording(timeline);
                loop.submit(() -> "during").toCompletableFuture().get(10, TimeUnit.SECONDS);
                loop.stopRecording();
                CountDownLatch stopped = new CountDownLatch(1);
                loop.execute(stopped::countDown);
                assertThat(stopped.await(10, TimeUnit.SECONDS)).isTrue();
                int recorded = timeline.size();
                loop.submit(() -> "after").toCompletableFuture().get(10, TimeUnit.SECONDS);
                assertThat(timeline.size()).isEqualTo(recorded);
                // the task that started recording is not a turn of it; the submit and the stop are (a
                // reaction registered from this thread may be a turn too, when the submit ran first)
                assertThat(named(events(timeline), "X", "task")).hasSize(2);
                assertThat(laneNames(events(timeline))).containsValue("your program, on the loop thread 'worker'");
            } finally {
                loop.close();
            }
        }
    }

    @Nested
    class Bounds {
        @Test
        void cap_keepsTheFirstEvents_andSaysHowManyWereDropped() throws Exception {
            Timeline timeline = Timeline.create(5);
            EventLoop.builder().record(timeline).run(() -> {
                for (int i = 0; i < 20; i++) {
                    EventLoop.current().execute(() -> {});
                }
            });
            assertThat(timeline.size()).isEqualTo(5);
            assertThat(timeline.dropped()).isEqualTo(16); // main, then 20 tasks: 21 turns
            assertThat(timeline.toString()).isEqualTo("Timeline[5 events, 16 dropped, at most 5]");
            JsonNode root = JSON.readTree(timeline.toJson());
            assertThat(root.get("otherData").get("droppedEvents").asLong()).isEqualTo(16);
            assertThat(named(events(timeline), "i", "16 events dropped: the timeline keeps its first 5")).hasSize(1);
            assertThat(timeline.toHtml()).contains("\"dropped\":16");
        }

        @Test
        void capacity_belowOne_isRefusedWithTheValue() {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> Timeline.create(0))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("maxEvents must be >= 1: 0");
        }
    }

    @Nested
    class Writing {
        private static final String HOSTILE = "quote \" back\\slash\nnew line\ttab \u0001 </script><b>&amp; \u2028 caf\u00e9 \ud83d\ude00";

        private Timeline hostile() {
            Timeline timeline = Timeline.create();
            EventLoop.builder().record(timeline).run(() -> {
                Timeline.track(EventLoop.current().resolved(1), "custom", HOSTILE);
            });
            return timeline;
        }

        @Test
        void json_escapesEveryCharacter_andReadsBackTheSameText() throws Exception {
            JsonNode begin = one(events(hostile()), e -> e.get("ph").asText().equals("B"), "the operation");
            assertThat(begin.get("name").asText()).isEqualTo(HOSTILE);
        }

        @Test
        void html_isSelfContained_andItsDataCannotCloseTheScript() throws Exception {
            String html = hostile().toHtml();
            assertThat(Pattern.compile("(?i)(src|href)\\s*=\\s*[\"']?\\s*(https?:)?//").matcher(html).find()).isFalse();
            assertThat(html).doesNotContain("<link", "@import", "url(http");
            Matcher data = Pattern.compile("const DATA = (\\{.*?\\});\n", Pattern.DOTALL).matcher(html);
            assertThat(data.find()).as("the page's data").isTrue();
            assertThat(data.group(1)).doesNotContain("</", "<b>");
            JsonNode parsed = JSON.readTree(data.group(1));
            assertThat(parsed.get("spans").get(1).get("n").asText()).isEqualTo(HOSTILE);
            assertThat(html.indexOf("</script>")).isEqualTo(html.lastIndexOf("</script>"));
        }
    }
}
