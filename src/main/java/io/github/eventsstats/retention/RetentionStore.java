package io.github.eventsstats.retention;

import com.clickhouse.client.api.query.GenericRecord;
import io.github.eventsstats.clickhouse.ClickHouse;
import io.github.eventsstats.clickhouse.ClickHouseConfig;
import io.github.eventsstats.clickhouse.ClusterDdl;
import io.github.eventsstats.clickhouse.SqlScript;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The SQL of retention: each expiring table's TTL, set from the settings, and the deletion of the
 * rows that have expired. The tables and what they follow are {@link #TABLES}; which follows what,
 * and why the others are kept, is in docs/design/retention.md.
 *
 * <p>The statements are the files of {@code clickhouse/retention/}, one template each, run for
 * each table. Values are parameters, the TTL's days too (the engine takes query parameters in DDL,
 * and a TTL so set reads back as {@code _CAST(30, 'UInt16')}); the table and column names filled
 * in are constants of {@link #TABLES}, checked to be plain identifiers.
 */
@ApplicationScoped
class RetentionStore {

    /** Which setting a table's rows follow. */
    enum Kept { EVENTS, ROLLUPS }

    /**
     * A table whose rows expire: its time column (the UTC day of which is what expires) and the
     * setting it follows.
     */
    record Expiring(String table, String time, Kept kept) {
        Expiring {
            if (!IDENTIFIER.matcher(table).matches() || !IDENTIFIER.matcher(time).matches()) {
                throw new IllegalArgumentException("not a plain identifier: " + table + "." + time);
            }
        }
    }

    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]*");

    /** Every table with a TTL, in the order they are altered and cleaned. */
    static final List<Expiring> TABLES = List.of(
            // one row per event (or per event and source, per push, per pull request)
            new Expiring("events", "created_at", Kept.EVENTS),
            new Expiring("push_events", "created_at", Kept.EVENTS),
            new Expiring("event_sightings", "hour", Kept.EVENTS),
            new Expiring("pull_requests", "created_at", Kept.EVENTS),
            // one row per hour (and type, repository or opened PR's repository): the long windows' rollups,
            // what tells them which hours to trust, and coverage
            new Expiring("events_hour_writes", "hour", Kept.ROLLUPS),
            new Expiring("events_hourly", "hour", Kept.ROLLUPS),
            new Expiring("repo_hourly", "hour", Kept.ROLLUPS),
            new Expiring("repo_hourly_detail", "hour", Kept.ROLLUPS),
            new Expiring("repo_hour_top", "hour", Kept.ROLLUPS),
            new Expiring("repo_hours_sealed", "hour", Kept.ROLLUPS),
            new Expiring("pr_metrics_agg", "hour", Kept.ROLLUPS),
            new Expiring("sighting_hours", "hour", Kept.ROLLUPS),
            new Expiring("coverage_hourly", "hour", Kept.ROLLUPS),
            new Expiring("poller_polls", "polled_at", Kept.ROLLUPS));

    private static final String MODIFY_TTL = statement("modify_ttl.sql");
    private static final String REMOVE_TTL = statement("remove_ttl.sql");
    private static final String DELETE_EXPIRED = statement("delete_expired.sql");
    private static final String COUNT_EXPIRED = statement("count_expired.sql");

    /** The one statement of {@code clickhouse/retention/<file>}, a template over {@code <table>} and {@code <time>}. */
    private static String statement(String file) {
        List<String> statements = SqlScript.load("retention/" + file).statements();
        if (statements.size() != 1) {
            throw new IllegalStateException("clickhouse/retention/" + file + " must hold one statement, not " + statements.size());
        }
        return statements.getFirst().replaceAll("\\s+", " "); // on one line, as the engine shows it back and logs it
    }

    /** A template of clickhouse/retention/ for table {@code t}: its names are constants, checked as identifiers. */
    private static String fill(String template, Expiring t) {
        return template.replace("<table>", t.table()).replace("<time>", t.time());
    }

    /** Sets the table's TTL to keep {days}: a row expires once the end of its UTC day is that old. */
    static String modifyTtl(Expiring t) {
        return fill(MODIFY_TTL, t);
    }

    static String removeTtl(Expiring t) {
        return fill(REMOVE_TTL, t);
    }

    /** Deletes the rows of days before {before} (a day's start): they have expired. */
    static String deleteExpired(Expiring t) {
        return fill(DELETE_EXPIRED, t);
    }

    /** How many rows of the table have expired, before {before}. */
    static String countExpired(Expiring t) {
        return fill(COUNT_EXPIRED, t);
    }

    /** The days a TTL set by {@link #modifyTtl} keeps, as the table's definition shows it. */
    private static final Pattern TTL_DAYS = Pattern.compile(
            "\\bTTL .*\\+ toIntervalDay\\((?:_CAST\\()?(\\d+)(?:, 'UInt16'\\))?\\)(?: SETTINGS |$)");

    private final ClickHouse clickHouse;
    private final Optional<ClusterDdl> cluster;

    RetentionStore(ClickHouse clickHouse, ClickHouseConfig config) {
        this.clickHouse = clickHouse;
        this.cluster = config.cluster().filter(c -> !c.isBlank()).map(ClusterDdl::new);
    }

    /** A table's TTL as the server holds it: none, the days of one set by {@link #modifyTtl}, or another. */
    sealed interface CurrentTtl {
        record None() implements CurrentTtl {
        }

        record Days(long days) implements CurrentTtl {
        }

        record Other(String definition) implements CurrentTtl {
        }
    }

    /** The TTL in a table's {@code engine_full}: one on {@code time}'s day that {@link #modifyTtl} set, or another. */
    static CurrentTtl parseTtl(String engineFull, String time) {
        if (!engineFull.contains(" TTL ")) {
            return new CurrentTtl.None();
        }
        Matcher m = TTL_DAYS.matcher(engineFull);
        return m.find() && engineFull.contains("TTL (toStartOfDay(" + time + ") + toIntervalDay(1))")
                ? new CurrentTtl.Days(Long.parseLong(m.group(1))) : new CurrentTtl.Other(engineFull);
    }

    /** The current TTL of each of {@link #TABLES}, by table name. */
    Map<String, CurrentTtl> currentTtls() {
        Map<String, Expiring> byPartsTable = new HashMap<>();
        TABLES.forEach(t -> byPartsTable.put(partsTable(t.table()), t));
        Map<String, CurrentTtl> out = new HashMap<>();
        for (GenericRecord r : clickHouse.query("""
                SELECT name, engine_full FROM system.tables
                WHERE database = currentDatabase() AND name IN {names:Array(String)}""",
                Map.of("names", List.copyOf(byPartsTable.keySet())))) {
            Expiring t = byPartsTable.get(r.getString("name"));
            out.put(t.table(), parseTtl(r.getString("engine_full"), t.time()));
        }
        return out;
    }

    /** Sets the table's TTL to keep {@code keep}, or removes it. */
    void setTtl(Expiring t, Optional<Duration> keep) {
        if (keep.isPresent()) {
            run(modifyTtl(t), Map.of("days", keep.get().toDays()));
        } else {
            run(removeTtl(t), Map.of());
        }
    }

    long countExpired(Expiring t, Instant before) {
        return clickHouse.query(countExpired(t), Map.of("before", ClickHouse.dateTime(before))).getFirst().getLong("n");
    }

    /** Whether a deletion (or any other mutation) of the table is still under way. */
    boolean mutating(Expiring t) {
        return clickHouse.query("""
                SELECT count() AS n FROM system.mutations
                WHERE database = currentDatabase() AND table = {table:String} AND NOT is_done""",
                Map.of("table", partsTable(t.table()))).getFirst().getLong("n") > 0;
    }

    /** Starts the deletion of the table's rows before {@code before}; the engine carries it out in the background. */
    void deleteExpired(Expiring t, Instant before) {
        run(deleteExpired(t), Map.of("before", ClickHouse.dateTime(before)));
    }

    private String partsTable(String table) {
        return cluster.isPresent() ? ClusterDdl.partsTable(table) : table;
    }

    /** A statement here, or in its cluster form on every node. */
    private void run(String statement, Map<String, Object> params) {
        for (String s : cluster.map(c -> c.translate(statement)).orElse(List.of(statement))) {
            clickHouse.query(s, params);
        }
    }
}
