package io.github.eventsstats.ingest;

import io.github.eventsstats.store.EventType;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EventsPollerUnitTest {

    @Test
    void eventTypesAreValidated() {
        assertEquals(EnumSet.of(EventType.WatchEvent, EventType.IssuesEvent),
                EventsPoller.parseTypes(Optional.of(List.of("WatchEvent", " IssuesEvent"))));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EventsPoller.parseTypes(Optional.of(List.of("PushEvent"))));
        assertTrue(e.getMessage().contains("POLLER_EVENT_TYPES"));
    }

    @Test
    void withoutEventTypesEveryStoredTypeIsKept() {
        assertEquals(EnumSet.allOf(EventType.class), EventsPoller.parseTypes(Optional.empty()));
    }
}
