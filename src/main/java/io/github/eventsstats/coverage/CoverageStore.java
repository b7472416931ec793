package io.github.eventsstats.coverage;

import com.clickhouse.client.api.query.GenericRecord;
import io.github.eventsstats.store.ClickHouse;
import io.github.eventsstats.store.EventSource;
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

    List<Stale> stale() {
        List<Stale> out = new ArrayList<>();
        for (GenericRecord r : clickHouse.query("""
                SELECT toUnixTimestamp(h.hour) AS hour, h.rows AS rows
                FROM (SELECT hour, sum(rows) AS rows FROM sighting_hours GROUP BY hour) AS h
                LEFT JOIN (SELECT hour, max(covered_rows) AS covered FROM coverage_hourly GROUP BY hour) AS c
                  ON h.hour = c.hour
                WHERE h.rows != c.covered
                ORDER BY h.hour""", Map.of())) {
            out.add(new Stale(Instant.ofEpochSecond(r.getLong("hour")), r.getLong("rows")));
        }
        return out;
    }

    /**
     * Computes one hour from its sightings: each event's sources as a bit mask, then per source and
     * per pair the events whose mask has them. Repeated sightings fold in the GROUP BY.
     */
    void compute(Stale stale) {
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
        values.addAll(List.of("count()", "{rows:UInt64}"));
        clickHouse.query("INSERT INTO coverage_hourly (" + String.join(", ", columns) + ")\nSELECT "
                        + String.join(",\n  ", values) + """

                FROM (SELECT hour, event_id, groupBitOr(bitShiftLeft(toUInt8(1), toUInt8(source))) AS mask
                      FROM event_sightings WHERE hour = {hour:DateTime('UTC')} GROUP BY hour, event_id)
                GROUP BY hour""",
                Map.of("hour", ClickHouse.dateTime(stale.hour()), "rows", stale.rows()));
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
