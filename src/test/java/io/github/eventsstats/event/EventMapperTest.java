package io.github.eventsstats.event;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class EventMapperTest {

    private final EventMapper defaults = new EventMapper(TypeSelection.DEFAULTS);

    private static EventMapper.Mapped map(EventMapper mapper, String json) throws IOException {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        return mapper.read(b, 0, b.length);
    }

    @Test
    void mapsAPullRequestEventWithItsAction() throws IOException {
        EventMapper.Mapped m = map(defaults, """
                {"id":"2489651045","type":"PullRequestEvent",
                 "actor":{"id":665991,"login":"petroav","display_login":"petroav","url":"x"},
                 "repo":{"id":28688495,"name":"petroav/6.828","url":"y"},
                 "payload":{"action":"opened","number":2,"pull_request":{"id":1,"title":"t","labels":[{"a":[1,{"b":2}]}]}},
                 "public":true,"created_at":"2015-01-01T15:00:00Z","org":{"id":1}}""");
        assertEquals(new EventRow(2489651045L, EventType.PULL_REQUEST, 28688495, "petroav/6.828", 665991,
                "petroav", "opened", Instant.parse("2015-01-01T15:00:00Z"),
                new EventRow.Payload(2, false, 0, "", "", "", -1, "", "", "", 0, "", 0, "", "")), m.row());
    }

    @Test
    void skipsTypesThatAreNotKeptWithoutReadingThem() throws IOException {
        EventMapper.Mapped m = map(new EventMapper(TypeSelection.of(EventType.WATCH)), """
                {"id":"1","type":"IssuesEvent","payload":{"action":"opened","issue":{"body":"x"}},"created_at":"2015-01-01T15:00:00Z"}""");
        assertEquals("IssuesEvent", m.type());
        assertFalse(m.kept());
        assertNull(m.problem());
        assertEquals("PushEvent", map(defaults, "{\"id\":\"1\",\"type\":\"PushEvent\",\"payload\":{\"size\":1}}").type());
    }

    @Test
    void toleratesNullPayloadUnknownFieldsAndNumericIds() throws IOException {
        EventMapper.Mapped m = map(defaults, """
                {"new_field":{"deep":[1,2,{"x":null}]},"id":42,"type":"WatchEvent","payload":null,
                 "actor":{"id":"7","login":"a"},"repo":{"id":9,"name":"o/r"},"created_at":"2020-02-29T23:59:59Z"}""");
        assertEquals(new EventRow(42, EventType.WATCH, 9, "o/r", 7, "a", "", Instant.parse("2020-02-29T23:59:59Z")),
                m.row());
    }

    @Test
    void reportsWhatAKeptEventLacks() throws IOException {
        assertEquals("missing created_at", map(defaults, "{\"id\":\"1\",\"type\":\"WatchEvent\",\"repo\":{\"name\":\"o/r\"}}").problem());
        assertEquals("missing repo.name", map(defaults, "{\"id\":\"1\",\"type\":\"WatchEvent\",\"created_at\":\"2020-01-01T00:00:00Z\"}").problem());
        assertEquals("missing or invalid id", map(defaults, "{\"id\":\"x1\",\"type\":\"WatchEvent\",\"repo\":{\"name\":\"o/r\"},\"created_at\":\"2020-01-01T00:00:00Z\"}").problem());
        assertEquals("unparseable created_at '2020-13-01T00:00:00Z'", map(defaults,
                "{\"id\":\"1\",\"type\":\"WatchEvent\",\"repo\":{\"name\":\"o/r\"},\"created_at\":\"2020-13-01T00:00:00Z\"}").problem());
        assertEquals("missing type", map(defaults, "{\"id\":\"1\"}").problem());
    }

    @Test
    void malformedJsonIsAnError() {
        assertThrows(IOException.class, () -> map(defaults, "{\"id\":\"1\",\"type\":\"WatchEvent\",\"payload\":{\"action\":"));
        assertThrows(IOException.class, () -> map(defaults, "[1,2]"));
        assertThrows(IOException.class, () -> map(defaults, "{\"id\":\"1\"} {}"));
    }

    @Test
    void parsesTimestampsInBothFastAndFallbackForms() {
        assertEquals(Instant.parse("2024-01-02T03:04:05Z"), EventMapper.parseTime("2024-01-02T03:04:05Z"));
        assertEquals(Instant.parse("2024-01-02T01:04:05Z"), EventMapper.parseTime("2024-01-02T03:04:05+02:00"));
        assertNull(EventMapper.parseTime("2023-02-29T00:00:00Z"));
        assertNull(EventMapper.parseTime("yesterday"));
    }
}
