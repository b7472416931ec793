package io.github.eventsstats.metrics;

import io.github.eventsstats.clickhouse.ClickHouse;
import io.github.eventsstats.retention.Retention;
import com.clickhouse.client.api.query.GenericRecord;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The pull requests and issues of one repository created in a window, read with {@link LifecycleQueries}. Calls block. */
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

    private final ClickHouse clickHouse;
    private final Retention retention;

    LifecycleStore(ClickHouse clickHouse, Retention retention) {
        this.clickHouse = clickHouse;
        this.retention = retention;
    }

    /** From the repository's loaded history. */
    public List<Lifecycle.ItemLife> items(String repo, Kind kind, Instant from, Instant to) {
        return rows(clickHouse.query(LifecycleQueries.ITEMS, Map.of("repo", repo, "kind", kind.stored,
                "from", ClickHouse.dateTime(from), "to", ClickHouse.dateTime(to))));
    }

    /** From the stored events of the repository, those kept (EVENTS_RETENTION). */
    public List<Lifecycle.ItemLife> itemsFromEvents(String repo, Kind kind, Instant from, Instant to) {
        return rows(clickHouse.query(LifecycleQueries.ITEMS_FROM_EVENTS, Map.of("repo", repo, "type", kind.eventType,
                "from", ClickHouse.dateTime(from), "to", ClickHouse.dateTime(to),
                "expired_before", ClickHouse.dateTime(retention.eventsKeptFrom()))));
    }

    /** The first item's creation in the repository's loaded history; null without any. */
    public Instant firstItem(String repo) {
        GenericRecord r = clickHouse.query(LifecycleQueries.FIRST_ITEM, Map.of("repo", repo)).getFirst();
        return r.hasValue("first") ? r.getInstant("first") : null;
    }

    private static List<Lifecycle.ItemLife> rows(List<GenericRecord> records) {
        List<Lifecycle.ItemLife> items = new ArrayList<>(records.size());
        for (GenericRecord r : records) {
            items.add(new Lifecycle.ItemLife(r.getLong("number"), r.getInstant("created_at"), time(r, "closed_at"),
                    time(r, "merged_at"), r.getLong("bot") != 0, time(r, "responded_at")));
        }
        return items;
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
