package io.github.eventsstats.watch;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Which watched repository to poll next, without I/O: round-robin from the one after the last
 * polled, each only when due (its own X-Poll-Interval, backoff or rate-limit wait, as its poll
 * state says; an unavailable one at its retry time).
 */
final class WatchSchedule {

    private WatchSchedule() {
    }

    /** {@code keys} (sorted) rotated to start after {@code lastPolled}; as they are when it is null or gone. */
    static List<String> roundRobin(List<String> keys, String lastPolled) {
        if (lastPolled == null || keys.isEmpty()) {
            return keys;
        }
        int start = 0;
        while (start < keys.size() && keys.get(start).compareTo(lastPolled) <= 0) {
            start++;
        }
        List<String> order = new ArrayList<>(keys.size());
        order.addAll(keys.subList(start, keys.size()));
        order.addAll(keys.subList(0, start));
        return order;
    }

    /** Whether the repository's events feed is due at {@code now}. */
    static boolean eventsDue(WatchedRepository w, Instant now) {
        if (!w.status.polled()) {
            return w.retryAt == null || !now.isBefore(w.retryAt);
        }
        return !now.isBefore(w.events.nextPollAt);
    }

    /**
     * Whether one of its history lists is due: only once its events answer, so an unknown
     * repository costs nothing more.
     */
    static boolean historyDue(WatchedRepository w, WatchedRepository.ListState list, Instant now) {
        return w.status == WatchedRepository.Status.ACTIVE && !now.isBefore(list.nextSyncAt);
    }
}
