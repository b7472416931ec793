package io.github.eventsstats.retention;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The horizons, with exact instants, and the settings refused. */
class RetentionHorizonTest {

    private static Retention at(String now, String events, String rollups) {
        return new Retention(Optional.ofNullable(events).map(Duration::parse), Optional.ofNullable(rollups).map(Duration::parse),
                Optional.empty(), InstantSource.fixed(Instant.parse(now)));
    }

    @Test
    void aDaysEventsExpireOnceTheWholeDayIsOlderThanTheRetention() {
        // 30 days before 2026-12-06T10:30 is 2026-11-06T10:30: 2026-11-05 ended more than 30 days ago, 2026-11-06 did not
        Retention r = at("2026-12-06T10:30:00Z", "P30D", null);
        assertEquals(Optional.of(Instant.parse("2026-11-06T00:00:00Z")), r.eventsExpiredBefore());
        assertEquals(Instant.parse("2026-11-06T00:00:00Z"), r.eventsKeptFrom());
        // at midnight the next day goes
        assertEquals(Instant.parse("2026-11-07T00:00:00Z"), at("2026-12-07T00:00:00Z", "P30D", null).eventsKeptFrom());
        assertEquals(Instant.parse("2026-11-06T00:00:00Z"), at("2026-12-06T23:59:59Z", "P30D", null).eventsKeptFrom());
    }

    @Test
    void theRollupAndCoverageStopCountingADayTenMinutesBeforeItsEventsExpire() {
        Retention early = at("2026-12-06T23:49:59Z", "P30D", null);
        assertEquals(Instant.parse("2026-11-06T00:00:00Z"), early.countableFrom());
        Retention late = at("2026-12-06T23:50:00Z", "P30D", null);
        assertEquals(Instant.parse("2026-11-07T00:00:00Z"), late.countableFrom(), "2026-11-06 expires at midnight");
        assertEquals(Instant.parse("2026-11-06T00:00:00Z"), late.eventsKeptFrom(), "but has not expired yet");
    }

    @Test
    void withoutSettingsNothingExpires() {
        Retention r = at("2026-12-06T10:30:00Z", null, null);
        assertTrue(r.eventsExpiredBefore().isEmpty());
        assertEquals(Instant.EPOCH, r.eventsKeptFrom());
        assertEquals(Instant.EPOCH, r.rollupsKeptFrom());
        assertEquals(Instant.EPOCH, r.countableFrom());
    }

    @Test
    void rollupsAreKeptByTheirOwnSetting() {
        Retention r = at("2026-12-06T10:30:00Z", "P30D", "P400D");
        assertEquals(Instant.parse("2025-11-01T00:00:00Z"), r.rollupsKeptFrom());
    }

    @Test
    void badSettingsAreRefusedNamingTheVariable() {
        assertMessage("EVENTS_RETENTION must be a whole number of days", () -> at("2026-12-06T00:00:00Z", "PT36H", null));
        assertMessage("EVENTS_RETENTION must be a whole number of days", () -> at("2026-12-06T00:00:00Z", "PT0S", null));
        assertMessage("ROLLUP_RETENTION is set but EVENTS_RETENTION is not", () -> at("2026-12-06T00:00:00Z", null, "P30D"));
        assertMessage("ROLLUP_RETENTION (7d) must be at least EVENTS_RETENTION (30d)",
                () -> at("2026-12-06T00:00:00Z", "P30D", "P7D"));
        assertMessage("RAW_RETENTION must be positive", () -> new Retention(Optional.empty(), Optional.empty(),
                Optional.of(Duration.ZERO), InstantSource.system()));
    }

    private static void assertMessage(String start, Runnable create) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, create::run);
        assertTrue(e.getMessage().startsWith(start), e.getMessage());
    }
}
