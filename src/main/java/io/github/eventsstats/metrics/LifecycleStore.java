package io.github.eventsstats.metrics;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.eventsstats.cache.CacheConfig;
import io.github.eventsstats.clickhouse.ClickHouse;
import io.github.eventsstats.retention.Retention;
import io.github.eventsstats.watch.HistoryStore;
import com.clickhouse.client.api.query.GenericRecord;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The pull requests and issues of repositories created in a window, read with {@link LifecycleQueries}. Calls block. */
@ApplicationScoped
public class LifecycleStore {

    /** Pull requests or issues. */
    public enum Kind {
        PULL("pull", "PullRequestEvent"), ISSUE("issue", "IssuesEvent");

        final String stored;
        final String eventType;

        Kind(String stored, String eventType) {
            this.stored = stored;
            this.eventType = eventType;
        }

        /** The kind lifecycle_facts stores as {@code stored}. */
        static Kind of(String stored) {
            for (Kind k : values()) {
                if (k.stored.equals(stored)) {
                    return k;
                }
            }
            throw new IllegalArgumentException("unknown kind " + stored);
        }
    }

    /** More than the repositories a dashboard's answers name; each entry a few dozen bytes. */
    static final int MAX_FIRST_ITEMS = 20_000;

    /** A repository's first item as of {@code written} writes of items ({@link HistoryStore#itemsWritten}). */
    private record FirstItem(long written, String repo) {
    }

    /** A first item (null: the repository has none) and when the read that found it started. */
    private record Found(Instant first, Instant readFrom) {
    }

    private final ClickHouse clickHouse;
    private final Retention retention;
    private final HistoryStore history;
    private final InstantSource clock;
    /** How long a first item is kept at most: API_CACHE_TTL, the bound on what other processes' writes may leave stale. */
    private final Duration kept;
    /**
     * The first items found, by the writes of items they were read after: the same value as a
     * query now, unless another process (a replica that loads the repository's history, as this
     * one need not) wrote an earlier item since, without its round trip and its read of the
     * repository's items on every answer (docs/benchmarks/lifecycle.md).
     */
    private final Cache<FirstItem, Found> firstItems = Caffeine.newBuilder().maximumSize(MAX_FIRST_ITEMS).build();

    LifecycleStore(ClickHouse clickHouse, Retention retention, HistoryStore history, CacheConfig cache, InstantSource clock) {
        this.clickHouse = clickHouse;
        this.retention = retention;
        this.history = history;
        this.clock = clock;
        this.kept = cache.ttl();
    }

    /** From the loaded history of {@code repo}, its items of {@code kind} ({@link LifecycleQueries#ITEMS}). */
    public List<Lifecycle.ItemLife> items(String repo, Kind kind, Instant from, Instant to) {
        List<Lifecycle.ItemLife> items = new ArrayList<>();
        for (GenericRecord r : clickHouse.query(LifecycleQueries.ITEMS, Map.of("repo", repo, "kind", kind.stored,
                "from", ClickHouse.dateTime(from), "to", ClickHouse.dateTime(to)))) {
            items.add(row(r));
        }
        return items;
    }

    /**
     * From the loaded histories of {@code repos}, each one's items of each kind, in the order
     * given: one query for all ({@link LifecycleQueries#ITEMS_OF_REPOSITORIES}).
     */
    public Map<Kind, List<List<Lifecycle.ItemLife>>> itemsOfBothKinds(List<String> repos, Instant from, Instant to) {
        Map<Kind, List<List<Lifecycle.ItemLife>>> each = new EnumMap<>(Kind.class);
        for (Kind kind : Kind.values()) {
            each.put(kind, empty(repos.size()));
        }
        for (GenericRecord r : clickHouse.query(LifecycleQueries.ITEMS_OF_REPOSITORIES, Map.of("repos", repos,
                "from", ClickHouse.dateTime(from), "to", ClickHouse.dateTime(to)))) {
            each.get(Kind.of(r.getString("kind"))).get((int) r.getLong("r") - 1).add(row(r));
        }
        return each;
    }

    /**
     * From the stored events of {@code repos}, those kept (EVENTS_RETENTION), each one's items of
     * {@code kind} in the order given: {@link LifecycleQueries#ITEMS_FROM_EVENTS} for one, or one
     * query for several ({@link LifecycleQueries#ITEMS_FROM_EVENTS_OF_REPOSITORIES}, rows keyed by r).
     */
    public List<List<Lifecycle.ItemLife>> itemsFromEvents(List<String> repos, Kind kind, Instant from, Instant to) {
        Map<String, Object> params = new HashMap<>(Map.of("type", kind.eventType, "from", ClickHouse.dateTime(from),
                "to", ClickHouse.dateTime(to), "expired_before", ClickHouse.dateTime(retention.eventsKeptFrom())));
        boolean one = repos.size() == 1;
        params.put(one ? "repo" : "repos", one ? repos.getFirst() : repos);
        List<List<Lifecycle.ItemLife>> each = empty(repos.size());
        for (GenericRecord r : clickHouse.query(one ? LifecycleQueries.ITEMS_FROM_EVENTS
                : LifecycleQueries.ITEMS_FROM_EVENTS_OF_REPOSITORIES, params)) {
            each.get(one ? 0 : (int) r.getLong("r") - 1).add(row(r));
        }
        return each;
    }

    private static List<List<Lifecycle.ItemLife>> empty(int repos) {
        List<List<Lifecycle.ItemLife>> each = new ArrayList<>();
        for (int i = 0; i < repos; i++) {
            each.add(new ArrayList<>());
        }
        return each;
    }

    /**
     * The first item's creation in each repository's loaded history, by name; none for a
     * repository without items. One query for those not found since the last write of items by
     * this process, within API_CACHE_TTL: this process's writes are counted, other processes'
     * (other replicas') are seen once the value is that old, as any answer sees them.
     */
    public Map<String, Instant> firstItems(List<String> repos) {
        long written = history.itemsWritten(); // before the read: a write after it makes a later key
        Instant now = clock.instant();
        Map<String, Instant> first = new HashMap<>();
        List<String> unknown = new ArrayList<>();
        for (String repo : repos) {
            Found known = firstItems.getIfPresent(new FirstItem(written, repo));
            if (known == null || !now.isBefore(known.readFrom().plus(kept))) {
                unknown.add(repo);
            } else if (known.first() != null) {
                first.put(repo, known.first());
            }
        }
        if (unknown.isEmpty()) {
            return first;
        }
        Map<String, Instant> found = new HashMap<>();
        for (GenericRecord r : clickHouse.query(LifecycleQueries.FIRST_ITEMS, Map.of("repos", unknown))) {
            found.put(r.getString("repo_name"), r.getInstant("first"));
        }
        for (String repo : unknown) {
            Instant t = found.get(repo);
            if (kept.isPositive()) {
                firstItems.put(new FirstItem(written, repo), new Found(t, now));
            }
            if (t != null) {
                first.put(repo, t);
            }
        }
        return first;
    }

    private static Lifecycle.ItemLife row(GenericRecord r) {
        return new Lifecycle.ItemLife(r.getLong("number"), r.getInstant("created_at"), time(r, "closed_at"),
                time(r, "merged_at"), r.getLong("bot") != 0, time(r, "responded_at"));
    }

    /** NULL, or the epoch that minIf over no row gives: none. */
    private static Instant time(GenericRecord r, String column) {
        if (!r.hasValue(column)) {
            return null;
        }
        Instant t = r.getInstant(column);
        return t == null || t.getEpochSecond() == 0 ? null : t;
    }
}
