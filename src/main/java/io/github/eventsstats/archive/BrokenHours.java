package io.github.eventsstats.archive;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The hours whose downloaded file this process found broken (its gzip does not inflate to the
 * end), across a sync's tries and across syncs. Through the Kafka stream a later read of such an
 * hour checks the file whole before it publishes anything, so a broken hour's readable start is
 * published at most once per process, not on every try. Bounded: the {@link #CAPACITY} hours
 * found broken last (the sync reads the last day; GH Archive serves a few broken hours a month).
 */
final class BrokenHours {

    static final int CAPACITY = 1_024;

    private final Map<Instant, Boolean> hours = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Instant, Boolean> eldest) {
            return size() > CAPACITY;
        }
    };

    synchronized void add(Instant hour) {
        hours.put(hour, Boolean.TRUE);
    }

    synchronized boolean contains(Instant hour) {
        return hours.containsKey(hour);
    }

    /** A file of the hour proved whole: its next read publishes as it reads again. */
    synchronized void remove(Instant hour) {
        hours.remove(hour);
    }
}
