package io.github.eventsstats.enrich;

import com.clickhouse.client.api.insert.InsertSettings;
import com.clickhouse.client.api.query.GenericRecord;
import com.clickhouse.client.api.query.QuerySettings;
import com.clickhouse.data.ClickHouseFormat;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.eventsstats.clickhouse.ClickHouse;
import io.github.eventsstats.clickhouse.ClickHouseUnavailableException;
import io.github.eventsstats.clickhouse.DataChanges;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * actor_profiles and repo_profiles (V025): what the enricher asks for next, what it stores, and
 * what the API reads of them and of the subjects' events. Calls block. Keys go to ClickHouse as
 * parameters; a list of keys as one comma-separated string (no login or repository name holds a comma).
 */
@ApplicationScoped
public class EnrichmentStore {

    /** One entry to ask GitHub for: its key, and the ETag and status of its stale profile ('' when none). */
    public record Candidate(String key, String etag, String status) {

        boolean stored() {
            return !status.isEmpty();
        }
    }

    /** The most recently active entries without a fresh profile, and how many there are in all. */
    public record Candidates(List<Candidate> entries, long queued) {
    }

    /** A stored profile's state; {@code profile} is null unless the status is ok. */
    public record Stored<T>(ProfileStatus status, Instant fetchedAt, Instant checkedAt, T profile) {
    }

    public record ActorProfile(long id, String name, String company, String location, String countryCode,
                               String blog, long followers, long publicRepos, Instant createdAt) {
    }

    public record RepoProfile(long id, String description, String language, List<String> topics, long stars,
                              long forks, String license, Instant createdAt, boolean archived) {
    }

    /** The enrichment top-repos shows. */
    public record RepoBrief(long stars, String language) {
    }

    /** A subject's stored events: how many (each once), of which types, when, and with how many others. */
    public record Activity(long totalEvents, long others, Instant firstEventAt, Instant lastEventAt,
                           Map<String, Long> counts) {
    }

    /** Actors active in a window, by their profile's status and country ('' for none). */
    public record CountryRow(String status, String country, long actors, long events) {
    }

    private static final String CANDIDATES = """
            SELECT e.key AS key, p.etag AS etag, p.status AS status, count() OVER () AS queued
            FROM
            (
                SELECT %1$s AS key, max(created_at) AS last_active
                FROM events
                WHERE created_at >= {since:DateTime('UTC')} AND match(%1$s, {valid:String})
                GROUP BY key
            ) AS e
            LEFT JOIN
            (
                SELECT %2$s AS key, etag, status, checked_at FROM %3$s FINAL
            ) AS p ON p.key = e.key
            WHERE p.checked_at < {checked_before:DateTime64(3, 'UTC')}
              AND NOT has(splitByChar(',', {skip:String}), e.key)
            ORDER BY e.last_active DESC, e.key
            LIMIT {limit:UInt32}
            """;

    /** A 304: the stored row again, checked now. */
    private static final String TOUCH = """
            INSERT INTO %1$s
            SELECT * REPLACE (toDateTime64({now:String}, 3, 'UTC') AS checked_at)
            FROM %1$s FINAL
            WHERE has(splitByChar(',', {keys:String}), %2$s)
            """;

    private static final String ACTOR = """
            SELECT status, fetched_at, checked_at, actor_id, name, company, location, country_code, blog,
                   followers, public_repos, created_at
            FROM actor_profiles FINAL
            WHERE login = {key:String}
            """;

    private static final String REPOSITORY = """
            SELECT status, fetched_at, checked_at, repo_id, description, language, topics, stars, forks, license,
                   created_at, archived
            FROM repo_profiles FINAL
            WHERE repo_name = {key:String}
            """;

    private static final String REPO_BRIEFS = """
            SELECT repo_name, stars, language
            FROM repo_profiles FINAL
            WHERE has(splitByChar(',', {keys:String}), repo_name) AND status = 'ok'
            """;

    /**
     * One subject's events, each once ({@code LIMIT 1 BY event_id} folds a copy awaiting a merge
     * among the subject's rows only, where FINAL would fold the whole table): {@code others}
     * counts the distinct repositories of an actor, the distinct actors of a repository.
     */
    private static final String ACTIVITY = """
            SELECT count() AS n, uniqExact(other) AS others, minOrNull(created_at) AS first,
                   maxOrNull(created_at) AS last, sumMap(map(toString(event_type), toUInt64(1))) AS by_type
            FROM
            (
                SELECT event_type, created_at, %2$s AS other
                FROM events
                WHERE %1$s = {key:String}
                LIMIT 1 BY event_id
            )
            """;

    /** Actors with events in [from, to], with their events (each once), by profile status and country. */
    private static final String COUNTRIES = """
            SELECT p.status AS status, p.country_code AS country, count() AS actors, sum(e.n) AS events
            FROM
            (
                SELECT actor_login, uniqExact(event_id) AS n
                FROM events
                WHERE created_at BETWEEN {from:DateTime('UTC')} AND {to:DateTime('UTC')} AND actor_login != ''
                GROUP BY actor_login
            ) AS e
            LEFT JOIN
            (
                SELECT login, status, country_code FROM actor_profiles FINAL
            ) AS p ON p.login = e.actor_login
            GROUP BY status, country
            """;

    private final ClickHouse clickHouse;
    private final DataChanges changes;
    private final ObjectMapper json;

    EnrichmentStore(ClickHouse clickHouse, DataChanges changes, ObjectMapper json) {
        this.clickHouse = clickHouse;
        this.changes = changes;
        this.json = json;
    }

    /**
     * Entries with events created since {@code activeSince} whose profile is missing or was
     * checked before {@code checkedBefore}, most recently active first, {@code skip} aside.
     */
    public Candidates candidates(Kind kind, Instant activeSince, Instant checkedBefore, Collection<String> skip,
                                 int limit) {
        List<GenericRecord> rows = clickHouse.query(CANDIDATES.formatted(kind.eventColumn, kind.key, kind.table),
                Map.of("since", ClickHouse.dateTime(activeSince), "valid", kind.valid,
                        "checked_before", ProfileRows.millis(checkedBefore), "skip", String.join(",", skip),
                        "limit", limit));
        List<Candidate> entries = new ArrayList<>();
        for (GenericRecord r : rows) {
            entries.add(new Candidate(r.getString("key"), r.getString("etag"), r.getString("status")));
        }
        return new Candidates(entries, rows.isEmpty() ? 0 : rows.getFirst().getLong("queued"));
    }

    /** Stores rows made by {@link ProfileRows}, in one insert. */
    public void save(Kind kind, List<ObjectNode> rows) {
        if (rows.isEmpty()) {
            return;
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try {
            for (ObjectNode row : rows) {
                json.writeValue(body, row);
                body.write('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ClickHouse.await(clickHouse.client().insert(kind.table, new java.io.ByteArrayInputStream(body.toByteArray()),
                ClickHouseFormat.JSONEachRow, new InsertSettings())).close();
        changes.changed();
    }

    /** The stored profiles of {@code keys} checked again at {@code now} (GitHub answered 304). */
    public void touch(Kind kind, Collection<String> keys, Instant now) {
        if (keys.isEmpty()) {
            return;
        }
        try (var response = ClickHouse.await(clickHouse.client().query(TOUCH.formatted(kind.table, kind.key),
                Map.of("now", ProfileRows.millis(now), "keys", String.join(",", keys)), new QuerySettings()))) {
            response.getWrittenRows();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new ClickHouseUnavailableException(e.getMessage(), e);
        }
        changes.changed();
    }

    public Optional<Stored<ActorProfile>> actor(String login) {
        return latest(ACTOR, login, r -> new ActorProfile(r.getLong("actor_id"), r.getString("name"),
                r.getString("company"), r.getString("location"), emptyToNull(r.getString("country_code")),
                r.getString("blog"), r.getLong("followers"), r.getLong("public_repos"), instantOrNull(r, "created_at")));
    }

    public Optional<Stored<RepoProfile>> repository(String name) {
        return latest(REPOSITORY, name, r -> new RepoProfile(r.getLong("repo_id"), r.getString("description"),
                emptyToNull(r.getString("language")), List.of(r.getStringArray("topics")), r.getLong("stars"),
                r.getLong("forks"), emptyToNull(r.getString("license")), instantOrNull(r, "created_at"),
                r.getInteger("archived") != 0));
    }

    /** The newest stored check of one actor or repository ({@code sql}); its profile only when it was found. */
    private <T> Optional<Stored<T>> latest(String sql, String key, Function<GenericRecord, T> profile) {
        List<GenericRecord> rows = clickHouse.query(sql, Map.of("key", key));
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        GenericRecord r = rows.getFirst();
        ProfileStatus status = ProfileStatus.of(r.getString("status"));
        return Optional.of(stored(r, status, status == ProfileStatus.OK ? profile.apply(r) : null));
    }

    private static <T> Stored<T> stored(GenericRecord r, ProfileStatus status, T profile) {
        Instant fetched = r.getInstant("fetched_at");
        return new Stored<>(status, fetched.equals(Instant.EPOCH) ? null : fetched, r.getInstant("checked_at"), profile);
    }

    /** Stars and language of those of {@code names} with a profile. */
    public Map<String, RepoBrief> repoBriefs(Collection<String> names) {
        Map<String, RepoBrief> briefs = new HashMap<>();
        if (names.isEmpty()) {
            return briefs;
        }
        for (GenericRecord r : clickHouse.query(REPO_BRIEFS, Map.of("keys", String.join(",", names)))) {
            briefs.put(r.getString("repo_name"), new RepoBrief(r.getLong("stars"), emptyToNull(r.getString("language"))));
        }
        return briefs;
    }

    public Activity actorActivity(String login) {
        return activity(ACTIVITY.formatted("actor_login", "repo_name"), login);
    }

    public Activity repositoryActivity(String name) {
        return activity(ACTIVITY.formatted("repo_name", "actor_id"), name);
    }

    private Activity activity(String sql, String key) {
        GenericRecord r = clickHouse.query(sql, Map.of("key", key)).getFirst();
        Map<String, Long> counts = new LinkedHashMap<>();
        ((Map<?, ?>) r.getObject("by_type")).forEach((type, n) -> counts.put(type.toString(), ((Number) n).longValue()));
        return new Activity(r.getLong("n"), r.getLong("others"), instantOrNull(r, "first"), instantOrNull(r, "last"),
                new java.util.TreeMap<>(counts));
    }

    /** Every (status, country) group of the actors active in [from, to]; status '' for no profile yet. */
    public List<CountryRow> countries(Instant from, Instant to) {
        List<CountryRow> rows = new ArrayList<>();
        for (GenericRecord r : clickHouse.query(COUNTRIES, Map.of("from", ClickHouse.dateTime(from),
                "to", ClickHouse.dateTime(to)))) {
            rows.add(new CountryRow(r.getString("status"), r.getString("country"), r.getLong("actors"), r.getLong("events")));
        }
        return rows;
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    private static Instant instantOrNull(GenericRecord r, String column) {
        return r.hasValue(column) ? r.getInstant(column) : null;
    }
}
