package io.github.eventsstats.archive;

import io.github.eventsstats.clickhouse.ClickHouse;
import io.github.eventsstats.event.TypeSelection;
import io.github.eventsstats.platform.FakeClock;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code POST /admin/archive/sync}, {@code GET /admin/jobs} and {@code GET /admin/jobs/{id}}. */
@QuarkusTest
@TestProfile(SyncTestProfile.class)
class AdminSyncTest {

    private static final String BEARER = "Bearer " + SyncTestProfile.ADMIN_TOKEN;

    @Inject
    FakeClock clock;
    @Inject
    ClickHouse clickHouse;
    @Inject
    ArchiveSyncJob job;
    @Inject
    ArchiveSync sync;

    @BeforeEach
    void setUp() {
        clock.set(Instant.parse("2026-12-01T10:17:00Z"));
    }

    @Test
    void aSyncStartedOverHttpIsAJobWhoseProgressEndsWithTheHoursLoaded() throws Exception {
        Instant from = SyncHours.hours(3);
        SyncHours.Hour h = SyncHours.hour(from.plus(Duration.ofHours(1)), 200);
        FakeGhArchive.instance.put(h.name(), h.gz());
        FakeGhArchive.instance.hold(h.name());

        Response started = given().header("Authorization", BEARER)
                .queryParam("from", from.toString().substring(0, 13)).queryParam("to", from.plus(Duration.ofHours(3)).toString())
                .post("/admin/archive/sync");
        started.then().statusCode(202).header("Location", containsString("/admin/jobs/"))
                .body("kind", equalTo("archive-sync")).body("state", equalTo("running"));
        String id = started.path("id");

        await().atMost(1, TimeUnit.MINUTES).until(() -> !FakeGhArchive.instance.requests(h.name()).isEmpty());
        given().header("Authorization", BEARER).queryParam("from", "P1D").post("/admin/archive/sync")
                .then().statusCode(409).contentType("application/problem+json").body("detail", containsString(id));
        given().header("Authorization", BEARER).get("/admin/jobs/" + id).then().statusCode(200)
                .body("state", equalTo("running")).body("progress.hours", equalTo(3));
        FakeGhArchive.instance.release(h.name());

        await().atMost(1, TimeUnit.MINUTES).until(() -> !given().header("Authorization", BEARER).get("/admin/jobs/" + id)
                .path("state").equals("running"));
        given().header("Authorization", BEARER).get("/admin/jobs/" + id).then().statusCode(200)
                .body("state", equalTo("succeeded")).body("progress.loaded", equalTo(1))
                .body("progress.not_published_yet", equalTo(0)).body("progress.missing_at_source", equalTo(2))
                .body("progress.files_done", equalTo(3)).body("progress.eta_seconds", equalTo(0))
                .body("finished_at", equalTo("2026-12-01T10:17:00Z"));
        assertArrayEquals(new long[] {h.kept(), h.kept()}, SyncHours.stored(clickHouse, h));
    }

    @Test
    void scheduledRunsAreJobsListedWithTheOnesStartedOverHttpNewestFirst() throws Exception {
        // ARCHIVE_SYNC_FROM=P1D: the job's 24 hours are the last of these 48, the newest 4 held back by the fake's 404.
        clock.set(SyncHours.hours(48).plus(Duration.ofHours(47)).plus(Duration.ofMinutes(20)));
        Instant last = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.HOURS).minus(Duration.ofHours(1));
        SyncHours.Hour h = SyncHours.hour(last.minus(Duration.ofHours(4)), 100);
        FakeGhArchive.instance.put(h.name(), h.gz());
        FakeGhArchive.instance.hold(h.name());

        CompletableFuture<SyncProgress> scheduled = CompletableFuture.supplyAsync(job::runOnce);
        await().atMost(1, TimeUnit.MINUTES).until(() -> !FakeGhArchive.instance.requests(h.name()).isEmpty());
        Response listed = given().header("Authorization", BEARER).get("/admin/jobs");
        listed.then().statusCode(200).body("jobs[0].kind", equalTo("archive-sync"))
                .body("jobs[0].trigger", equalTo("schedule")).body("jobs[0].state", equalTo("running"))
                .body("jobs[0].progress.hours", equalTo(24));
        String id = listed.path("jobs[0].id");
        given().header("Authorization", BEARER).get("/admin/jobs/" + id).then().statusCode(200)
                .body("trigger", equalTo("schedule")).body("state", equalTo("running"));
        given().header("Authorization", BEARER).queryParam("from", "P1D").post("/admin/archive/sync")
                .then().statusCode(409).body("detail", containsString(id));
        FakeGhArchive.instance.release(h.name());
        scheduled.get(1, TimeUnit.MINUTES);

        given().header("Authorization", BEARER).get("/admin/jobs/" + id).then().statusCode(200)
                .body("state", equalTo("succeeded")).body("progress.loaded", equalTo(1))
                .body("progress.events_stored", equalTo(h.kept()));
        // Run again: nothing to load, only hours not published yet; listed while it runs, not kept.
        assertEquals(0, job.runOnce().loaded.get());
        Response api = given().header("Authorization", BEARER).queryParam("from", last.minus(Duration.ofHours(4)).toString().substring(0, 13))
                .queryParam("to", last.minus(Duration.ofHours(3)).toString()).post("/admin/archive/sync");
        api.then().statusCode(202);
        String apiId = api.path("id");
        await().atMost(1, TimeUnit.MINUTES).until(() -> !given().header("Authorization", BEARER)
                .get("/admin/jobs/" + apiId).path("state").equals("running"));
        given().header("Authorization", BEARER).get("/admin/jobs").then().statusCode(200)
                .body("jobs[0].id", equalTo(apiId)).body("jobs[0].trigger", equalTo("api"))
                .body("jobs[0].progress.already_loaded", equalTo(1))
                .body("jobs[1].id", equalTo(id)).body("jobs.size()", lessThanOrEqualTo(100));
        given().get("/admin/jobs").then().statusCode(401).contentType("application/problem+json");
    }

    @Test
    void aSyncOfEveryTypeStoresEachGeneratedEventOnceAndTypesAreChecked() throws Exception {
        Instant hour = SyncHours.hours(1);
        SyncHours.Hour h = SyncHours.hour(hour, 2000);
        FakeGhArchive.instance.put(h.name(), h.gz());
        given().header("Authorization", BEARER).queryParam("from", hour.toString().substring(0, 13))
                .queryParam("types", "PushEvnt").post("/admin/archive/sync").then().statusCode(400)
                .contentType("application/problem+json").body("parameter", equalTo("types"))
                .body("detail", containsString("unknown event type 'PushEvnt'"));
        given().header("Authorization", BEARER).queryParam("from", hour.toString().substring(0, 13))
                .queryParam("types", "*,PushEvent").post("/admin/archive/sync").then().statusCode(400)
                .body("parameter", equalTo("types"));
        assertTrue(FakeGhArchive.instance.requests(h.name()).isEmpty(), "nothing started");

        // First the default types; the hour is in the ledger then, but only for those.
        String narrow = finishedSync(hour, null);
        given().header("Authorization", BEARER).get("/admin/jobs/" + narrow).then().body("state", equalTo("succeeded"))
                .body("progress.loaded", equalTo(1)).body("progress.events_stored", equalTo((int) h.kept()));

        String id = finishedSync(hour, "*");

        given().header("Authorization", BEARER).get("/admin/jobs/" + id).then().body("state", equalTo("succeeded"))
                .body("progress.types", equalTo("*")).body("progress.loaded", equalTo(1))
                .body("progress.events_stored", equalTo(2000 - (int) h.kept()));
        assertTrue(h.byType().size() >= ArchiveGenerator.TYPES.length - 3, "the rare types aside, all there: " + h.byType());
        assertEquals(h.byType(), SyncHours.storedByType(clickHouse, h));
        assertArrayEquals(new long[] {2000, 2000}, SyncHours.stored(clickHouse, h));
    }

    /** Syncs one hour with these types (null: the configured ones) and waits for its job to end. */
    private String finishedSync(Instant hour, String types) {
        var request = given().header("Authorization", BEARER).queryParam("from", hour.toString().substring(0, 13))
                .queryParam("to", hour.plus(Duration.ofHours(1)).toString());
        if (types != null) {
            request = request.queryParam("types", types);
        }
        Response started = request.post("/admin/archive/sync");
        started.then().statusCode(202);
        String id = started.path("id");
        await().atMost(1, TimeUnit.MINUTES).until(() -> !given().header("Authorization", BEARER)
                .get("/admin/jobs/" + id).path("state").equals("running"));
        return id;
    }

    @Test
    void withoutTypesASyncStoresTheConfiguredOnesThePollersByDefault() {
        assertEquals(TypeSelection.DEFAULTS, sync.configuredTypes());
        assertEquals(TypeSelection.of("PushEvent"), ArchiveSync.types(Optional.empty(), Optional.of(List.of("PushEvent"))));
        assertEquals(TypeSelection.EVERY, ArchiveSync.types(Optional.of(List.of("*")), Optional.of(List.of("PushEvent"))));
        IllegalArgumentException bad = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> ArchiveSync.types(Optional.of(List.of("Nope")), Optional.empty()));
        assertTrue(bad.getMessage().startsWith("ARCHIVE_SYNC_EVENT_TYPES: unknown event type 'Nope'"), bad.getMessage());
    }

    @Test
    void theOpenApiDocumentHasTheJobListAndTheTypesParameterAsAdminOperations() {
        given().accept("application/json").get("/q/openapi").then().statusCode(200)
                .body("paths.'/admin/jobs'.get.security[0].'admin-token'.size()", equalTo(0))
                .body("paths.'/admin/jobs'.get.responses.'200'.description", equalTo("the jobs"))
                .body("paths.'/admin/archive/sync'.post.parameters.name", org.hamcrest.Matchers.hasItem("types"))
                .body("components.schemas.JobState.properties.trigger.enum", org.hamcrest.Matchers.hasItem("schedule"));
    }

    @Test
    void badHoursAreProblemsAndTheTokenIsRequired() {
        given().queryParam("from", "P1D").post("/admin/archive/sync").then().statusCode(401);
        given().header("Authorization", BEARER).post("/admin/archive/sync").then().statusCode(400)
                .contentType("application/problem+json").body("parameter", equalTo("from"));
        given().header("Authorization", BEARER).queryParam("from", "yesterday").post("/admin/archive/sync")
                .then().statusCode(400).body("parameter", equalTo("from"))
                .body("detail", containsString("2026-11-01T00"));
        given().header("Authorization", BEARER).queryParam("from", "2026-11-02T00").queryParam("to", "2026-11-01T00")
                .post("/admin/archive/sync").then().statusCode(400).body("parameter", equalTo("to"));
        given().header("Authorization", BEARER).get("/admin/jobs/no-such-job").then().statusCode(404)
                .contentType("application/problem+json");
        assertEquals(401, given().get("/admin/jobs/no-such-job").statusCode());
    }

    @Test
    void hoursOutsideWhatGhArchiveHasAreRefusedBeforeAnyJobStarts() {
        int before = given().header("Authorization", BEARER).get("/admin/jobs").path("jobs.size()");
        // Periods so long that the hour is out of Instant's range, one before GH Archive began, and too many hours.
        for (String from : List.of("P106751991167300D", "PT9223372036854775807S", "P999999999D", "2011-02-11T23")) {
            given().header("Authorization", BEARER).queryParam("from", from).post("/admin/archive/sync")
                    .then().statusCode(400).contentType("application/problem+json").body("parameter", equalTo("from"));
        }
        given().header("Authorization", BEARER).queryParam("from", "P999999999D").post("/admin/archive/sync")
                .then().body("detail", containsString("before GH Archive's first hour, 2011-02-12T00:00:00Z"));
        given().header("Authorization", BEARER).queryParam("from", "2011-02-12T00").queryParam("to", "2100-01-01T00")
                .post("/admin/archive/sync").then().statusCode(400).body("detail", containsString("at most 100000"));
        assertEquals(before, (int) given().header("Authorization", BEARER).get("/admin/jobs").path("jobs.size()"));
    }
}
