package io.github.eventsstats.poller;

import io.github.eventsstats.event.EventType;
import io.github.eventsstats.event.TypeSelection;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EventsPollerUnitTest {

    @Test
    void eventTypesAreValidated() {
        assertEquals(TypeSelection.of(EventType.WATCH, EventType.ISSUES),
                PollerConfig.storedTypes(Optional.of(List.of("WatchEvent", " IssuesEvent"))));
        assertEquals(TypeSelection.of(EventType.PUSH, "ReleaseEvent"),
                PollerConfig.storedTypes(Optional.of(List.of("PushEvent", "ReleaseEvent"))));
        assertEquals(TypeSelection.EVERY, PollerConfig.storedTypes(Optional.of(List.of("*"))));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PollerConfig.storedTypes(Optional.of(List.of("PushEvents"))));
        assertTrue(e.getMessage().startsWith("POLLER_EVENT_TYPES: unknown event type 'PushEvents'; use * for every"
                + " type, or GitHub's names: CommitCommentEvent, CreateEvent"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> PollerConfig.storedTypes(Optional.of(List.of("*", "PushEvent"))));
        assertTrue(e.getMessage().contains("* already means every event type"), e.getMessage());
    }

    @Test
    void everyTypeIsKeptWithAStarAndOnlyThatType() {
        assertTrue(TypeSelection.EVERY.keeps("SponsorshipEvent"));
        assertTrue(TypeSelection.EVERY.keeps("SomeEventGitHubAddsNextYear"));
        assertTrue(!TypeSelection.DEFAULTS.keeps(EventType.PUSH));
        assertEquals("*", TypeSelection.EVERY.toString());
        assertEquals("WatchEvent,PullRequestEvent,IssuesEvent", TypeSelection.DEFAULTS.toString());
    }

    @Test
    void withoutEventTypesTheThreeDefaultTypesAreKept() {
        assertEquals(TypeSelection.DEFAULTS, PollerConfig.storedTypes(Optional.empty()));
    }
}
