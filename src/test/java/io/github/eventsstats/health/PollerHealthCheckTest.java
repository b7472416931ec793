package io.github.eventsstats.health;

import io.github.eventsstats.github.PollState;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PollerHealthCheckTest {

    private final Instant start = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void overdueAfterThreeEffectiveIntervalsNotThreeOfGitHubsHeader() {
        PollState s = new PollState();
        s.pollIntervalSeconds = 1; // GitHub may say 1 s; the poller still waits POLLER_MIN_INTERVAL (60 s)
        s.lastSuccessAt = start.plusSeconds(10);
        Duration effective = Duration.ofSeconds(60);
        assertFalse(PollerHealthCheck.overdue(s, effective, start, start.plusSeconds(10 + 179)));
        assertTrue(PollerHealthCheck.overdue(s, effective, start, start.plusSeconds(10 + 181)));
    }

    @Test
    void waitingAsGitHubToldIsNeverOverdue() {
        PollState s = new PollState();
        s.lastSuccessAt = start.plusSeconds(1);
        for (PollState.Wait told : new PollState.Wait[] {PollState.Wait.RATE_LIMIT, PollState.Wait.RETRY_AFTER}) {
            s.waitReason = told;
            assertFalse(PollerHealthCheck.overdue(s, Duration.ofSeconds(60), start, start.plusSeconds(3600)));
        }
        s.waitReason = PollState.Wait.BACKOFF;
        assertTrue(PollerHealthCheck.overdue(s, Duration.ofSeconds(60), start, start.plusSeconds(3600)));
    }

    @Test
    void beforeTheFirstSuccessOfThisRunTheClockStartsAtStartUp() {
        PollState s = new PollState();
        s.lastSuccessAt = start.minusSeconds(86_400); // from the state file, yesterday
        assertFalse(PollerHealthCheck.overdue(s, Duration.ofSeconds(60), start, start.plusSeconds(100)));
        assertTrue(PollerHealthCheck.overdue(s, Duration.ofSeconds(60), start, start.plusSeconds(200)));
    }
}
