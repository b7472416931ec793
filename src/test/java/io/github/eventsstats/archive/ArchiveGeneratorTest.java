package io.github.eventsstats.archive;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArchiveGeneratorTest {

    @Test
    void idsAreUniqueWithinTheirRangeAndNotOrderedByTime() {
        long first = 1_000_000;
        ArchiveGenerator g = new ArchiveGenerator(5, Instant.parse("2024-01-15T15:00:00Z"), first, 5000, "gen-owner");
        Set<Long> ids = new HashSet<>();
        long previous = -1;
        int lower = 0;
        while (g.hasNext()) {
            ArchiveGenerator.Event e = g.next();
            assertTrue(e.id() >= first && e.id() <= g.maxId(), e.id() + " outside the range");
            ids.add(e.id());
            lower += e.id() < previous ? 1 : 0;
            previous = e.id();
        }
        assertEquals(5000, ids.size(), "unique");
        // Like GitHub's, where in 2026 samples about one event in eleven has a smaller id than the one before.
        assertTrue(lower > 500, lower + " events with a smaller id than the one before");
    }
}
