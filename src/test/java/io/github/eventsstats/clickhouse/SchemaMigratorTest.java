package io.github.eventsstats.clickhouse;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class SchemaMigratorTest {

    @Inject
    SchemaMigrator migrator;
    @Inject
    ClickHouse clickHouse;

    private List<String> schema() {
        return clickHouse.query("""
                SELECT name || ' ' || engine || ' ' || create_table_query AS ddl FROM system.tables
                WHERE database = currentDatabase() ORDER BY name""", Map.of())
                .stream().map(r -> r.getString("ddl")).toList();
    }

    @Test
    void applyingTheSchemaAgainChangesNothing() {
        assertTrue(migrator.isApplied());
        List<String> before = schema();
        long recorded = clickHouse.query("SELECT count() AS c FROM schema_migrations", Map.of()).getFirst().getLong("c");

        assertEquals(0, migrator.migrate());
        assertEquals(0, migrator.migrate());

        assertEquals(before, schema());
        assertEquals(recorded, clickHouse.query("SELECT count() AS c FROM schema_migrations", Map.of()).getFirst().getLong("c"));
        assertEquals(SchemaMigrator.migrationFiles().size(), recorded);
    }

    @Test
    void theTablesAndViewsExpectedAreThoseTheSchemaFilesLeave() {
        // Other tests make tables of their own in this database, so the schema's are a part of what is there.
        List<String> present = clickHouse.query("SELECT name FROM system.tables WHERE database = currentDatabase()",
                Map.of()).stream().map(r -> r.getString("name")).sorted().toList();

        assertTrue(present.containsAll(SchemaMigrator.expectedObjects()), present.toString());
        assertFalse(SchemaMigrator.expectedObjects().contains("events_enum8"), "V009 dropped it");
        assertFalse(SchemaMigrator.expectedObjects().contains("events_next"), "V008 renamed it to events");
        assertTrue(SchemaMigrator.expectedObjects().containsAll(List.of("events", "pr_metrics_agg", "pr_metrics_mv",
                "repo_hourly_mv", "schema_migrations")));
        assertTrue(migrator.missingObjects().isEmpty());
    }

    @Test
    void aTableDroppedByHandTurnsReadinessDownAndStopsTheNextStart() {
        clickHouse.execute("RENAME TABLE archive_missing TO archive_missing_away");
        try {
            assertEquals(List.of("archive_missing"), migrator.missingObjects());
            given().get("/q/health/ready").then().statusCode(503)
                    .body("checks.find { it.name == 'clickhouse' }.data.missing_tables", equalTo("archive_missing"));
            SchemaMigrator.SchemaChangedException e = assertThrows(SchemaMigrator.SchemaChangedException.class,
                    migrator::migrate);
            assertTrue(e.getMessage().contains("lacks archive_missing, which schema_migrations records as created"),
                    e.getMessage());
        } finally {
            clickHouse.execute("RENAME TABLE archive_missing_away TO archive_missing");
        }
        given().get("/q/health/ready").then().statusCode(200);
        assertEquals(0, migrator.migrate());
    }

    @Test
    void aChangedAppliedFileIsRefused() {
        String real = clickHouse.query("SELECT checksum FROM schema_migrations WHERE version = 1", Map.of())
                .getFirst().getString("checksum");
        setChecksum(1, "0000000000000000000000000000000000000000000000000000000000000000");
        try {
            SchemaMigrator.SchemaChangedException e = assertThrows(SchemaMigrator.SchemaChangedException.class,
                    migrator::migrate);
            assertTrue(e.getMessage().contains("V001__events.sql changed after it was applied"), e.getMessage());
        } finally {
            setChecksum(1, real);
        }
        assertEquals(0, migrator.migrate());
    }

    @Test
    void rebuildingTheAggregateUnpartitionedKeepsEveryOpenedPrOnceAndTheViewFeedsItAfterwards() {
        String repo = "migration-test/r" + System.nanoTime(); // test data outlives a run
        long id = System.currentTimeMillis() * 1000;
        clickHouse.query("""
                INSERT INTO events (event_id, event_type, repo_id, repo_name, actor_id, actor_login, action, created_at)
                SELECT {id:UInt64} + number, 'PullRequestEvent', 1, {repo:String}, 1, 'a', 'opened',
                       toDateTime('2024-01-31 23:00:00', 'UTC') + number * 1800
                FROM numbers(4)""", Map.of("repo", repo, "id", id)); // two months, three hours
        List<String> before = prRows(repo);
        assertEquals(List.of("4 2024-01-31 23:00:00 2024-02-01 00:30:00"), before);

        try {
            reapply(5);
        } finally {
            reapply(21); // V021's views again (V005's count by event id), whatever the assertions say
        }

        assertEquals(before, prRows(repo));
        assertEquals("", clickHouse.query("SELECT partition_key FROM system.tables WHERE database = currentDatabase()"
                + " AND name = 'pr_metrics_agg'", Map.of()).getFirst().getString("partition_key"));
        clickHouse.query("""
                INSERT INTO events (event_id, event_type, repo_id, repo_name, actor_id, actor_login, action, created_at)
                VALUES ({id:UInt64}, 'PullRequestEvent', 1, {repo:String}, 1, 'a', 'opened', '2024-01-31 23:00:00'),
                       ({id:UInt64} + 9, 'PullRequestEvent', 1, {repo:String}, 1, 'a', 'opened', '2024-02-02 00:00:00')""",
                Map.of("repo", repo, "id", id));
        assertEquals(List.of("5 2024-01-31 23:00:00 2024-02-02 00:00:00"), prRows(repo),
                "the view is back; the re-delivered event counts once");
    }

    @Test
    void rebuildingTheAggregateByPrNumberCountsEachPrOnceWhereverItWasSeen() {
        String repo = "migration-test/n" + System.nanoTime();
        long id = System.currentTimeMillis() * 1000;
        // PR 7 as two events (a re-delivery under another id) and in the pulls list; PR 8 in the pulls
        // list only; two openings stored before V006 (number 0), told apart by their event ids.
        clickHouse.query("""
                INSERT INTO events (event_id, event_type, repo_id, repo_name, actor_id, actor_login, action, created_at, number)
                VALUES ({id:UInt64}, 'PullRequestEvent', 1, {repo:String}, 1, 'a', 'opened', '2024-03-01 10:00:00', 7),
                       ({id:UInt64} + 1, 'PullRequestEvent', 1, {repo:String}, 1, 'a', 'opened', '2024-03-01 10:00:00', 7),
                       ({id:UInt64} + 2, 'PullRequestEvent', 1, {repo:String}, 1, 'a', 'opened', '2024-02-01 09:00:00', 0),
                       ({id:UInt64} + 3, 'PullRequestEvent', 1, {repo:String}, 1, 'a', 'opened', '2024-02-01 09:30:00', 0)""",
                Map.of("repo", repo, "id", id));
        clickHouse.query("""
                INSERT INTO pull_requests (repo_name, number, created_at, state, fetched_at)
                VALUES ({repo:String}, 7, '2024-03-01 10:00:00', 'open', now64(3)),
                       ({repo:String}, 8, '2024-03-02 12:00:00', 'closed', now64(3))""", Map.of("repo", repo));
        List<String> expected = List.of("4 2024-02-01 09:00:00 2024-03-02 12:00:00");
        assertEquals(expected, prRows(repo), "both views feed it");

        reapply(21);
        assertEquals(expected, prRows(repo), "rebuilt from events and pull_requests");
        clickHouse.query("""
                INSERT INTO pull_requests (repo_name, number, created_at, state, fetched_at)
                VALUES ({repo:String}, 7, '2024-03-01 10:00:00', 'closed', now64(3))""", Map.of("repo", repo));
        assertEquals(expected, prRows(repo), "the views are back; a PR fetched again counts once");
    }

    private List<String> prRows(String repo) {
        return clickHouse.query("""
                SELECT toString(uniqExactMerge(opened_count)) || ' ' || toString(min(first_opened_at))
                       || ' ' || toString(max(last_opened_at)) AS r
                FROM pr_metrics_agg WHERE repo_name = {repo:String}""", Map.of("repo", repo))
                .stream().map(r -> r.getString("r")).toList();
    }

    /** Applies one file again, as a start-up that died before recording it would. */
    private void reapply(int version) {
        clickHouse.query("ALTER TABLE schema_migrations DELETE WHERE version = {v:UInt32} SETTINGS mutations_sync = 2",
                Map.of("v", version));
        assertEquals(1, migrator.migrate(), "V0" + version + " applied again");
    }

    private void setChecksum(int version, String checksum) {
        clickHouse.query("ALTER TABLE schema_migrations UPDATE checksum = {c:String} WHERE version = {v:UInt32}"
                + " SETTINGS mutations_sync = 2", Map.of("c", checksum, "v", version));
    }
}
