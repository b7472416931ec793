package io.github.eventsstats.ingest;

import io.github.eventsstats.event.EventRow;
import io.github.eventsstats.event.EventSource;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The one way rows reach `events`, for the poller and the backfill alike. It drops events already
 * stored and repeats inside the batch, so a re-delivered event is stored once. Every event of a
 * batch, stored before or not, is also recorded as a sighting of its source, for coverage.
 *
 * <p>Writes are serialized: the check and the insert of one batch must not interleave with
 * another batch's, or two copies of the same event could both pass the check.
 */
@ApplicationScoped
public class EventWriter {

    /** What one {@link #write(List, EventSource)} did; {@code storedByType} splits {@code stored}. */
    public record Result(int received, int duplicates, int stored, Map<String, Integer> storedByType) {
        public Result(int received, int duplicates, int stored) {
            this(received, duplicates, stored, Map.of());
        }
    }

    private final EventStore store;
    private final SightingStore sightings;

    EventWriter(EventStore store, SightingStore sightings) {
        this.store = store;
        this.sightings = sightings;
    }

    public synchronized Result write(List<EventRow> batch, EventSource source) {
        if (batch.isEmpty()) {
            return new Result(0, 0, 0, Map.of());
        }
        Map<Long, EventRow> unique = new LinkedHashMap<>();
        Instant from = Instant.MAX;
        Instant to = Instant.MIN;
        long minId = Long.MAX_VALUE;
        long maxId = Long.MIN_VALUE;
        for (EventRow row : batch) {
            if (unique.putIfAbsent(row.eventId(), row) == null) {
                from = row.createdAt().isBefore(from) ? row.createdAt() : from;
                to = row.createdAt().isAfter(to) ? row.createdAt() : to;
                minId = Math.min(minId, row.eventId());
                maxId = Math.max(maxId, row.eventId());
            }
        }
        Set<Long> stored = store.storedIds(from, to, minId, maxId);
        List<EventRow> fresh = new ArrayList<>(unique.size());
        for (EventRow row : unique.values()) {
            if (!stored.contains(row.eventId())) {
                fresh.add(row);
            }
        }
        store.insert(fresh, token(fresh));
        // After the events: a sighting never claims an event that a failed insert left unstored.
        sightings.insert(unique.values(), source, source.label() + "-" + token(unique.values()));
        Map<String, Integer> byType = new TreeMap<>();
        fresh.forEach(r -> byType.merge(r.type(), 1, Integer::sum));
        return new Result(batch.size(), batch.size() - fresh.size(), fresh.size(), byType);
    }

    /**
     * The same set of events always gets the same token: the first 128 bits of the SHA-256 of the
     * sorted ids. A batch's ids are a few hundred KB at most: the JDK's SHA-256 takes milliseconds.
     */
    static String token(Collection<EventRow> rows) {
        long[] ids = new long[rows.size()];
        int i = 0;
        for (EventRow row : rows) {
            ids[i++] = row.eventId();
        }
        Arrays.sort(ids);
        StringBuilder text = new StringBuilder(ids.length * 12);
        for (long id : ids) {
            text.append(id).append(',');
        }
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e); // every JDK has it
        }
        return "events-" + HexFormat.of().formatHex(sha256.digest(text.toString().getBytes(StandardCharsets.US_ASCII)), 0, 16);
    }

}
