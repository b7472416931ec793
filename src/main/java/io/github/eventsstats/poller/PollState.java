package io.github.eventsstats.poller;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.quarkus.runtime.annotations.RegisterForReflection;

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
@RegisterForReflection(targets = {PollState.class, PollState.RateLimitSnapshot.class, PollState.Wait.class}) // the state file, native
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
    /** Why the last poll did not succeed, in words ({@link FailureReason}); null after a success. */
    public String lastFailure;
    public int consecutiveFailures;
    public RateLimitSnapshot rateLimit;
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
        }
        while (all.size() > keep) {
            all.removeFirst();
        }
        recentIds = new ArrayList<>(all);
    }

    /**
     * Remembered. Only equality counts: event ids are not ordered by time (types draw from
     * different ranges, which have restarted lower), so an id below the remembered ones says nothing.
     */
    public boolean seen(long id) {
        return recentIds.contains(id);
    }
}
