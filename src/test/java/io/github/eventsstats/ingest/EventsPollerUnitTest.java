package io.github.eventsstats.ingest;

import io.github.eventsstats.store.EventType;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EventsPollerUnitTest {

    @Test
    void backoffGrowsExponentiallyWithJitterAndIsCapped() {
        Duration initial = Duration.ofSeconds(5);
        Duration max = Duration.ofMinutes(10);
        for (int i = 0; i < 50; i++) {
            long first = EventsPoller.backoff(1, initial, max).toMillis();
            long third = EventsPoller.backoff(3, initial, max).toMillis();
            long late = EventsPoller.backoff(40, initial, max).toMillis();
            assertTrue(first >= 2500 && first <= 5000, "first: " + first);
            assertTrue(third >= 10000 && third <= 20000, "third: " + third);
            assertTrue(late >= 300000 && late <= 600000, "capped: " + late);
        }
    }

    @Test
    void durationsInLogsAreReadable() {
        assertEquals("300 ms", EventsPoller.readable(Duration.ofMillis(300)));
        assertEquals("4.5 s", EventsPoller.readable(Duration.ofMillis(4500)));
        assertEquals("30 s", EventsPoller.readable(Duration.ofSeconds(30)));
        assertEquals("2 min 5 s", EventsPoller.readable(Duration.ofSeconds(125)));
        assertEquals("10 min", EventsPoller.readable(Duration.ofMinutes(10)));
        assertEquals("1 h 3 min", EventsPoller.readable(Duration.ofSeconds(3780 + 7)));
    }

    @Test
    void eventTypesAreValidated() {
        assertEquals(EnumSet.of(EventType.WatchEvent, EventType.IssuesEvent),
                EventsPoller.parseTypes(List.of("WatchEvent", " IssuesEvent")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EventsPoller.parseTypes(List.of("PushEvent")));
        assertTrue(e.getMessage().contains("POLLER_EVENT_TYPES"));
    }
}
