package io.github.eventsstats.clickhouse;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the single-server statements of {@code clickhouse/} into their cluster form, so the
 * cluster schema comes from the same versioned files:
 * <ul>
 *   <li>{@code CREATE TABLE t (...) ENGINE = XMergeTree ...} becomes {@code t_local ON CLUSTER} with
 *       {@code ReplicatedXMergeTree} (one replica set per shard, via the {shard}/{replica} macros),
 *       plus {@code t ON CLUSTER AS t_local ENGINE = Distributed(...)}, which every query and insert
 *       uses;</li>
 *   <li>a materialized view is created on every node and wires the local tables, so each shard
 *       aggregates the events it stores;</li>
 *   <li>a plain view is created on every node as written: it reads the Distributed tables, so a
 *       read through it on any node sees every shard;</li>
 *   <li>{@code DROP TABLE} drops the Distributed table and the replicated one beneath it on every
 *       node, {@code SYNC} so that a table re-created under the same name finds its replication
 *       path free; {@code DROP VIEW} drops the view on every node;</li>
 *   <li>{@code INSERT ... SELECT} runs as written: it names the Distributed tables, which route
 *       rows to their shards;</li>
 *   <li>{@code RENAME TABLE IF EXISTS a TO b} renames the replicated table on every node and puts
 *       a Distributed table named b over it in place of a's (a Distributed table names its local
 *       table, so it cannot simply follow a rename);</li>
 *   <li>{@code ALTER TABLE t ADD PROJECTION IF NOT EXISTS} and {@code MATERIALIZE PROJECTION}, and
 *       the retention's {@code MODIFY TTL}, {@code REMOVE TTL} and {@code DELETE WHERE}, act on
 *       t_local on every node: projections, TTLs and rows belong to the parts of the replicated
 *       table (ClickHouse runs such an ALTER of a replicated table on one replica per shard).</li>
 * </ul>
 * Statements of another kind are refused: whoever adds one extends this translation on purpose.
 */
public final class ClusterDdl {

    /**
     * Sharding keys. A repository's events and its pr_metrics_agg rows live on one shard, so
     * per-repository reads touch one shard, and an event delivered twice (same repo) lands on the
     * shard that already holds it, where ReplacingMergeTree and the insert tokens can see both.
     */
    static final Map<String, String> SHARDING_KEYS = Map.ofEntries(
            Map.entry("events", "cityHash64(repo_name)"),
            Map.entry("events_next", "cityHash64(repo_name)"),
            Map.entry("events_enum8", "cityHash64(repo_name)"),
            Map.entry("push_events", "cityHash64(repo_name)"),
            Map.entry("pr_metrics_agg", "cityHash64(repo_name)"),
            // A PR from the pulls list meets its PullRequestEvents on their repository's shard.
            Map.entry("pull_requests", "cityHash64(repo_name)"),
            // A repository's lifecycle rows (V030) meet on one shard: per-repository reads touch one.
            Map.entry("lifecycle_items", "cityHash64(repo_name)"),
            Map.entry("lifecycle_comments", "cityHash64(repo_name)"),
            Map.entry("lifecycle_facts", "cityHash64(repo_name)"),
            // Repeated sightings of an event, and the versions of one hour's coverage or of one
            // repository's or rank's hour in the top-repos rollup (V023), meet on one shard, where
            // ReplacingMergeTree folds them (FINAL works per shard).
            Map.entry("event_sightings", "cityHash64(event_id)"),
            Map.entry("coverage_hourly", "cityHash64(hour)"),
            Map.entry("repo_hourly_detail", "cityHash64(repo_name)"),
            Map.entry("repo_hourly", "cityHash64(repo_name)"),
            Map.entry("repo_hour_top", "cityHash64(hour)"),
            Map.entry("repo_hours_sealed", "cityHash64(hour)"),
            // A profile's checks (a 304 copies the row) meet on one shard, where FINAL folds them.
            Map.entry("actor_profiles", "cityHash64(login)"),
            Map.entry("repo_profiles", "cityHash64(repo_name)"));
    static final String DEFAULT_SHARDING_KEY = "rand()";
    static final String LOCAL_SUFFIX = "_local";

    private static final Pattern CREATE_TABLE = Pattern.compile(
            "(?is)CREATE\\s+TABLE\\s+IF\\s+NOT\\s+EXISTS\\s+([A-Za-z_][A-Za-z0-9_]*)\\s*\\(");
    private static final Pattern ENGINE = Pattern.compile("(?is)\\s*ENGINE\\s*=\\s*([A-Za-z]*MergeTree)\\s*");
    private static final Pattern CREATE_MV = Pattern.compile(
            "(?is)CREATE\\s+MATERIALIZED\\s+VIEW\\s+IF\\s+NOT\\s+EXISTS\\s+([A-Za-z_][A-Za-z0-9_]*)\\s+TO\\s+"
                    + "([A-Za-z_][A-Za-z0-9_]*)\\s+AS\\s+(.*)");
    private static final Pattern CREATE_VIEW = Pattern.compile(
            "(?is)CREATE\\s+VIEW\\s+IF\\s+NOT\\s+EXISTS\\s+([A-Za-z_][A-Za-z0-9_]*)\\s+AS\\s+(.*)");
    private static final Pattern DROP = Pattern.compile(
            "(?is)DROP\\s+(TABLE|VIEW)\\s+IF\\s+EXISTS\\s+([A-Za-z_][A-Za-z0-9_]*)\\s*");
    private static final Pattern INSERT_SELECT =
            Pattern.compile("(?is)INSERT\\s+INTO\\s+[A-Za-z_][A-Za-z0-9_]*\\s*(\\([^()]*\\)\\s*)?SELECT\\b.*");
    private static final Pattern RENAME = Pattern.compile(
            "(?is)RENAME\\s+TABLE\\s+IF\\s+EXISTS\\s+([A-Za-z_][A-Za-z0-9_]*)\\s+TO\\s+([A-Za-z_][A-Za-z0-9_]*)\\s*");
    private static final Pattern ALTER_LOCAL = Pattern.compile(
            "(?is)ALTER\\s+TABLE\\s+([A-Za-z_][A-Za-z0-9_]*)\\s+((ADD\\s+PROJECTION\\s+IF\\s+NOT\\s+EXISTS|MATERIALIZE\\s+PROJECTION"
                    + "|MODIFY\\s+TTL|REMOVE\\s+TTL|DELETE\\s+WHERE)\\b.*)");
    /** An unqualified table after FROM/JOIN; not a table function, not a db.table name. */
    private static final Pattern TABLE_REF =
            Pattern.compile("(?i)\\b(FROM|JOIN)\\s+([A-Za-z_][A-Za-z0-9_]*)\\b(?!\\s*[.(])");

    private final String cluster;

    public ClusterDdl(String cluster) {
        if (!cluster.matches("[A-Za-z_][A-Za-z0-9_-]*")) {
            throw new IllegalArgumentException("CLICKHOUSE_CLUSTER '" + cluster + "' is not a plain cluster name");
        }
        this.cluster = cluster;
    }

    public String createDatabase(String database) {
        return "CREATE DATABASE IF NOT EXISTS `" + database + "` ON CLUSTER `" + cluster + "`";
    }

    /** The cluster statements for one statement of a schema file. */
    public List<String> translate(String statement) {
        Matcher table = CREATE_TABLE.matcher(statement);
        if (table.lookingAt()) {
            return createTable(statement, table);
        }
        Matcher mv = CREATE_MV.matcher(statement.strip());
        if (mv.matches()) {
            return List.of("CREATE MATERIALIZED VIEW IF NOT EXISTS " + mv.group(1) + " ON CLUSTER `" + cluster
                    + "` TO " + local(mv.group(2)) + " AS " + localRefs(mv.group(3)));
        }
        Matcher view = CREATE_VIEW.matcher(statement.strip());
        if (view.matches()) {
            return List.of("CREATE VIEW IF NOT EXISTS " + view.group(1) + " ON CLUSTER `" + cluster + "` AS " + view.group(2));
        }
        Matcher drop = DROP.matcher(statement.strip());
        if (drop.matches()) {
            String onCluster = " ON CLUSTER `" + cluster + "` SYNC";
            return drop.group(1).equalsIgnoreCase("VIEW")
                    ? List.of("DROP VIEW IF EXISTS " + drop.group(2) + onCluster)
                    : List.of("DROP TABLE IF EXISTS " + drop.group(2) + onCluster,
                            "DROP TABLE IF EXISTS " + local(drop.group(2)) + onCluster);
        }
        if (INSERT_SELECT.matcher(statement.strip()).matches()) {
            return List.of(statement.strip());
        }
        Matcher rename = RENAME.matcher(statement.strip());
        if (rename.matches()) {
            String from = rename.group(1);
            String to = rename.group(2);
            // Each step is a no-op when done already, so a re-run after a failure halfway is safe.
            return List.of("RENAME TABLE IF EXISTS " + local(from) + " TO " + local(to) + " ON CLUSTER `" + cluster + "`",
                    "DROP TABLE IF EXISTS " + from + " ON CLUSTER `" + cluster + "` SYNC",
                    distributed(to));
        }
        Matcher alter = ALTER_LOCAL.matcher(statement.strip());
        if (alter.matches()) {
            return List.of("ALTER TABLE " + local(alter.group(1)) + " ON CLUSTER `" + cluster + "` " + alter.group(2));
        }
        throw new IllegalStateException("no cluster translation for this statement (extend clickhouse/ClusterDdl): "
                + statement.lines().findFirst().orElse(statement));
    }

    private List<String> createTable(String statement, Matcher table) {
        String name = table.group(1);
        int open = table.end() - 1;
        int close = matchingParen(statement, open);
        String columns = statement.substring(open, close + 1);
        Matcher engine = ENGINE.matcher(statement);
        engine.region(close + 1, statement.length());
        if (!engine.lookingAt()) {
            throw new IllegalStateException("table " + name + ": only *MergeTree engines have a cluster translation");
        }
        int at = engine.end();
        String args = "";
        if (at < statement.length() && statement.charAt(at) == '(') {
            int end = matchingParen(statement, at);
            args = statement.substring(at + 1, end).strip();
            at = end + 1;
        }
        String rest = statement.substring(at);
        String localName = local(name);
        String replicated = "Replicated" + engine.group(1) + "('/clickhouse/tables/{shard}/{database}/" + localName
                + "', '{replica}'" + (args.isEmpty() ? "" : ", " + args) + ")";
        return List.of(
                "CREATE TABLE IF NOT EXISTS " + localName + " ON CLUSTER `" + cluster + "` " + columns
                        + "\nENGINE = " + replicated + rest,
                distributed(name));
    }

    /** The Distributed table {@code name} over {@code name_local} on every node. */
    private String distributed(String name) {
        String localName = local(name);
        return "CREATE TABLE IF NOT EXISTS " + name + " ON CLUSTER `" + cluster + "` AS " + localName
                + "\nENGINE = Distributed(`" + cluster + "`, currentDatabase(), " + localName + ", "
                + SHARDING_KEYS.getOrDefault(name, DEFAULT_SHARDING_KEY) + ")";
    }

    /** A view's SELECT reads local tables: the schema's tables are the only unqualified ones. */
    private static String localRefs(String select) {
        Matcher m = TABLE_REF.matcher(select);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(m.group(1) + " " + local(m.group(2))));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String local(String table) {
        return table + LOCAL_SUFFIX;
    }

    /** The table that holds the parts (and so the TTL and the mutations) of the schema's table {@code table}. */
    public static String partsTable(String table) {
        return local(table);
    }

    private static int matchingParen(String s, int open) {
        int depth = 0;
        for (int i = open; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\'') {
                i = s.indexOf('\'', i + 1);
                if (i < 0) {
                    break;
                }
            } else if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return i;
            }
        }
        throw new IllegalStateException("unbalanced parentheses in: " + s.lines().findFirst().orElse(s));
    }

    /** Every statement of the given scripts, in cluster form. */
    public List<String> translateAll(List<String> statements) {
        List<String> out = new ArrayList<>();
        statements.forEach(s -> out.addAll(translate(s)));
        return out;
    }
}
