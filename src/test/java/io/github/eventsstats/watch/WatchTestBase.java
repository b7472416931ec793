package io.github.eventsstats.watch;

import io.github.eventsstats.clickhouse.ClickHouse;
import io.github.eventsstats.github.FakeGitHub;
import io.github.eventsstats.platform.FakeClock;
import io.github.eventsstats.poller.EventsPoller;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;

/**
 * What the watch tests share: a fake GitHub serving generated repositories, the embedded engine,
 * a fake clock, and a firehose that waits far away unless a test polls it; each test starts with
 * an empty watch list (but the configured repository).
 */
abstract class WatchTestBase {

    static final Path DIR = Path.of("target/watch-test");
    static long nextIds = System.currentTimeMillis() * 1_000_000L;

    @Inject
    WatchList list;
    @Inject
    WatchPoller watch;
    @Inject
    EventsPoller firehose;
    @Inject
    ClickHouse clickHouse;
    @Inject
    FakeClock clock;
    @Inject
    OnDemand onDemand;

    FakeGitHub fake;

    @BeforeEach
    void fresh() throws IOException {
        fake = FakeGitHub.instance;
        fake.useClock(clock, clock::advance);
        fake.reset();
        fake.clearRoutes();
        Files.createDirectories(DIR);
        // The firehose waits far away unless a test polls it.
        Files.writeString(DIR.resolve("client-state.json"), "{\"nextPollAt\":\"2100-01-01T00:00:00Z\"}");
        firehose.reload();
        Files.deleteIfExists(DIR.resolve("watched-repositories.json"));
        onDemand.forget(); // what an earlier test asked about is not this one's
        list.reload();
        // The configured repository answers 304 and stays out of each test's counts.
        fake.route("/repos/" + WatchTestProfile.CONFIGURED + "/", r -> FakeGitHub.notModified());
    }

    @AfterEach
    void routesOff() {
        fake.clearRoutes();
    }

    static String unique(String owner) {
        return owner + "/r" + System.nanoTime();
    }

    GeneratedRepo generated(String name, int prs) {
        long first = nextIds;
        nextIds += 1_000_000;
        return new GeneratedRepo(name, prs, clock.instant().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS),
                first, name.hashCode());
    }

    void serve(GeneratedRepo repo) {
        fake.route("/repos/" + repo.name + "/events", repo::events);
        fake.route("/repos/" + repo.name + "/pulls", repo::pulls);
        // No issues and no comments: the other history lists are one empty page each.
        fake.route("/repos/" + repo.name + "/issues", GeneratedRepo::none);
        fake.route("/repos/" + repo.name + "/pulls/comments", GeneratedRepo::none);
    }

    void watch(String repository) {
        given().header("Authorization", "Bearer " + WatchTestProfile.ADMIN).put("/watch/" + repository)
                .then().statusCode(201);
    }

    long rows(String repo) {
        return clickHouse.query("SELECT count() AS c FROM events WHERE repo_name = {r:String}", Map.of("r", repo))
                .getFirst().getLong("c");
    }

    long distinct(String repo) {
        return clickHouse.query("SELECT uniqExact(event_id) AS c FROM events WHERE repo_name = {r:String}",
                Map.of("r", repo)).getFirst().getLong("c");
    }

    List<FakeGitHub.Request> requestsTo(String path) {
        return fake.requests().stream().filter(r -> r.uri().startsWith(path)).toList();
    }
}
