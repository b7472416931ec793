package io.github.eventsstats.watch;

import io.github.eventsstats.github.FakeGitHub;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Any repository on demand: asking about one whose history is not loaded answers at once from
 * what is stored, queues it, and the next answer after its load is exact; the queue is bounded,
 * unavailable repositories get their state, and one nobody asks about stops being refreshed.
 */
@QuarkusTest
@TestProfile(WatchTestProfile.class)
class OnDemandTest extends WatchTestBase {

    private static Map<?, ?> history(Map<String, Object> answer) {
        return (Map<?, ?>) answer.get("history");
    }

    private void tickUntilLoaded(String repository, int ticks) {
        for (int i = 0; i < ticks && !list.get(repository).map(WatchedRepository::historyLoaded).orElse(false); i++) {
            watch.tick();
            clock.advance(Duration.ofMinutes(1));
        }
        assertTrue(list.get(repository).orElseThrow().historyLoaded(), "loaded within " + ticks + " ticks");
    }

    private Map<String, Object> watchState(String repository) throws IOException {
        Map<String, Object> all = LifecycleTest.get("/watch");
        for (Object r : (List<?>) all.get("repositories")) {
            Map<String, Object> m = (Map<String, Object>) r;
            if (repository.equals(m.get("repository"))) {
                return m;
            }
        }
        return null;
    }

    @Test
    void anUnknownRepositoryIsQueuedAnsweredAtOnceAndExactAfterItsLoad() throws IOException {
        GeneratedHistory h = new GeneratedHistory(unique("od-org"), 150, 40, 100, clock.instant(), 41);
        h.serve(fake);
        int asked = fake.requests().size();
        Map<String, Object> first = LifecycleTest.get("/metrics/pull-requests/" + h.name);
        assertEquals(asked, fake.requests().size(), "answered at once, without asking GitHub");
        assertEquals(false, first.get("complete"));
        assertEquals("queued", history(first).get("state"));
        assertEquals(clock.instant().toString(), history(first).get("queued_at"));
        assertEquals("queued", history(LifecycleTest.get("/metrics/pr-average/" + h.name)).get("state"));

        tickUntilLoaded(h.name, 10);
        Map<String, Object> prs = LifecycleTest.get("/metrics/pull-requests/" + h.name);
        assertEquals(true, prs.get("complete"));
        assertEquals("loaded", history(prs).get("state"));
        LifecycleTest.assertFields(LifecycleOracle.pullRequests(h, Instant.parse((String) prs.get("from")),
                Instant.parse((String) prs.get("to")), false), prs);
        Map<String, Object> issues = LifecycleTest.get("/metrics/issues/" + h.name);
        LifecycleTest.assertFields(LifecycleOracle.issues(h, Instant.parse((String) issues.get("from")),
                Instant.parse((String) issues.get("to")), false), issues);
        Map<String, Object> avg = LifecycleTest.get("/metrics/pr-average/" + h.name);
        assertEquals(true, avg.get("complete"));
        assertEquals(150L, LifecycleTest.normal(avg.get("pr_count")));
        Map<String, Object> state = watchState(h.name);
        assertEquals(true, state.get("on_demand"));
        assertEquals("on_demand", state.get("source"));

        // An admin watching it makes it a watched repository.
        given().header("Authorization", "Bearer " + WatchTestProfile.ADMIN).put("/watch/" + h.name)
                .then().statusCode(201);
        assertEquals(false, watchState(h.name).get("on_demand"));
    }

    @Test
    void theQueueIsBoundedAndUnavailableRepositoriesAreNotAskedAgainWithinTheRetry() throws IOException {
        fake.route("/repos/ghost-od/", r -> FakeGitHub.status(404, "{\"message\":\"Not Found\"}"));
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            names.add("ghost-od/r" + i + "-" + System.nanoTime());
        }
        List<Object> states = new ArrayList<>();
        for (String n : names) {
            states.add(history(LifecycleTest.get("/metrics/issues/" + n)).get("state"));
        }
        assertEquals(List.of("queued", "queued", "queued", "queued", "not_queued", "not_queued"), states,
                "ON_DEMAND_MAX_QUEUED is 4 here");
        watch.tick();
        assertEquals(4, requestsTo("/repos/ghost-od/").size(), "one request each, those queued only");
        assertEquals("not_found", history(LifecycleTest.get("/metrics/issues/" + names.getFirst())).get("state"));
        for (int i = 0; i < 30; i++) {
            clock.advance(Duration.ofMinutes(1));
            watch.tick();
        }
        assertEquals(4, requestsTo("/repos/ghost-od/").size(), "not asked again within WATCH_UNAVAILABLE_RETRY");
        assertEquals("queued", history(LifecycleTest.get("/metrics/issues/" + names.getLast())).get("state"),
                "the queue has room again: the four are no longer waiting");
    }

    @Test
    void aRepositoryNobodyAsksAboutForTheIdleTimeIsNoLongerRefreshedUntilAskedAgain() throws IOException {
        GeneratedHistory h = new GeneratedHistory(unique("idle-org"), 20, 10, 60, clock.instant(), 43);
        h.serve(fake);
        LifecycleTest.get("/metrics/issues/" + h.name);
        tickUntilLoaded(h.name, 5);
        String lastSync = (String) history(LifecycleTest.get("/metrics/issues/" + h.name)).get("last_sync_at");

        clock.advance(Duration.ofDays(8)); // ON_DEMAND_IDLE is 7 days
        int before = requestsTo("/repos/" + h.name).size();
        watch.tick();
        assertEquals(before, requestsTo("/repos/" + h.name).size(), "not refreshed");
        Map<String, Object> stale = LifecycleTest.get("/metrics/issues/" + h.name);
        assertEquals(false, stale.get("complete"), "its data stays, no longer complete");
        assertEquals(lastSync, history(stale).get("last_sync_at"));

        watch.tick(); // asked again: refreshed
        assertTrue(requestsTo("/repos/" + h.name).size() > before);
        assertEquals(true, LifecycleTest.get("/metrics/issues/" + h.name).get("complete"));
    }
}
