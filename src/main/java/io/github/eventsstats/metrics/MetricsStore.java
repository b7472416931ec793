package io.github.eventsstats.metrics;

import io.github.eventsstats.clickhouse.ClickHouse;
import io.github.eventsstats.event.EventType;
import io.github.eventsstats.retention.Retention;
import io.github.eventsstats.rollup.HourlyRollup;
import com.clickhouse.client.api.query.GenericRecord;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The metrics, read from ClickHouse with {@link MetricsQueries}. Calls block. Every query reads
 * `events` from the first day whose events are kept ({@link Retention}), and a window reaches no
 * further back than the rollups are kept.
 */
@ApplicationScoped
public class MetricsStore {

    /** How many events, the first and last, and the mean time between adjacent ones (null below 2). */
    public record Span(long count, Instant first, Instant last, Double averageSeconds) {
    }

    /** Events without the copies that await a merge, and the physical rows including them. */
    public record RowCounts(long events, long rows) {
    }

    public record Bucket(Instant start, String type, long count) {
    }

    public record RepoActivity(String repoName, long totalEvents, long uniqueUsers, Instant firstEventAt,
                               Instant lastEventAt, long pushEvents, Map<String, Long> counts) {
    }

    public record Session(String actorLogin, Instant start, Instant end, long events) {
    }

    private static final long HOUR = 3600;
    /** Hour-aligned, inside DateTime's range (to 2106-02-07): "all stored events" as a window. */
    public static final Instant END_OF_TIME = Instant.parse("2106-01-01T00:00:00Z");

    private final ClickHouse clickHouse;
    private final Retention retention;

    MetricsStore(ClickHouse clickHouse, Retention retention) {
        this.clickHouse = clickHouse;
        this.retention = retention;
    }

    /** The query's parameters and {expired_before}, as every query of `events` takes it. */
    private Map<String, Object> kept(Map<String, Object> params) {
        Map<String, Object> all = new HashMap<>(params);
        all.put("expired_before", ClickHouse.dateTime(retention.eventsKeptFrom()));
        return all;
    }

    /** A window's start, or the first day whose rollups are kept if later: nothing before it is counted any more. */
    private Instant keptStart(Instant from) {
        Instant kept = retention.rollupsKeptFrom();
        return from.isBefore(kept) ? kept : from;
    }

    public Span prOpenings(String repo) {
        return span(clickHouse.query(MetricsQueries.PR_OPENINGS, Map.of("repo", repo)).getFirst());
    }

    /** Events per type with from <= created_at <= to. */
    public Map<String, Long> countsInWindow(Instant windowFrom, Instant to) {
        Instant from = keptStart(windowFrom);
        Instant end = to.plusSeconds(1); // created_at is whole seconds: [from, to] is [from, to + 1s)
        if (!holdsWholeHours(from, end)) {
            return byType(clickHouse.query(MetricsQueries.COUNTS_IN_WINDOW,
                    kept(Map.of("from", ClickHouse.dateTime(from), "to", ClickHouse.dateTime(to)))));
        }
        return byType(clickHouse.query(MetricsQueries.COUNTS_ROLLED_UP, kept(rolledUpParams(from, end, ""))));
    }

    /** Non-empty buckets only; the caller lays them on its axis. */
    public List<Bucket> countsPerBucket(Instant windowFrom, Instant to, int stepSeconds) {
        Instant from = keptStart(windowFrom);
        List<GenericRecord> rows;
        if (stepSeconds % HOUR == 0 && holdsWholeHours(from, to)) {
            Map<String, Object> params = kept(rolledUpParams(from, to, ""));
            params.put("step", stepSeconds);
            rows = clickHouse.query(MetricsQueries.COUNTS_PER_BUCKET_ROLLED_UP, params);
        } else {
            rows = clickHouse.query(MetricsQueries.COUNTS_PER_BUCKET, kept(Map.of("from",
                    ClickHouse.dateTime(from), "to", ClickHouse.dateTime(to), "step", stepSeconds)));
        }
        List<Bucket> buckets = new ArrayList<>();
        for (GenericRecord r : rows) {
            buckets.add(new Bucket(r.getInstant("bucket"), r.getString("type"), r.getLong("n")));
        }
        return buckets;
    }

    /** @param repo a full name, or empty for all repositories */
    public RowCounts rowCounts(String repo) {
        GenericRecord r = clickHouse.query(MetricsQueries.ROW_COUNTS, Map.of("repo", repo)).getFirst();
        return new RowCounts(r.getLong("events"), r.getLong("rows"));
    }

    /** Each filter may be empty for "any". */
    public Span eventGaps(String type, String action, String repo) {
        return span(clickHouse.query(MetricsQueries.EVENT_GAPS,
                kept(Map.of("type", type, "action", action, "repo", repo))).getFirst());
    }

    /** The stored events (those of the days kept); each filter may be empty for "any". */
    public Map<String, Long> totalsByType(String action, String repo) {
        if (!repo.isEmpty()) { // one repository's rows, through the sorting key
            return byType(clickHouse.query(MetricsQueries.TOTALS_BY_TYPE, kept(Map.of("action", action, "repo", repo))));
        }
        return byType(clickHouse.query(MetricsQueries.COUNTS_ROLLED_UP,
                kept(rolledUpParams(retention.eventsKeptFrom(), END_OF_TIME, action))));
    }

    /** Repository name to event count, most first. */
    public Map<String, Long> reposWithMoreThan(String type, long minCount, int limit) {
        Map<String, Long> repos = new LinkedHashMap<>();
        for (GenericRecord r : clickHouse.query(MetricsQueries.REPOS_WITH_MORE_THAN,
                kept(Map.of("type", type, "min", minCount, "limit", limit)))) {
            repos.put(r.getString("repo_name"), r.getLong("n"));
        }
        return repos;
    }

    /** The most active repositories with from <= created_at <= to, most events first, then by name. */
    public List<RepoActivity> topRepos(Instant windowFrom, Instant to, int limit) {
        Instant from = keptStart(windowFrom);
        Instant end = to.plusSeconds(1);
        if (!holdsWholeHours(from, end)) {
            return activities(clickHouse.query(MetricsQueries.TOP_REPOS,
                    kept(Map.of("from", ClickHouse.dateTime(from), "to", ClickHouse.dateTime(to), "limit", limit))));
        }
        Map<String, Object> params = kept(topReposParams(from, end));
        List<String> repos = TopRepoBounds.candidates(topRepoBounds(params), limit, HourlyRollup.TOP_PER_HOUR)
                .orElseGet(() -> summedTopRepos(params, limit));
        params.put("repos", repos);
        List<RepoActivity> found = new ArrayList<>(activities(clickHouse.query(MetricsQueries.TOP_REPOS_OF, params)));
        found.sort(Comparator.comparingLong(RepoActivity::totalEvents).reversed().thenComparing(RepoActivity::repoName));
        return found.subList(0, Math.min(limit, found.size()));
    }

    /**
     * The parameters of the rolled-up top-repos queries ({@link MetricsQueries#TOP_REPOS_BOUNDS},
     * ...) for [from, to): its whole hours, and the ranked repositories per hour, with every event
     * kept. Public so that bench/ times the SQL with exactly these.
     */
    public static Map<String, Object> topReposParams(Instant from, Instant to) {
        Map<String, Object> params = new HashMap<>(rolledUpParams(from, to, ""));
        params.remove("action");
        params.put("top", HourlyRollup.TOP_PER_HOUR);
        return params;
    }

    /** The rows of {@link MetricsQueries#TOP_REPOS_BOUNDS}. Public for bench/. */
    public List<TopRepoBounds.Row> topRepoBounds(Map<String, Object> params) {
        return clickHouse.query(MetricsQueries.TOP_REPOS_BOUNDS, params).stream()
                .map(r -> new TopRepoBounds.Row(r.getString("kind"), r.getString("repo_name"), r.getLong("n"), r.getLong("m")))
                .toList();
    }

    private List<String> summedTopRepos(Map<String, Object> params, int limit) {
        Map<String, Object> summed = new HashMap<>(params);
        summed.put("limit", limit);
        return clickHouse.query(MetricsQueries.TOP_REPOS_SUMMED, summed).stream().map(r -> r.getString("repo_name")).toList();
    }

    private static List<RepoActivity> activities(List<GenericRecord> rows) {
        List<RepoActivity> repos = new ArrayList<>();
        for (GenericRecord r : rows) {
            Map<String, Long> counted = new HashMap<>();
            ((Map<?, ?>) r.getObject("by_type")).forEach((type, n) -> counted.put(type.toString(), ((Number) n).longValue()));
            repos.add(new RepoActivity(r.getString("repo_name"), r.getLong("total_events"),
                    r.getLong("unique_users"), r.getInstant("first_event_at"), r.getInstant("last_event_at"),
                    r.getLong("push_events"), withDefaults(counted)));
        }
        return repos;
    }

    /** @param actor a login, or empty for every actor */
    public List<Session> sessions(Instant from, Instant to, String actor, int gapSeconds, int limit) {
        List<Session> sessions = new ArrayList<>();
        for (GenericRecord r : clickHouse.query(MetricsQueries.SESSIONS, kept(Map.of("from", ClickHouse.dateTime(from),
                "to", ClickHouse.dateTime(to), "actor", actor, "gap", gapSeconds, "limit", limit)))) {
            sessions.add(new Session(r.getString("actor_login"), r.getInstant("session_start_at"),
                    r.getInstant("session_end_at"), r.getLong("events_in_session")));
        }
        return sessions;
    }

    /** Whether [from, to) holds a whole hour, which the rollup can answer. */
    private static boolean holdsWholeHours(Instant from, Instant to) {
        return ceilHour(from) < floorHour(to);
    }

    /**
     * The parameters of {@link MetricsQueries#COUNTS_ROLLED_UP}: [from, to), its whole hours, an
     * action or '', and every event kept ({expired_before} the epoch). Public so that bench/ times
     * the SQL with exactly these.
     */
    public static Map<String, Object> rolledUpParams(Instant from, Instant to, String action) {
        return Map.of("from", ClickHouse.dateTime(from), "to", ClickHouse.dateTime(to),
                "inner_from", ClickHouse.dateTime(Instant.ofEpochSecond(ceilHour(from))),
                "inner_to", ClickHouse.dateTime(Instant.ofEpochSecond(floorHour(to))), "action", action,
                "expired_before", ClickHouse.dateTime(Instant.EPOCH));
    }

    private static long floorHour(Instant t) {
        return Math.floorDiv(t.getEpochSecond(), HOUR) * HOUR;
    }

    private static long ceilHour(Instant t) {
        return -Math.floorDiv(-t.getEpochSecond(), HOUR) * HOUR;
    }

    private static Span span(GenericRecord r) {
        return new Span(r.getLong("n"), instantOrNull(r, "first"), instantOrNull(r, "last"),
                r.hasValue("average_seconds") ? r.getDouble("average_seconds") : null);
    }

    private static Instant instantOrNull(GenericRecord r, String column) {
        return r.hasValue(column) ? r.getInstant(column) : null;
    }

    /** The counts of the rows' types, the default types with 0 where no row came back. */
    private static Map<String, Long> byType(List<GenericRecord> rows) {
        Map<String, Long> counted = new HashMap<>();
        for (GenericRecord r : rows) {
            counted.put(r.getString("type"), r.getLong("n"));
        }
        return withDefaults(counted);
    }

    /**
     * Every type counted, and the default types even where 0, so a client always finds those keys:
     * the defaults first, then the other types by name.
     */
    public static Map<String, Long> withDefaults(Map<String, Long> counted) {
        Map<String, Long> counts = new LinkedHashMap<>();
        EventType.DEFAULTS.forEach(t -> counts.put(t, counted.getOrDefault(t, 0L)));
        new TreeMap<>(counted).forEach(counts::putIfAbsent);
        return counts;
    }
}
