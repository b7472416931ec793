package io.github.eventsstats.watch;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The round-robin and when a watched repository is due, with exact instants. */
class WatchScheduleTest {

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    @Test
    void theRoundRobinStartsAfterTheRepositoryPolledLast() {
        List<String> keys = List.of("a/a", "b/b", "c/c", "d/d");
        assertEquals(keys, WatchSchedule.roundRobin(keys, null));
        assertEquals(List.of("c/c", "d/d", "a/a", "b/b"), WatchSchedule.roundRobin(keys, "b/b"));
        assertEquals(keys, WatchSchedule.roundRobin(keys, "d/d"));
        assertEquals(List.of("c/c", "d/d", "a/a", "b/b"), WatchSchedule.roundRobin(keys, "bb/removed"),
                "a removed repository: on from where it stood");
    }

    @Test
    void aRepositoryIsDueByItsOwnPollStateAndAnUnavailableOneAtItsRetryTime() {
        WatchedRepository w = new WatchedRepository();
        w.events.nextPollAt = T0.plusSeconds(60);
        assertFalse(WatchSchedule.eventsDue(w, T0.plusSeconds(59)), "before its X-Poll-Interval is over");
        assertTrue(WatchSchedule.eventsDue(w, T0.plusSeconds(60)));
        assertFalse(WatchSchedule.historyDue(w, w.pulls, T0.plusSeconds(60)), "no pulls before its events answered");

        w.status = WatchedRepository.Status.NOT_FOUND;
        w.retryAt = T0.plusSeconds(86_400);
        assertFalse(WatchSchedule.eventsDue(w, T0.plusSeconds(86_399)));
        assertTrue(WatchSchedule.eventsDue(w, T0.plusSeconds(86_400)));

        w.status = WatchedRepository.Status.ACTIVE;
        w.pulls.nextSyncAt = T0.plusSeconds(3600);
        assertFalse(WatchSchedule.historyDue(w, w.pulls, T0));
        assertTrue(WatchSchedule.historyDue(w, w.pulls, T0.plusSeconds(3600)));
    }

    @Test
    void aRepositoryClaimsWhatItsNextTickWouldSpend() {
        WatchedRepository w = new WatchedRepository();
        w.events.nextPollAt = T0.plusSeconds(60);
        assertEquals(1 + 4 * 10, WatchSchedule.claim(w, T0, 10), "not polled yet: its feed, then four first loads");

        w.status = WatchedRepository.Status.ACTIVE;
        w.lists().forEach(l -> l.nextSyncAt = T0.plusSeconds(3600));
        w.pulls.nextSyncAt = T0;
        assertEquals(1 + 10, WatchSchedule.claim(w, T0, 10), "the feed and the pulls list's load under way");
        w.lists().forEach(l -> l.loaded = true);
        assertEquals(1 + 1, WatchSchedule.claim(w, T0, 10), "a refresh: its first page, mostly a free 304");
        w.pulls.nextUrl = "https://api.github.com/repos/o/r/pulls?page=2";
        assertEquals(1 + 10, WatchSchedule.claim(w, T0, 10), "a refresh's pass under way");
        w.pulls.nextSyncAt = T0.plusSeconds(60);
        assertEquals(1, WatchSchedule.claim(w, T0, 10), "a quiet repository: its feed's next poll");

        w.status = WatchedRepository.Status.NOT_FOUND;
        w.retryAt = T0.plusSeconds(86_400);
        assertEquals(0, WatchSchedule.claim(w, T0, 10), "unavailable: nothing until its retry");
        assertEquals(1, WatchSchedule.claim(w, T0.plusSeconds(86_400), 10));
    }

    @Test
    void errorAnswersAboutARepositoryAreStatesAndRateLimitsAreNot() {
        assertEquals(WatchedRepository.Status.NOT_FOUND, Availability.of(404, "Not Found", null).orElseThrow().status());
        Availability moved = Availability.of(301, "Moved Permanently", "https://api.github.com/repositories/42").orElseThrow();
        assertEquals(WatchedRepository.Status.MOVED, moved.status());
        assertTrue(moved.detail().contains("repositories/42"), moved.detail());
        assertEquals(WatchedRepository.Status.FORBIDDEN,
                Availability.of(403, "Repository access blocked", null).orElseThrow().status());
        assertEquals(WatchedRepository.Status.BLOCKED, Availability.of(451, null, null).orElseThrow().status());
        assertTrue(Availability.of(403, "API rate limit exceeded for 1.2.3.4", null).isEmpty());
        assertTrue(Availability.of(403, "You have exceeded a secondary rate limit", null).isEmpty());
        assertTrue(Availability.of(500, null, null).isEmpty(), "a server error is the poller's to retry");
        assertTrue(Availability.of(200, null, null).isEmpty());
    }
}
