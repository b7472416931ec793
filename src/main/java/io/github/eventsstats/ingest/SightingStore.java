package io.github.eventsstats.ingest;

import io.github.eventsstats.clickhouse.ClickHouse;
import io.github.eventsstats.clickhouse.DataChanges;
import io.github.eventsstats.clickhouse.RowBinary;
import io.github.eventsstats.event.EventRow;
import io.github.eventsstats.event.EventSource;
import com.clickhouse.client.api.insert.InsertSettings;
import com.clickhouse.data.ClickHouseFormat;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Collection;
import java.util.List;

/** Writes `event_sightings`: which source delivered which event, in the hour the event was created. */
@ApplicationScoped
public class SightingStore {

    private static final List<String> COLUMNS = List.of("hour", "event_id", "source");

    private final ClickHouse clickHouse;
    private final DataChanges changes;

    SightingStore(ClickHouse clickHouse, DataChanges changes) {
        this.clickHouse = clickHouse;
        this.changes = changes;
    }

    /**
     * One RowBinary insert of a batch's sightings. A repeat (same event, same source) folds in the
     * table and is never counted twice; the token makes a retried insert a no-op.
     */
    public void insert(Collection<EventRow> rows, EventSource source, String deduplicationToken) {
        if (rows.isEmpty()) {
            return;
        }
        InsertSettings settings = new InsertSettings().setDeduplicationToken(deduplicationToken);
        ClickHouse.await(clickHouse.reservedClient().insert("event_sightings", COLUMNS, out -> write(out, rows, source),
                ClickHouseFormat.RowBinary, settings)).close();
        changes.changed(); // answers that say what they rest on read these
    }

    private static void write(OutputStream raw, Collection<EventRow> rows, EventSource source) throws IOException {
        RowBinary out = new RowBinary(raw);
        for (EventRow r : rows) {
            long second = r.createdAt().getEpochSecond();
            out.uint32(second - Math.floorMod(second, 3600));
            out.uint64(r.eventId());
            out.uint8(source.code());
        }
        out.flush();
    }
}
