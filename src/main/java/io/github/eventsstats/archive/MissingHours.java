package io.github.eventsstats.archive;

import io.github.eventsstats.clickhouse.ClickHouse;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** The `archive_missing` table: hours GH Archive does not have, and when we last asked. */
@ApplicationScoped
class MissingHours {

    private final ClickHouse clickHouse;

    MissingHours(ClickHouse clickHouse) {
        this.clickHouse = clickHouse;
    }

    /** The last check of each hour in [from, to) found missing. */
    Map<Instant, Instant> lastChecked(Instant from, Instant to) {
        Map<Instant, Instant> checked = new HashMap<>();
        clickHouse.query("""
                        SELECT toUnixTimestamp(hour) AS h, toUnixTimestamp64Milli(max(checked_at)) AS c FROM archive_missing
                        WHERE hour >= {from:DateTime('UTC')} AND hour < {to:DateTime('UTC')} GROUP BY hour""",
                Map.of("from", ClickHouse.dateTime(from), "to", ClickHouse.dateTime(to)))
                .forEach(r -> checked.put(Instant.ofEpochSecond(r.getLong("h")), Instant.ofEpochMilli(r.getLong("c"))));
        return checked;
    }

    void record(Instant hour, Instant checkedAt) {
        clickHouse.query("INSERT INTO archive_missing (hour, checked_at) VALUES ({h:DateTime('UTC')},"
                        + " fromUnixTimestamp64Milli({c:Int64}, 'UTC'))",
                Map.of("h", ClickHouse.dateTime(hour), "c", checkedAt.toEpochMilli()));
    }
}
