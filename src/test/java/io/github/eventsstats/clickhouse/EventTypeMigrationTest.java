package io.github.eventsstats.clickhouse;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * V006-V009 on a database of their own that holds the V001-V005 schema with rows, as an older
 * service left it: every file runs twice, as when a start-up dies after a file's statements but
 * before it is recorded.
 */
@QuarkusTest
class EventTypeMigrationTest extends MigrationTestBase {

    private static final List<String> OLD = List.of("V001__events.sql", "V002__pr_metrics_agg.sql",
            "V004__backfill_ledger.sql", "V005__pr_metrics_agg_unpartitioned.sql");
    private static final List<String> NEW = List.of("V006__events_any_type.sql", "V007__events_swap_out.sql",
            "V008__events_swap_in.sql", "V009__push_events.sql");

    @Test
    void theOldRowsAndViewsSurviveTheNewTableAndAnyTypeCanBeStoredAfterwards() {
        OLD.forEach(db::run);
        db.query("""
                INSERT INTO {db:Identifier}.events (event_id, event_type, repo_id, repo_name, actor_id, actor_login, action, created_at)
                VALUES (11, 'PullRequestEvent', 1, 'o/r', 5, 'ann', 'opened', '2025-06-01 10:00:00'),
                       (12, 'WatchEvent', 1, 'o/r', 6, 'bob', 'started', '2025-06-01 10:05:00'),
                       (3, 'IssuesEvent', 2, 'o/s', 5, 'ann', 'closed', '2025-06-01 11:00:00')""");
        List<String> before = db.rows("SELECT toString(tuple(*)) FROM {db:Identifier}.events ORDER BY event_id");

        for (String file : NEW) {
            db.run(file);
            db.run(file);
        }

        assertEquals(List.of("LowCardinality(String)"), db.rows("SELECT type FROM system.columns"
                + " WHERE database = {db:String} AND table = 'events' AND name = 'event_type'"));
        assertEquals(before, db.rows("SELECT toString(tuple(event_id, event_type, repo_id, repo_name, actor_id, actor_login,"
                + " action, created_at, ingested_at)) FROM {db:Identifier}.events ORDER BY event_id"), "every row once, as it was");
        assertEquals(List.of("events", "pr_metrics_agg", "pr_metrics_mv", "push_events", "push_events_mv", "backfill_ledger",
                                "events_hour_writes", "events_hour_writes_mv")
                        .stream().sorted().toList(),
                db.rows("SELECT name FROM system.tables WHERE database = {db:String} ORDER BY name"), "the old table is gone");
        assertTrue(db.rows("SELECT create_table_query FROM system.tables WHERE database = {db:String} AND name = 'events'")
                .getFirst().contains("PROJECTION by_time"));

        db.query("""
                INSERT INTO {db:Identifier}.events (event_id, event_type, repo_id, repo_name, actor_id, actor_login, action,
                                                    created_at, push_id, ref, head, before)
                VALUES (20, 'PullRequestEvent', 1, 'o/r', 5, 'ann', 'opened', '2025-06-01 12:00:00', 0, '', '', ''),
                       (21, 'PushEvent', 1, 'o/r', 5, 'ann', '', '2025-06-01 12:01:00', 901, 'refs/heads/main', 'a1', 'b2'),
                       (22, 'SponsorshipEvent', 1, 'o/r', 5, 'ann', 'created', '2025-06-01 12:02:00', 0, '', '', '')""");
        assertEquals(List.of("2"), db.rows("SELECT toString(uniqExactMerge(opened_count)) FROM {db:Identifier}.pr_metrics_agg"
                + " WHERE repo_name = 'o/r'"), "pr_metrics_mv reads the new table: the opened PR before and the one after");
        assertEquals(List.of("901 o/r refs/heads/main a1 b2"), db.rows("SELECT concat(toString(push_id), ' ', repo_name, ' ',"
                + " ref, ' ', head, ' ', before) FROM {db:Identifier}.push_events FINAL"));
        assertEquals(List.of("IssuesEvent", "PullRequestEvent", "PushEvent", "SponsorshipEvent", "WatchEvent"),
                db.rows("SELECT DISTINCT event_type FROM {db:Identifier}.events ORDER BY event_type"));
    }

    @Test
    void theHourlyRollupsViewAppliedBeforeTheSwapReadsTheNewTableAfterIt() {
        OLD.forEach(db::run);
        db.run("V016__events_hour_writes.sql"); // a database on which the rollup came before these files
        db.query("""
                INSERT INTO {db:Identifier}.events (event_id, event_type, repo_id, repo_name, actor_id, actor_login, action, created_at)
                VALUES (11, 'WatchEvent', 1, 'o/r', 5, 'ann', 'started', '2025-06-01 10:00:00')""");
        for (String file : NEW) {
            db.run(file);
            db.run(file);
        }
        long before = Long.parseLong(db.rows("SELECT toString(sum(rows)) FROM {db:Identifier}.events_hour_writes"
                + " WHERE hour = '2025-06-01 10:00:00'").getFirst());

        db.query("""
                INSERT INTO {db:Identifier}.events (event_id, event_type, repo_id, repo_name, actor_id, actor_login, action, created_at)
                VALUES (12, 'WatchEvent', 1, 'o/r', 6, 'bob', 'started', '2025-06-01 10:30:00')""");

        assertEquals(List.of(String.valueOf(before + 1)), db.rows("SELECT toString(sum(rows)) FROM {db:Identifier}.events_hour_writes"
                + " WHERE hour = '2025-06-01 10:00:00'"), "a row written after the swap reaches the rollup's write counts");
    }
}
