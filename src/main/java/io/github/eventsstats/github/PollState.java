package io.github.eventsstats.github;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What the poller must remember across restarts; saved as JSON after every poll. It never holds
 * the token. Unknown fields are ignored so an older service can read a newer file.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public class PollState {

    /** Why the next poll waits until {@link #nextPollAt}. */
    public enum Wait { INTERVAL, RATE_LIMIT, RETRY_AFTER, BACKOFF }

    public String etag;
    public long pollIntervalSeconds = 60;
    public Instant nextPollAt = Instant.EPOCH;
    public Wait waitReason = Wait.INTERVAL;
    public Instant lastPollAt;
    public Instant lastSuccessAt;
    public String lastOutcome;
    public int consecutiveFailures;
    public RateLimitSnapshot rateLimit;
    /** The largest event id seen; GitHub's ids grow with time. */
    public long highWatermark;
    /** The most recent ids seen, oldest first, for the early stop and dedup after a restart. */
    public List<Long> recentIds = new ArrayList<>();

    public record RateLimitSnapshot(long limit, long remaining, Instant reset, long used) {
    }

    /** Remembers ids, keeping at most {@code keep} of them. */
    public void remember(List<Long> ids, int keep) {
        Set<Long> known = new HashSet<>(recentIds);
        ArrayDeque<Long> all = new ArrayDeque<>(recentIds);
        for (long id : ids) {
            if (known.add(id)) {
                all.addLast(id);
            }
            highWatermark = Math.max(highWatermark, id);
        }
        while (all.size() > keep) {
            all.removeFirst();
        }
        recentIds = new ArrayList<>(all);
    }

    /** Remembered, or older than everything remembered (so it was seen before the memory's horizon). */
    public boolean seen(long id) {
        if (recentIds.isEmpty()) {
            return false;
        }
        long oldest = Long.MAX_VALUE;
        for (long r : recentIds) {
            if (r == id) {
                return true;
            }
            oldest = Math.min(oldest, r);
        }
        return id < oldest;
    }
}
