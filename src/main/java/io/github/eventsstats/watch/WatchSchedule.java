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

    /**
     * What the repository has waiting in the rate budget at {@code now}: its feed's next poll (a
     * repository GitHub refused: only once its retry is due), one page for each history list due
     * for a refresh (an unchanged one is a free 304), and {@code pagesPerTick} for each list in a
     * pass (all four of one not polled yet, which it will load once its feed answers): what its
     * next tick would spend. The tiers after it leave that much, so the firehose cannot take the
     * requests a watched repository is about to need.
     */
    static long claim(WatchedRepository w, Instant now, int pagesPerTick) {
        if (!w.status.polled()) {
            return eventsDue(w, now) ? 1 : 0;
        }
        long pages = 1;
        for (WatchedRepository.ListState l : w.lists()) {
            boolean inPass = !l.loaded || l.nextUrl != null;
            if (w.status == WatchedRepository.Status.PENDING) {
                pages += pagesPerTick;
            } else if (historyDue(w, l, now)) {
                pages += inPass ? pagesPerTick : 1;
            }
        }
        return pages;
    }
}
