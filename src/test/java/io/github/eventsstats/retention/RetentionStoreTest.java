package io.github.eventsstats.retention;

import io.github.eventsstats.clickhouse.ClusterDdl;
import io.github.eventsstats.retention.RetentionStore.CurrentTtl;
import io.github.eventsstats.retention.RetentionStore.Expiring;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The retention's statements: what reaches the SQL, how a TTL reads back, and their cluster form. */
class RetentionStoreTest {

    private static final Expiring EVENTS = RetentionStore.TABLES.getFirst();
    private static final Pattern NAME = Pattern.compile("[a-z_]+");

    @Test
    void valuesReachTheStatementsOnlyAsParametersBesideTheTablesOwnNames() {
        assertEquals("ALTER TABLE events MODIFY TTL toStartOfDay(created_at) + INTERVAL 1 DAY + toIntervalDay({days:UInt16})"
                + " SETTINGS materialize_ttl_after_modify = 0", RetentionStore.modifyTtl(EVENTS));
        assertEquals("ALTER TABLE events DELETE WHERE created_at < {before:DateTime('UTC')}", RetentionStore.deleteExpired(EVENTS));
        for (Expiring t : RetentionStore.TABLES) {
            // names are constants of the code, plain identifiers: the only text a statement is built from
            assertTrue(NAME.matcher(t.table()).matches() && NAME.matcher(t.time()).matches(), t.toString());
            for (String sql : List.of(RetentionStore.modifyTtl(t), RetentionStore.removeTtl(t), RetentionStore.deleteExpired(t),
                    RetentionStore.countExpired(t))) {
                String withoutParameters = sql.replaceAll("\\{[a-z_]+:[A-Za-z0-9()']+}", "?");
                assertTrue(withoutParameters.replace("INTERVAL 1 DAY", "").replace("= 0", "").replace("count()", "")
                        .chars().noneMatch(Character::isDigit), sql);
            }
        }
    }

    @Test
    void aTtlReadsBackAsTheDaysItKeeps() {
        String full = "ReplacingMergeTree PARTITION BY toYYYYMM(created_at) ORDER BY (repo_name, created_at) TTL"
                + " (toStartOfDay(created_at) + toIntervalDay(1)) + toIntervalDay(_CAST(30, 'UInt16')) SETTINGS index_granularity = 8192";
        assertEquals(new CurrentTtl.Days(30), RetentionStore.parseTtl(full, "created_at"));
        assertEquals(new CurrentTtl.Days(7), RetentionStore.parseTtl("MergeTree ORDER BY hour TTL (toStartOfDay(hour) +"
                + " toIntervalDay(1)) + toIntervalDay(7)", "hour"));
        assertEquals(new CurrentTtl.None(), RetentionStore.parseTtl("MergeTree ORDER BY hour SETTINGS index_granularity = 8192", "hour"));
        String someoneElses = "MergeTree ORDER BY hour TTL hour + toIntervalDay(7) SETTINGS index_granularity = 8192";
        assertEquals(new CurrentTtl.Other(someoneElses), RetentionStore.parseTtl(someoneElses, "hour"));
    }

    @Test
    void onAClusterEachStatementActsOnTheReplicatedTableEverywhere() {
        ClusterDdl ddl = new ClusterDdl("gh_cluster");
        assertEquals(List.of("ALTER TABLE events_local ON CLUSTER `gh_cluster` MODIFY TTL toStartOfDay(created_at) + INTERVAL 1 DAY"
                + " + toIntervalDay({days:UInt16}) SETTINGS materialize_ttl_after_modify = 0"), ddl.translate(RetentionStore.modifyTtl(EVENTS)));
        assertEquals(List.of("ALTER TABLE events_local ON CLUSTER `gh_cluster` REMOVE TTL"), ddl.translate(RetentionStore.removeTtl(EVENTS)));
        assertEquals(List.of("ALTER TABLE events_local ON CLUSTER `gh_cluster` DELETE WHERE created_at < {before:DateTime('UTC')}"),
                ddl.translate(RetentionStore.deleteExpired(EVENTS)));
    }
}
