package io.github.eventsstats.event;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EventMapperTest {

    private final EventMapper defaults = new EventMapper(TypeSelection.DEFAULTS, InstantSource.system());

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
        EventMapper.Mapped m = map(new EventMapper(TypeSelection.of(EventType.WATCH), InstantSource.system()), """
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

    private static String watch(String repo, String login, String createdAt) {
        return "{\"id\":\"1\",\"type\":\"WatchEvent\",\"actor\":{\"id\":2,\"login\":" + login
                + "},\"repo\":{\"id\":3,\"name\":" + repo + "},\"created_at\":\"" + createdAt + "\"}";
    }

    @Test
    void anEventTimedBeforeGitHubOrAheadOfTheClockIsSetAside() throws IOException {
        EventMapper at = new EventMapper(TypeSelection.DEFAULTS, InstantSource.fixed(Instant.parse("2026-12-06T12:00:00Z")));

        // DateTime would have stored these as 2041, 2036 and 2026: each took over "the newest event".
        assertEquals("created_at 0000-01-01T00:00:00Z is before GitHub existed",
                map(at, watch("\"o/r\"", "\"a\"", "0000-01-01T00:00:00Z")).problem());
        assertEquals("created_at 1900-01-01T00:00:00Z is before GitHub existed",
                map(at, watch("\"o/r\"", "\"a\"", "1900-01-01T00:00:00Z")).problem());
        assertEquals("created_at 2162-01-01T00:00:00Z is in the future",
                map(at, watch("\"o/r\"", "\"a\"", "2162-01-01T00:00:00Z")).problem());
        assertEquals("created_at 2026-12-06T12:05:01Z is in the future",
                map(at, watch("\"o/r\"", "\"a\"", "2026-12-06T12:05:01Z")).problem());
        assertNull(map(at, watch("\"o/r\"", "\"a\"", "2026-12-06T12:05:00Z")).problem(), "a clock a little ahead");
        assertNull(map(at, watch("\"o/r\"", "\"a\"", "2008-01-01T00:00:00Z")).problem());
    }

    @Test
    void namesGitHubCouldNotHaveIssuedAreSetAsideAndShownEscaped() throws IOException {
        String at = "2020-01-01T00:00:00Z";
        assertEquals("repo.name 'o/r\\u0000x' is not a GitHub name", map(defaults, watch("\"o/r\\u0000x\"", "\"a\"", at)).problem());
        assertEquals("repo.name 'o/r\\u001B[31mred' is not a GitHub name",
                map(defaults, watch("\"o/r\\u001b[31mred\"", "\"a\"", at)).problem());
        assertEquals("repo.name 'o/r\\u000D\\u000AERROR forged' is not a GitHub name",
                map(defaults, watch("\"o/r\\r\\nERROR forged\"", "\"a\"", at)).problem());
        assertEquals("repo.name '/' is not a GitHub name", map(defaults, watch("\"/\"", "\"a\"", at)).problem());
        assertEquals("actor.login 'evil\\u202Elive' is not a GitHub login",
                map(defaults, watch("\"o/r\"", "\"evil\\u202elive\"", at)).problem());
        String huge = "x".repeat(200_000);
        String problem = map(defaults, watch("\"o/" + huge + "\"", "\"a\"", at)).problem();
        assertTrue(problem.length() < 300, "a 200 KB name is cut in the message");
        assertTrue(problem.endsWith("...(199802 more chars)' is not a GitHub name"), problem);
        assertEquals("type 'X\\u001B[2JEvent' is not a GitHub event type",
                map(new EventMapper(TypeSelection.EVERY, InstantSource.system()),
                        "{\"id\":\"1\",\"type\":\"X\\u001b[2JEvent\",\"repo\":{\"name\":\"o/r\"}}").problem());

        assertNull(map(defaults, watch("\"o-1/r.e_p-o\"", "\"dependabot[bot]\"", at)).problem());
        assertNull(map(defaults, watch("\"o/r\"", "\"\"", at)).problem(), "an event without a login keeps it empty");
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
