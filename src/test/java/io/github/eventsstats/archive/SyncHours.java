package io.github.eventsstats.archive;

import io.github.eventsstats.clickhouse.ClickHouse;
import io.github.eventsstats.event.TypeSelection;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPOutputStream;

/** Generated GH Archive hours for the sync's tests, each with event ids of its own (a range, not ordered by time). */
final class SyncHours {

    private static final AtomicLong IDS = new AtomicLong(System.currentTimeMillis() * 1_000_000L + 500_000_000_000L);

    /**
     * One generated hour: its file, its ids' range, the events a load of the default types must store,
     * and every type's count.
     */
    record Hour(Instant start, String name, byte[] gz, long firstId, long lastId, int kept, Map<String, Long> byType) {
    }

    /**
     * Hours of their own for each run of the tests (the engine's data outlives a run, and the sync
     * knows hours by name): somewhere in 2012-2021, picked by the run's start time.
     */
    private static final AtomicLong HOURS = new AtomicLong(Instant.parse("2012-01-01T00:00:00Z").getEpochSecond() / 3600
            + System.currentTimeMillis() / 1000 % (9L * 365 * 24 - 10_000) / 100 * 100);

    private SyncHours() {
    }

    /** The first of {@code n} hours no other test of this run uses. */
    static Instant hours(int n) {
        return Instant.ofEpochSecond(HOURS.getAndAdd(n) * 3600);
    }

    static Hour hour(Instant start, int events) throws IOException {
        long first = IDS.getAndAdd(10_000_000L);
        ArchiveGenerator g = new ArchiveGenerator(events, start, first, events, "sy" + first + "-o"); // fixed seed: the same events every run
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Map<String, Long> byType = new TreeMap<>();
        int kept = 0;
        try (OutputStream out = new GZIPOutputStream(bytes)) {
            while (g.hasNext()) {
                ArchiveGenerator.Event e = g.next();
                out.write((e.json() + "\n").getBytes(StandardCharsets.UTF_8));
                byType.merge(e.type(), 1L, Long::sum);
                if (TypeSelection.DEFAULTS.keeps(e.type())) {
                    kept++;
                }
            }
        }
        return new Hour(start, ArchiveHours.name(start), bytes.toByteArray(), first, g.maxId(), kept, byType);
    }

    /** Rows of the hour in `events`, and distinct ids among them: equal when nothing is stored twice. */
    static long[] stored(ClickHouse clickHouse, Hour h) {
        var r = clickHouse.query("SELECT count() AS c, uniqExact(event_id) AS u FROM events"
                + " WHERE event_id BETWEEN {a:UInt64} AND {b:UInt64}", Map.of("a", h.firstId(), "b", h.lastId())).getFirst();
        return new long[] {r.getLong("c"), r.getLong("u")};
    }

    /** Rows of the hour in `events` per type. */
    static Map<String, Long> storedByType(ClickHouse clickHouse, Hour h) {
        Map<String, Long> out = new TreeMap<>();
        clickHouse.query("SELECT event_type AS t, count() AS c FROM events WHERE event_id BETWEEN {a:UInt64} AND"
                        + " {b:UInt64} GROUP BY t", Map.of("a", h.firstId(), "b", h.lastId()))
                .forEach(r -> out.put(r.getString("t"), r.getLong("c")));
        return out;
    }

    static long ledgerRows(ClickHouse clickHouse, Hour h) {
        return clickHouse.query("SELECT count() AS c FROM backfill_ledger WHERE endsWith(file_name, {n:String})",
                Map.of("n", "/" + h.name())).getFirst().getLong("c");
    }
}
