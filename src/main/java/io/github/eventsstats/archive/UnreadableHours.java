package io.github.eventsstats.archive;

import io.github.eventsstats.clickhouse.ClickHouse;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** The `archive_unreadable` table (V031): hours whose file held unreadable lines or was broken, one row per read. */
@ApplicationScoped
class UnreadableHours {

    /** The reads of one hour found unreadable so far, and the latest one's time. */
    record Reads(int count, Instant last) {
    }

    private final ClickHouse clickHouse;

    UnreadableHours(ClickHouse clickHouse) {
        this.clickHouse = clickHouse;
    }

    /** The reads of each hour in [from, to) that found it unreadable. */
    Map<Instant, Reads> reads(Instant from, Instant to) {
        Map<Instant, Reads> reads = new HashMap<>();
        clickHouse.query("""
                        SELECT toUnixTimestamp(hour) AS h, count() AS n, toUnixTimestamp64Milli(max(checked_at)) AS c
                        FROM archive_unreadable
                        WHERE hour >= {from:DateTime('UTC')} AND hour < {to:DateTime('UTC')} GROUP BY hour""",
                Map.of("from", ClickHouse.dateTime(from), "to", ClickHouse.dateTime(to)))
                .forEach(r -> reads.put(Instant.ofEpochSecond(r.getLong("h")),
                        new Reads((int) r.getLong("n"), Instant.ofEpochMilli(r.getLong("c")))));
        return reads;
    }

    void record(Instant hour, Instant checkedAt, String sha256, String reason) {
        clickHouse.query("""
                        INSERT INTO archive_unreadable (hour, checked_at, sha256, reason) VALUES ({h:DateTime('UTC')},
                            fromUnixTimestamp64Milli({c:Int64}, 'UTC'), {s:FixedString(64)}, {r:String})""",
                Map.of("h", ClickHouse.dateTime(hour), "c", checkedAt.toEpochMilli(), "s", sha256, "r", reason));
    }
}
