package io.github.eventsstats.ingest;

import io.github.eventsstats.clickhouse.ClickHouse;
import io.github.eventsstats.clickhouse.DataChanges;
import io.github.eventsstats.clickhouse.RowBinary;
import io.github.eventsstats.event.EventRow;
import com.clickhouse.client.api.insert.InsertSettings;
import com.clickhouse.client.api.query.GenericRecord;
import com.clickhouse.data.ClickHouseFormat;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.OutputStream;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads and writes rows of `events`. Callers go through the ingest writer, which deduplicates. */
@ApplicationScoped
public class EventStore {

    static final List<String> COLUMNS = List.of("event_id", "event_type", "repo_id", "repo_name", "actor_id",
            "actor_login", "action", "created_at", "ingested_at", "number", "merged", "push_id", "ref", "head", "before",
            "size", "ref_type", "full_ref", "tag_name", "forkee_id", "forkee_name", "comment_id", "review_state",
            "member_login");

    private final ClickHouse clickHouse;
    private final DataChanges changes;

    EventStore(ClickHouse clickHouse, DataChanges changes) {
        this.clickHouse = clickHouse;
        this.changes = changes;
    }

    /**
     * Ids already stored among events created in [from, to] with ids in [minId, maxId]. The time
     * range makes this a narrow slice of the `by_time` projection; the id bounds only trim it
     * (GitHub's event ids are not ordered by time, so they say nothing about where to look).
     */
    public Set<Long> storedIds(Instant from, Instant to, long minId, long maxId) {
        List<GenericRecord> rows = clickHouse.reservedQuery("""
                SELECT event_id FROM events
                WHERE created_at BETWEEN {from:DateTime('UTC')} AND {to:DateTime('UTC')}
                  AND event_id BETWEEN {min:UInt64} AND {max:UInt64}
                """, Map.of("from", ClickHouse.dateTime(from), "to", ClickHouse.dateTime(to), "min", minId, "max", maxId));
        Set<Long> ids = new HashSet<>(rows.size() * 2);
        for (GenericRecord r : rows) {
            ids.add(r.getLong("event_id"));
        }
        return ids;
    }

    /**
     * Inserts the rows as one RowBinary block. The token makes a retry of the same block a no-op on
     * the server, for the case where an insert succeeded but its answer was lost.
     */
    public void insert(List<EventRow> rows, String deduplicationToken) {
        if (rows.isEmpty()) {
            return;
        }
        long ingestedAt = System.currentTimeMillis();
        InsertSettings settings = new InsertSettings().setDeduplicationToken(deduplicationToken);
        ClickHouse.await(clickHouse.reservedClient().insert("events", COLUMNS, out -> write(out, rows, ingestedAt),
                ClickHouseFormat.RowBinary, settings)).close();
        changes.changed();
    }

    private static void write(OutputStream raw, List<EventRow> rows, long ingestedAt) throws java.io.IOException {
        RowBinary out = new RowBinary(raw);
        for (EventRow r : rows) {
            out.uint64(r.eventId());
            out.string(r.type());
            out.uint64(r.repoId());
            out.string(r.repoName());
            out.uint64(r.actorId());
            out.string(r.actorLogin());
            out.string(r.action());
            out.uint32(r.createdAt().getEpochSecond());
            out.uint64(ingestedAt);
            EventRow.Payload p = r.payload();
            out.uint32(p.number());
            out.uint8(p.merged() ? 1 : 0);
            out.uint64(p.pushId());
            out.string(p.ref());
            out.string(p.head());
            out.string(p.before());
            if (p.size() < 0) {
                out.uint8(1); // NULL
            } else {
                out.uint8(0);
                out.uint32(p.size());
            }
            out.string(p.refType());
            out.string(p.fullRef());
            out.string(p.tagName());
            out.uint64(p.forkeeId());
            out.string(p.forkeeName());
            out.uint64(p.commentId());
            out.string(p.reviewState());
            out.string(p.memberLogin());
        }
        out.flush();
    }
}
