package io.github.eventsstats.coverage;

import io.github.eventsstats.event.EventSource;

import java.time.Instant;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * What the sources saw of one UTC hour: distinct events per source, distinct events of any source,
 * and how many events each pair of sources both saw.
 *
 * @param seen   distinct events per source (every source present, 0 included)
 * @param both   events seen by both sources of a pair, indexed by {@link #pair}
 * @param anySource distinct events seen by at least one source
 */
public record HourCoverage(Instant hour, Map<EventSource, Long> seen, long[] both, long anySource) {

    /** An hour counts as complete when what was seen is within 1% of the estimate. */
    public static final double COMPLETE_FRACTION = 0.99;

    public HourCoverage {
        seen = Map.copyOf(seen);
        both = both.clone();
    }

    /** A pair's slot in {@code both}; the order of the two sources does not matter. */
    public static int pair(EventSource a, EventSource b) {
        int i = Math.min(a.ordinal(), b.ordinal());
        int j = Math.max(a.ordinal(), b.ordinal());
        if (i == j) {
            throw new IllegalArgumentException("a pair of two sources, not " + a + " twice");
        }
        int n = EventSource.values().length;
        return i * (2 * n - i - 1) / 2 + (j - i - 1);
    }

    public long seen(EventSource source) {
        return seen.getOrDefault(source, 0L);
    }

    public long both(EventSource a, EventSource b) {
        return both[pair(a, b)];
    }

    /** The sources that saw at least one event of the hour. */
    public Set<EventSource> sources() {
        Set<EventSource> out = EnumSet.noneOf(EventSource.class);
        seen.forEach((s, n) -> {
            if (n > 0) {
                out.add(s);
            }
        });
        return out;
    }

    /** For each other source, how many of this source's events it saw too. */
    public Map<EventSource, Long> alsoSeenBy(EventSource source) {
        Map<EventSource, Long> out = new EnumMap<>(EventSource.class);
        for (EventSource other : EventSource.values()) {
            if (other != source) {
                out.put(other, both(source, other));
            }
        }
        return out;
    }

    /** GitHub's events of the hour by capture–recapture of the firehose and the archive. */
    public OptionalDouble estimatedEvents() {
        return Chapman.estimate(seen(EventSource.FIREHOSE), seen(EventSource.ARCHIVE),
                both(EventSource.FIREHOSE, EventSource.ARCHIVE));
    }

    /** The share of the estimate that some source saw, at most 1. */
    public OptionalDouble fractionSeen() {
        OptionalDouble n = estimatedEvents();
        return n.isPresent() ? OptionalDouble.of(Math.min(1.0, anySource / n.getAsDouble())) : OptionalDouble.empty();
    }

    public boolean complete() {
        OptionalDouble f = fractionSeen();
        return f.isPresent() && f.getAsDouble() >= COMPLETE_FRACTION;
    }
}
