package io.github.eventsstats.coverage;

import io.github.eventsstats.event.EventSource;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CoverageSummaryTest {

    private static final Instant H0 = Instant.parse("2026-11-30T10:00:00Z");

    /** An hour the firehose and the archive saw, {@code m} events by both. */
    private static HourCoverage hour(Instant at, long firehose, long archive, long m) {
        Map<EventSource, Long> seen = new EnumMap<>(EventSource.class);
        seen.put(EventSource.FIREHOSE, firehose);
        seen.put(EventSource.ARCHIVE, archive);
        long[] both = new long[6];
        both[HourCoverage.pair(EventSource.ARCHIVE, EventSource.FIREHOSE)] = m;
        return new HourCoverage(at, seen, both, firehose + archive - m);
    }

    @Test
    void pairsHaveOneSlotEachWhateverTheOrder() {
        EventSource[] s = EventSource.values();
        boolean[] used = new boolean[6];
        for (int i = 0; i < s.length; i++) {
            for (int j = i + 1; j < s.length; j++) {
                int p = HourCoverage.pair(s[i], s[j]);
                assertEquals(p, HourCoverage.pair(s[j], s[i]));
                assertFalse(used[p]);
                used[p] = true;
            }
        }
    }

    @Test
    void anHourIsCompleteWhenTheFirehoseSawNothingTheArchiveMissed() {
        HourCoverage inside = hour(H0, 300, 40_000, 300);
        assertEquals(40_000, inside.estimatedEvents().getAsDouble(), 1e-6);
        assertTrue(inside.complete());
        assertEquals(Map.of(EventSource.WATCHED, 0L, EventSource.ARCHIVE, 300L, EventSource.PULLS, 0L),
                inside.alsoSeenBy(EventSource.FIREHOSE));

        HourCoverage halves = hour(H0, 5_000, 5_000, 2_500); // each saw half: about 10,000 in all
        assertEquals(5_001.0 * 5_001 / 2_501 - 1, halves.estimatedEvents().getAsDouble(), 1e-6);
        assertEquals(7_500 / halves.estimatedEvents().getAsDouble(), halves.fractionSeen().getAsDouble(), 1e-12);
        assertFalse(halves.complete());
    }

    @Test
    void theSummaryCountsHoursAndWeighsTheFractionByEstimatedEvents() {
        HourCoverage complete = hour(H0, 300, 40_000, 300);
        HourCoverage halves = hour(H0.plusSeconds(3600), 5_000, 5_000, 2_500);
        HourCoverage firehoseOnly = hour(H0.plusSeconds(7200), 280, 0, 0);

        Coverage c = Coverage.of(H0, H0.plusSeconds(4 * 3600), List.of(complete, halves, firehoseOnly), null);

        assertEquals(List.of("firehose", "archive"), c.sources());
        assertEquals(4, c.hours());
        assertEquals(1, c.hoursComplete());
        assertEquals(2, c.hoursSampled());
        assertEquals(1, c.hoursWithoutData());
        assertEquals(2, c.hoursEstimated());
        assertEquals(40_000 + 7_500 + 280, c.eventsSeen());
        double estimate = 40_000 + halves.estimatedEvents().getAsDouble();
        assertEquals(estimate, c.eventsEstimated(), 1e-6);
        assertEquals((40_000 + 7_500) / estimate, c.estimatedFractionSeen(), 1e-12);
    }

    @Test
    void withoutAnEstimatedHourTheFractionIsUnknown() {
        Coverage c = Coverage.of(H0, H0.plusSeconds(3600), List.of(hour(H0, 280, 0, 0)), null);
        assertNull(c.eventsEstimated());
        assertNull(c.estimatedFractionSeen());
        assertEquals(1, c.hoursSampled());
        assertEquals(List.of("firehose"), c.sources());
    }
}
