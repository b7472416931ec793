package io.github.eventsstats.coverage;

import com.clickhouse.client.api.query.GenericRecord;
import io.github.eventsstats.clickhouse.ClickHouse;
import io.github.eventsstats.event.EventSource;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** The SQL of coverage: `coverage_hourly` computed from `event_sightings`, and read back. */
@ApplicationScoped
class CoverageStore {

    /** coverage_hourly's pair columns, in {@link HourCoverage#pair} order. */
    private static final List<String> PAIRS = pairColumns();

    private final ClickHouse clickHouse;

    CoverageStore(ClickHouse clickHouse) {
        this.clickHouse = clickHouse;
    }

    private static List<String> pairColumns() {
        EventSource[] s = EventSource.values();
        String[] names = new String[s.length * (s.length - 1) / 2];
        for (int i = 0; i < s.length; i++) {
            for (int j = i + 1; j < s.length; j++) {
                names[HourCoverage.pair(s[i], s[j])] = s[i].label() + "_" + s[j].label();
            }
        }
        return List.of(names);
    }

    /** An hour whose sightings changed since its coverage was computed, and its sighting count now. */
    record Stale(Instant hour, long rows) {
    }

    /**
     * The stale hours from {@code from} on. Those before it keep their coverage: their sightings
     * have expired (or are about to), and a late sighting there would be kept only until the next
     * deletion, so computing them again would count what is left, not what was seen.
     */
    List<Stale> stale(Instant from) {
        List<Stale> out = new ArrayList<>();
        for (GenericRecord r : clickHouse.query("""
                SELECT toUnixTimestamp(h.hour) AS hour, h.rows AS rows
                FROM (SELECT hour, sum(rows) AS rows FROM sighting_hours WHERE hour >= {from:DateTime('UTC')} GROUP BY hour) AS h
                LEFT JOIN (SELECT hour, max(covered_rows) AS covered FROM coverage_hourly
                           WHERE hour >= {from:DateTime('UTC')} GROUP BY hour) AS c
                  ON h.hour = c.hour
                WHERE h.rows != c.covered
                ORDER BY h.hour""", Map.of("from", ClickHouse.dateTime(from)))) {
            out.add(new Stale(Instant.ofEpochSecond(r.getLong("hour")), r.getLong("rows")));
        }
        return out;
    }

    /**
     * Computes these hours, oldest first, in one query (a backfilled month makes hundreds stale at
     * once; the service passes them a week at a time) from their sightings: each event's sources
     * as a bit mask, then per source and
     * per pair the events whose mask has them. Repeated sightings fold in the GROUP BY. An opened
     * PullRequestEvent is keyed as its PR (repository and number, as clickhouse/V027 keys the pulls
     * lists' sightings), so the pulls list and the events that saw the PR opened count as one.
     */
    void compute(List<Stale> stale) {
        List<String> columns = new ArrayList<>(List.of("hour"));
        List<String> values = new ArrayList<>(List.of("hour"));
        EventSource[] all = EventSource.values();
        for (EventSource s : all) {
            columns.add(s.label());
            values.add("countIf(bitTest(mask, " + s.code() + "))");
        }
        for (int i = 0; i < all.length; i++) {
            for (int j = i + 1; j < all.length; j++) { // PAIRS order
                columns.add(PAIRS.get(HourCoverage.pair(all[i], all[j])));
                values.add("countIf(bitTest(mask, " + all[i].code() + ") AND bitTest(mask, " + all[j].code() + "))");
            }
        }
        columns.addAll(List.of("any_source", "covered_rows"));
        values.addAll(List.of("count()", "transform(hour, {hours:Array(DateTime('UTC'))}, {rows:Array(UInt64)}, toUInt64(0))"));
        clickHouse.query("INSERT INTO coverage_hourly (" + String.join(", ", columns) + ")\nSELECT "
                        + String.join(",\n  ", values) + """

                FROM (SELECT hour, key, groupBitOr(bitShiftLeft(toUInt8(1), toUInt8(source))) AS mask
                      FROM (SELECT s.hour AS hour, s.source AS source,
                                   if(o.number > 0, bitOr(cityHash64(o.repo_name, o.number),
                                                          toUInt64(9223372036854775808)), s.event_id) AS key
                            FROM event_sightings AS s
                            GLOBAL LEFT JOIN (SELECT event_id, repo_name, number FROM events
                                              WHERE event_type = 'PullRequestEvent' AND action = 'opened' AND number > 0
                                                AND created_at >= {first:DateTime('UTC')}
                                                AND created_at < {last:DateTime('UTC')} + INTERVAL 1 HOUR
                                                AND toStartOfHour(created_at) IN {hours:Array(DateTime('UTC'))}) AS o
                              ON s.event_id = o.event_id
                            WHERE s.hour IN {hours:Array(DateTime('UTC'))})
                      GROUP BY hour, key)
                GROUP BY hour""",
                Map.of("hours", stale.stream().map(h -> ClickHouse.dateTime(h.hour())).toList(),
                        "rows", stale.stream().map(Stale::rows).toList(),
                        "first", ClickHouse.dateTime(stale.getFirst().hour()),
                        "last", ClickHouse.dateTime(stale.getLast().hour())));
    }

    /** Every computed hour, oldest first. */
    List<HourCoverage> all() {
        List<HourCoverage> out = new ArrayList<>();
        for (GenericRecord r : clickHouse.query("SELECT toUnixTimestamp(hour) AS at, * FROM coverage_hourly FINAL ORDER BY hour",
                Map.of())) {
            Map<EventSource, Long> seen = new EnumMap<>(EventSource.class);
            for (EventSource s : EventSource.values()) {
                seen.put(s, r.getLong(s.label()));
            }
            long[] both = new long[PAIRS.size()];
            for (int i = 0; i < both.length; i++) {
                both[i] = r.getLong(PAIRS.get(i));
            }
            out.add(new HourCoverage(Instant.ofEpochSecond(r.getLong("at")), seen, both, r.getLong("any_source")));
        }
        return out;
    }
}
