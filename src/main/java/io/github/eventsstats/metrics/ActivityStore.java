package io.github.eventsstats.metrics;

import io.github.eventsstats.clickhouse.ClickHouse;
import io.github.eventsstats.event.EventRow;
import com.clickhouse.client.api.query.GenericRecord;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What the dashboard shows beyond the metrics: the latest events, one repository's PRs over time. Calls block. */
@ApplicationScoped
public class ActivityStore {

    /**
     * The newest events created up to {now}, newest first: a row dated in the future (stored before
     * ingest set such rows aside, or by hand) never takes the window over. Only the last day before
     * the newest such event is sorted (the `by_time` projection finds it), and {@code LIMIT 1 BY}
     * drops a copy still awaiting a merge.
     */
    public static final String RECENT_EVENTS = """
            SELECT event_id, toString(event_type) AS type, repo_name, actor_login, action, created_at
            FROM events
            WHERE created_at <= {now:DateTime('UTC')}
              AND created_at >= (SELECT max(created_at) FROM events WHERE created_at <= {now:DateTime('UTC')})
                                - INTERVAL 1 DAY
            ORDER BY created_at DESC, event_id DESC
            LIMIT 1 BY event_id
            LIMIT {limit:UInt32}
            """;

    /** Opened PRs of one repository per bucket, from pr_metrics_agg (hourly rows), non-empty buckets only. */
    public static final String PR_OPENINGS_PER_BUCKET = """
            SELECT toStartOfInterval(hour, toIntervalSecond({step:UInt32})) AS bucket,
                   uniqExactMerge(opened_count) AS n
            FROM pr_metrics_agg
            WHERE repo_name = {repo:String}
            GROUP BY bucket
            ORDER BY bucket
            """;

    /** The newest {limit} event times that match the optional filters ('' for any), newest first. */
    public static final String EVENT_TIMES = """
            SELECT created_at
            FROM events FINAL
            WHERE ({repo:String} = '' OR repo_name = {repo:String})
              AND ({type:String} = '' OR event_type = {type:String})
              AND ({action:String} = '' OR action = {action:String})
            ORDER BY created_at DESC, event_id DESC
            LIMIT {limit:UInt32}
            """;

    public record Bucket(Instant start, long count) {
    }

    private final ClickHouse clickHouse;

    ActivityStore(ClickHouse clickHouse) {
        this.clickHouse = clickHouse;
    }

    public List<EventRow> recentEvents(Instant now, int limit) {
        List<EventRow> rows = new ArrayList<>();
        for (GenericRecord r : clickHouse.query(RECENT_EVENTS, Map.of("now", ClickHouse.dateTime(now), "limit", limit))) {
            rows.add(new EventRow(r.getLong("event_id"), r.getString("type"), 0,
                    r.getString("repo_name"), 0, r.getString("actor_login"), r.getString("action"),
                    r.getInstant("created_at")));
        }
        return rows;
    }

    /** Each filter may be empty for "any". Newest first. */
    public List<Instant> eventTimes(String type, String action, String repo, int limit) {
        List<Instant> times = new ArrayList<>();
        for (GenericRecord r : clickHouse.query(EVENT_TIMES,
                Map.of("type", type, "action", action, "repo", repo, "limit", limit))) {
            times.add(r.getInstant("created_at"));
        }
        return times;
    }

    /** @param stepSeconds an hour or a multiple of it (the aggregate's rows are hours) */
    public List<Bucket> prOpeningsPerBucket(String repo, int stepSeconds) {
        List<Bucket> buckets = new ArrayList<>();
        for (GenericRecord r : clickHouse.query(PR_OPENINGS_PER_BUCKET, Map.of("repo", repo, "step", stepSeconds))) {
            buckets.add(new Bucket(r.getInstant("bucket"), r.getLong("n")));
        }
        return buckets;
    }
}
