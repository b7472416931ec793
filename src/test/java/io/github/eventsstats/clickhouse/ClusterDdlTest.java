package io.github.eventsstats.clickhouse;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClusterDdlTest {

    private final ClusterDdl ddl = new ClusterDdl("gh_cluster");

    static List<String> schemaStatements() {
        List<String> all = new ArrayList<>(SqlScript.load(SchemaMigrator.BOOTSTRAP).statements());
        SchemaMigrator.migrationFiles().forEach(f -> all.addAll(SqlScript.load(f).statements()));
        return all;
    }

    private String find(List<String> statements, String prefix) {
        return statements.stream().filter(s -> s.startsWith(prefix)).findFirst()
                .orElseThrow(() -> new AssertionError("no statement starts with " + prefix + " in " + statements));
    }

    @Test
    void eventsBecomeAReplicatedReplacingTableUnderADistributedOneShardedByRepository() {
        List<String> out = ddl.translateAll(SqlScript.load("V001__events.sql").statements());
        assertEquals(2, out.size());
        String local = find(out, "CREATE TABLE IF NOT EXISTS events_local ON CLUSTER `gh_cluster` (");
        assertTrue(local.contains("ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/events_local', '{replica}')"), local);
        assertTrue(local.contains("PROJECTION by_time"), "columns and projection kept");
        assertTrue(local.contains("ORDER BY (repo_name, event_type, action, created_at, event_id)"), local);
        assertTrue(local.contains("PARTITION BY toYYYYMM(created_at)"), local);
        String dist = find(out, "CREATE TABLE IF NOT EXISTS events ON CLUSTER");
        assertTrue(dist.endsWith("AS events_local\nENGINE = Distributed(`gh_cluster`, currentDatabase(), events_local, cityHash64(repo_name))"), dist);
    }

    @Test
    void theAggregateIsReplicatedAndItsViewWiresTheLocalTables() {
        List<String> out = ddl.translateAll(SqlScript.load("V002__pr_metrics_agg.sql").statements());
        assertTrue(find(out, "CREATE TABLE IF NOT EXISTS pr_metrics_agg_local ON CLUSTER")
                .contains("ENGINE = ReplicatedAggregatingMergeTree('/clickhouse/tables/{shard}/{database}/pr_metrics_agg_local', '{replica}')"));
        assertTrue(find(out, "CREATE TABLE IF NOT EXISTS pr_metrics_agg ON CLUSTER")
                .contains("Distributed(`gh_cluster`, currentDatabase(), pr_metrics_agg_local, cityHash64(repo_name))"));
        String mv = find(out, "CREATE MATERIALIZED VIEW IF NOT EXISTS pr_metrics_mv ON CLUSTER `gh_cluster` TO pr_metrics_agg_local AS");
        assertTrue(mv.contains("FROM events_local"), mv);
    }

    @Test
    void aPlainViewIsCreatedOnEveryNodeAndReadsTheDistributedTables() {
        List<String> out = ddl.translateAll(SqlScript.load("V032__lifecycle_facts.sql").statements());
        String view = find(out, "CREATE VIEW IF NOT EXISTS lifecycle_facts_source ON CLUSTER `gh_cluster` AS");
        assertTrue(view.contains("FROM lifecycle_items") && !view.contains("_local"), view);
        assertTrue(find(out, "CREATE TABLE IF NOT EXISTS lifecycle_facts ON CLUSTER")
                .contains("Distributed(`gh_cluster`, currentDatabase(), lifecycle_facts_local, cityHash64(repo_name))"));
    }

    @Test
    void everyStatementOfTheSchemaHasAClusterForm() {
        List<String> out = ddl.translateAll(schemaStatements());
        assertTrue(out.stream().allMatch(s -> s.contains("ON CLUSTER `gh_cluster`") || s.startsWith("INSERT INTO ")),
                "DDL runs on every node; inserts go through the Distributed tables");
        assertTrue(out.stream().noneMatch(s -> s.matches("(?s).*ENGINE = (MergeTree|ReplacingMergeTree|AggregatingMergeTree).*")),
                "no unreplicated engine left");
        assertTrue(find(out, "CREATE TABLE IF NOT EXISTS schema_migrations_local").contains("ReplicatedMergeTree("));
    }

    @Test
    void engineArgumentsFollowTheReplicationArguments() {
        List<String> out = ddl.translate("CREATE TABLE IF NOT EXISTS t (a UInt8, v UInt32) ENGINE = ReplacingMergeTree(v) ORDER BY a");
        assertTrue(out.getFirst().contains("ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/t_local', '{replica}', v) ORDER BY a"),
                out.getFirst());
        assertTrue(out.get(1).endsWith("t_local, rand())"), "unknown tables are spread evenly");
    }

    @Test
    void droppingATableDropsItsDistributedAndReplicatedPartsEverywhereAndAtOnce() {
        assertEquals(List.of("DROP TABLE IF EXISTS t ON CLUSTER `gh_cluster` SYNC",
                        "DROP TABLE IF EXISTS t_local ON CLUSTER `gh_cluster` SYNC"),
                ddl.translate("DROP TABLE IF EXISTS t"));
        assertEquals(List.of("DROP VIEW IF EXISTS v ON CLUSTER `gh_cluster` SYNC"), ddl.translate("DROP VIEW IF EXISTS v"));
    }

    @Test
    void theAggregateIsRebuiltThroughTheDistributedTables() {
        List<String> out = ddl.translateAll(SqlScript.load("V005__pr_metrics_agg_unpartitioned.sql").statements());
        String local = find(out, "CREATE TABLE IF NOT EXISTS pr_metrics_agg_local ON CLUSTER");
        assertTrue(!local.contains("PARTITION BY"), local);
        assertTrue(out.indexOf(find(out, "DROP TABLE IF EXISTS pr_metrics_agg_local")) < out.indexOf(local),
                "the replicated table is dropped before it is created again");
        String rebuild = find(out, "INSERT INTO pr_metrics_agg");
        assertTrue(rebuild.contains("FROM events\n"), "reads the Distributed events table: " + rebuild);
    }

    @Test
    void pullRequestsLiveOnTheirRepositorysShardAndFeedTheAggregateThere() {
        List<String> out = ddl.translateAll(SqlScript.load("V021__pull_requests.sql").statements());
        assertTrue(find(out, "CREATE TABLE IF NOT EXISTS pull_requests_local ON CLUSTER").contains(
                "ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/pull_requests_local',"
                        + " '{replica}', fetched_at)"));
        assertTrue(find(out, "CREATE TABLE IF NOT EXISTS pull_requests ON CLUSTER")
                .contains("pull_requests_local, cityHash64(repo_name))"), "the shard of the repository's events");
        String mv = find(out, "CREATE MATERIALIZED VIEW IF NOT EXISTS pr_metrics_pulls_mv ON CLUSTER");
        assertTrue(mv.contains("TO pr_metrics_agg_local AS") && mv.contains("FROM pull_requests_local"), mv);
    }

    @Test
    void viewsKeepTableFunctionsAndQualifiedNames() {
        String mv = ddl.translate("CREATE MATERIALIZED VIEW IF NOT EXISTS v TO t AS SELECT a FROM src"
                + " JOIN system.one ON 1 = 1 JOIN numbers(3) AS n ON 1 = 1").getFirst();
        assertTrue(mv.contains("TO t_local AS SELECT a FROM src_local JOIN system.one ON 1 = 1 JOIN numbers(3)"), mv);
    }

    @Test
    void aProjectionIsAddedToAndMaterializedInTheReplicatedTableEverywhere() {
        assertEquals(List.of("ALTER TABLE events_local ON CLUSTER `gh_cluster` ADD PROJECTION IF NOT EXISTS by_time_repo\n"
                        + "(\n    SELECT created_at, repo_name, event_id\n    ORDER BY created_at\n)",
                        "ALTER TABLE events_local ON CLUSTER `gh_cluster` MATERIALIZE PROJECTION by_time_repo"),
                ddl.translateAll(SqlScript.load("V029__events_by_time_repo.sql").statements()));
    }

    @Test
    void statementsWithoutATranslationAreRefused() {
        assertThrows(IllegalStateException.class, () -> ddl.translate("ALTER TABLE events ADD COLUMN x UInt8"));
        assertThrows(IllegalStateException.class, () -> ddl.translate("CREATE TABLE IF NOT EXISTS m (a UInt8) ENGINE = Memory"));
        assertThrows(IllegalArgumentException.class, () -> new ClusterDdl("x; DROP"));
    }
}
