package io.github.eventsstats.metrics;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.eventsstats.clickhouse.ClickHouse;
import io.github.eventsstats.retention.Retention;
import io.github.eventsstats.watch.HistoryStore;
import com.clickhouse.client.api.query.GenericRecord;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
    }

    /** More than the repositories a dashboard's answers name; each entry a few dozen bytes. */
    static final int MAX_FIRST_ITEMS = 20_000;

    /** A repository's first item as of {@code written} writes of items ({@link HistoryStore#itemsWritten}). */
    private record FirstItem(long written, String repo) {
    }

    private final ClickHouse clickHouse;
    private final Retention retention;
    private final HistoryStore history;
    /**
     * The first items found, by the writes of items they were read after: the same value as a
     * query now, since none was written since, without its round trip and its read of the
     * repository's items on every answer (docs/benchmarks/lifecycle.md).
     */
    private final Cache<FirstItem, Optional<Instant>> firstItems = Caffeine.newBuilder().maximumSize(MAX_FIRST_ITEMS).build();

    LifecycleStore(ClickHouse clickHouse, Retention retention, HistoryStore history) {
        this.clickHouse = clickHouse;
        this.retention = retention;
        this.history = history;
    }

    /**
     * From the loaded histories of {@code repos}, each one's items in the order given: one query
     * for all ({@link LifecycleQueries#ITEMS_OF_REPOSITORIES}), or {@link LifecycleQueries#ITEMS}
     * for one, which takes it less engine time.
     */
    public List<List<Lifecycle.ItemLife>> items(List<String> repos, Kind kind, Instant from, Instant to) {
        return each(repos, LifecycleQueries.ITEMS, LifecycleQueries.ITEMS_OF_REPOSITORIES, Map.of("kind", kind.stored,
                "from", ClickHouse.dateTime(from), "to", ClickHouse.dateTime(to)));
    }

    /** From the stored events of {@code repos}, those kept (EVENTS_RETENTION); one query as {@link #items}. */
    public List<List<Lifecycle.ItemLife>> itemsFromEvents(List<String> repos, Kind kind, Instant from, Instant to) {
        return each(repos, LifecycleQueries.ITEMS_FROM_EVENTS, LifecycleQueries.ITEMS_FROM_EVENTS_OF_REPOSITORIES,
                Map.of("type", kind.eventType, "from", ClickHouse.dateTime(from), "to", ClickHouse.dateTime(to),
                        "expired_before", ClickHouse.dateTime(retention.eventsKeptFrom())));
    }

    /** Each repository's rows of {@code one} ({repo}) or, for several, of {@code many} ({repos}, rows keyed by r). */
    private List<List<Lifecycle.ItemLife>> each(List<String> repos, String one, String many, Map<String, Object> window) {
        Map<String, Object> params = new HashMap<>(window);
        if (repos.size() == 1) {
            params.put("repo", repos.getFirst());
        } else {
            params.put("repos", repos);
        }
        List<List<Lifecycle.ItemLife>> each = new ArrayList<>();
        for (int i = 0; i < repos.size(); i++) {
            each.add(new ArrayList<>());
        }
        for (GenericRecord r : clickHouse.query(repos.size() == 1 ? one : many, params)) {
            each.get(repos.size() == 1 ? 0 : (int) r.getLong("r") - 1).add(row(r));
        }
        return each;
    }

    /**
     * The first item's creation in each repository's loaded history, by name; none for a
     * repository without items. One query for those not found since the last write of items.
     */
    public Map<String, Instant> firstItems(List<String> repos) {
        long written = history.itemsWritten(); // before the read: a write after it makes a later key
        Map<String, Instant> first = new HashMap<>();
        List<String> unknown = new ArrayList<>();
        for (String repo : repos) {
            Optional<Instant> known = firstItems.getIfPresent(new FirstItem(written, repo));
            if (known == null) {
                unknown.add(repo);
            } else {
                known.ifPresent(t -> first.put(repo, t));
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
            firstItems.put(new FirstItem(written, repo), Optional.ofNullable(t));
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
