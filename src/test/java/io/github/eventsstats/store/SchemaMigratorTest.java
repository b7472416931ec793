package io.github.eventsstats.store;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

        clickHouse.query("ALTER TABLE schema_migrations DELETE WHERE version = 5 SETTINGS mutations_sync = 2", Map.of());
        assertEquals(1, migrator.migrate(), "V005 applied again: dropped, rebuilt from events");

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

    private List<String> prRows(String repo) {
        return clickHouse.query("""
                SELECT toString(uniqExactMerge(opened_count)) || ' ' || toString(min(first_opened_at))
                       || ' ' || toString(max(last_opened_at)) AS r
                FROM pr_metrics_agg WHERE repo_name = {repo:String}""", Map.of("repo", repo))
                .stream().map(r -> r.getString("r")).toList();
    }

    private void setChecksum(int version, String checksum) {
        clickHouse.query("ALTER TABLE schema_migrations UPDATE checksum = {c:String} WHERE version = {v:UInt32}"
                + " SETTINGS mutations_sync = 2", Map.of("c", checksum, "v", version));
    }
}
